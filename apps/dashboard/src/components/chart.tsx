import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'preact/hooks';

// Only the pieces the dashboard draws, so the bundle stays small; SVG keeps text crisp on every
// screen and prints well.
echarts.use([LineChart, BarChart, HeatmapChart, GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, MarkLineComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/** The page's own font stack (see styles.css): ECharts measures labels with it, so they fit. */
export const FONT = "'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', 'Liberation Sans', Arial, sans-serif";

export interface ChartClick {
  seriesIndex?: number;
  dataIndex: number;
  data: unknown;
}

/** An ECharts chart that follows its container's size. `label` is what a screen reader hears. */
export function Chart({ option, height, label, onClick }: { option: ChartOption; height: number; label: string; onClick?: (event: ChartClick) => void }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clickHandler = useRef(onClick);
  clickHandler.current = onClick;

  useEffect(() => {
    const instance = echarts.init(host.current!, undefined, { renderer: 'svg' });
    chart.current = instance;
    instance.on('click', (event) => clickHandler.current?.(event as unknown as ChartClick));
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => instance.resize());
    });
    observer.observe(host.current!);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ animation: false, textStyle: { fontFamily: FONT }, ...option }, { notMerge: true });
  }, [option]);

  return <div ref={host} class={onClick ? 'chart clickable' : 'chart'} style={{ height: `${height}px` }} role="img" aria-label={label} />;
}
