import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { Target } from '@journeyline/journey/alerts/targets';
import type { CatalogItem } from '@journeyline/projections/touchpoint-catalog/touchpoint-catalog.queries';
import { apiUrl, useApi, type ApiState } from '../api';
import { Chart, type ChartOption } from '../components/chart';
import { MetricPicker } from '../components/metric-picker';
import { SampleBadges, TrendBadge } from '../components/metric-badges';
import { PeriodNote } from '../components/period-note';
import { DefinitionsNote } from '../components/definitions-note';
import { Empty, ErrorMessage, Loaded, Loading } from '../components/states';
import { STAGES, stageLabel, type MessageKey, type Stage } from '../i18n';
import {
  BAND_COLOURS,
  bandOf,
  bucketDays,
  definitionOf,
  formatMetric,
  isKnownMetric,
  mainRow,
  PALE_BAND_COLOURS,
  SCORE_COLOURS,
  scoreClass,
  scoreText,
  type Band,
} from '../metrics';
import { href, setParams } from '../router';
import type {
  CommentsAnswer,
  DistributionAnswer,
  Metric,
  MetricRow,
  MetricsAnswer,
  ResponseRatesAnswer,
  SeriesAnswer,
  TouchpointStageRow,
  TouchpointStagesAnswer,
  WorstAnswer,
} from '../types';
import { useView, windowParams, type View } from '../view';
import { trendOption } from './overview';
import { html } from '../html';
import { TouchpointExplain } from './touchpoint-explain';
import { AsOfControl, useAsOf } from '../components/as-of-control';
import { CutFilters, cutOf, type CutParams } from '../components/cut-filters';

/** Where the experience is poor: touchpoints by stage, the worst ones ranked, and one touchpoint up close. */
export function TouchpointsPage() {
  const view = useView();
  const { t, route } = view;
  const asked = route.params.get('metric') as Metric | null;
  const metric: Metric = isKnownMetric(asked) ? asked : 'nps';
  const selected = route.params.get('tp');
  const cut = cutOf(route.params);
  const asOf = useAsOf();
  const stages = useApi<TouchpointStagesAnswer>(apiUrl('/api/v1/touchpoints/by-stage', { metric, ...windowParams(view), ...asOf.params }));
  const worst = useApi<WorstAnswer & { asOf?: { asOf: string } }>(
    apiUrl('/api/v1/touchpoints/worst', { metric, limit: 20, ...cut, ...windowParams(view), ...asOf.params }),
  );
  const crossed = useApi<MetricsAnswer>(apiUrl('/api/v1/metrics', { metric, by: 'touchpoint,stage', ...cut, ...windowParams(view), ...asOf.params }));
  // The heatmap colours a touchpoint by its target when it has one: its own, its owner team's or the company's.
  const targets = useApi<{ items: Target[] }>('/api/v1/targets');
  const catalog = useApi<{ items: CatalogItem[] }>('/api/v1/touchpoints');
  const heatmapState: ApiState<TouchpointStagesAnswer> = { ...stages, loading: stages.loading || targets.loading || catalog.loading };
  const targetOf = useMemo(() => targetLookup(metric, targets.data?.items ?? [], catalog.data?.items ?? []), [metric, targets.data, catalog.data]);
  const channels = useMemo(
    () =>
      [...new Set([...(stages.data?.rows ?? []).map((r) => r.channel), ...(catalog.data?.items ?? []).map((c) => c.channel)])]
        .filter((c): c is string => !!c)
        .sort(),
    [stages.data, catalog.data],
  );
  const responseRates = useApi<ResponseRatesAnswer>(apiUrl('/api/v1/surveys/response-rates', { ...windowParams(view), ...asOf.params }));
  const select = (touchpoint: string) => setParams({ tp: touchpoint });

  return (
    <>
      <div class="page-head">
        <h1>{t('page.touchpoints')}</h1>
        <PeriodNote />
        <DefinitionsNote version={stages.data?.definitions.version} />
      </div>
      <AsOfControl stated={worst.data?.asOf?.asOf} />
      <MetricPicker metric={metric} onChange={(m) => setParams({ metric: m })} />
      <CutFilters cut={cut} channels={channels} reset={{ tp: null }} />
      {selected && <TouchpointDetail touchpoint={selected} metric={metric} rows={stages.data?.rows ?? []} minSample={stages.data?.minSample ?? 30} cut={cut} />}
      <div class="split">
        <section class="card" aria-labelledby="heatmap-title">
          <h2 id="heatmap-title">{t('heatmapTitle')}</h2>
          <p class="muted small">{t('heatmapNote', { metric: t(`metric.${metric}` as MessageKey), min: stages.data?.minSample ?? 30 })}</p>
          <Loaded state={heatmapState} isEmpty={(d) => d.rows.length === 0}>
            {(data) => <Heatmap answer={data} metric={metric} targetOf={targetOf} onSelect={select} />}
          </Loaded>
        </section>
        <section class="card" aria-labelledby="worst-title">
          <h2 id="worst-title">{t('worstTitle')}</h2>
          <p class="muted small">{t('worstNote')}</p>
          <Loaded state={worst} isEmpty={(d) => d.rows.length === 0}>
            {(data) => (
              <WorstTable
                answer={data}
                metric={metric}
                selected={selected}
                onSelect={select}
                channels={new Map((stages.data?.rows ?? []).map((r) => [r.touchpoint, r.channel]))}
              />
            )}
          </Loaded>
        </section>
      </div>
      <section class="card" aria-labelledby="cut-title">
        <h2 id="cut-title">{t('cutTitle')}</h2>
        <p class="muted small">{t('cutNote', { metric: t(`metric.${metric}` as MessageKey), min: crossed.data?.minSample ?? 30 })}</p>
        <Loaded state={crossed} isEmpty={(d) => d.rows.length === 0}>
          {(data) => <CutTable answer={data} metric={metric} selected={selected} onSelect={select} />}
        </Loaded>
      </section>
      <section class="card" aria-labelledby="response-rates-title">
        <h2 id="response-rates-title">{t('responseRatesTitle')}</h2>
        <p class="muted small">{t('responseRatesNote')}</p>
        <Loaded state={responseRates} isEmpty={(d) => d.items.length === 0}>
          {(data) => <ResponseRatesTable answer={data} />}
        </Loaded>
      </section>
    </>
  );
}

/** Each survey's links sent in the period, how many were answered, and the answers that came without a link. */
function ResponseRatesTable({ answer }: { answer: ResponseRatesAnswer }) {
  const { t, f } = useView();
  return (
    <div class="table-scroll">
      <table class="data" data-testid="response-rates-table">
        <thead>
          <tr>
            <th scope="col">{t('survey')}</th>
            <th scope="col" class="num">
              {t('sent')}
            </th>
            <th scope="col" class="num">
              {t('answered')}
            </th>
            <th scope="col" class="num">
              {t('responseRate')}
            </th>
            <th scope="col" class="num">
              {t('unlinkedAnswers')}
            </th>
          </tr>
        </thead>
        <tbody>
          {answer.items.map((row) => (
            <tr key={row.surveyId} data-survey={row.surveyId}>
              <td>{row.surveyId}</td>
              <td class="num">{f.number(row.sent, 0)}</td>
              <td class="num">{f.number(row.answered, 0)}</td>
              <td class="num strong">{row.sent === 0 || row.rate === null ? '—' : f.percent(row.rate * 100, 1)}</td>
              <td class="num">{f.number(row.unlinkedAnswers, 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function rowLabel(row: TouchpointStageRow, scales: number): string {
  return scales > 1 && row.scale ? `${row.touchpoint} (${row.scale})` : row.touchpoint;
}

function Heatmap({
  answer,
  metric,
  targetOf,
  onSelect,
}: {
  answer: TouchpointStagesAnswer;
  metric: Metric;
  targetOf: (touchpoint: string) => Target | undefined;
  onSelect: (touchpoint: string) => void;
}) {
  const view = useView();
  const { t, f, lang } = view;
  const built = useMemo(() => heatmapOption(answer, metric, targetOf, view), [answer, metric, targetOf, lang]);
  const label = `${t('heatmapTitle')} (${t(`metric.${metric}` as MessageKey)}): ${answer.rows
    .filter((r) => r.value !== null)
    .map((r) => `${r.touchpoint} ${formatMetric(metric, r.value, f, t, r.scale)}`)
    .join(', ')}`;
  return (
    <div class="wide-chart">
      <Chart option={built.option} height={built.height} label={label} onClick={(e) => onSelect(built.rows[(e.data as number[])[1]].touchpoint)} />
    </div>
  );
}

function heatmapOption(
  answer: TouchpointStagesAnswer,
  metric: Metric,
  targetOf: (touchpoint: string) => Target | undefined,
  view: View,
): { option: ChartOption; height: number; rows: TouchpointStageRow[] } {
  const { t, f, lang } = view;
  const rows = answer.rows;
  const scales = new Set(rows.map((r) => r.scale).filter(Boolean)).size;
  // [stage, touchpoint, value, band]: the band (fixed thresholds of the metric's definition) colours the cell
  const home: [number, number, number, number][] = [];
  const small: [number, number, number, number][] = [];
  const silent: [number, number, number][] = [];
  const visited: [number, number, number][] = [];
  rows.forEach((row, y) => {
    const total = STAGES.reduce((sum, s) => sum + (row.visits[s] ?? 0), 0);
    STAGES.forEach((stage, x) => {
      if (stage === row.homeStage) {
        if (row.value === null) silent.push([x, y, 0]);
        else (row.meaningful ? home : small).push([x, y, row.value, BANDS.indexOf(bandOf(metric, row.value, row.scale, targetOf(row.touchpoint)))]);
      } else if ((row.visits[stage] ?? 0) > 0 && total > 0) {
        visited.push([x, y, Math.round(((row.visits[stage] ?? 0) / total) * 1000) / 10]);
      }
    });
  });
  const valueLabel = (v: number | null) => formatMetric(metric, v, f, t, null).replace(/ \/ $/, '');
  const tooltip = (p: { seriesIndex: number; data: [number, number, number | null] }) => {
    const row = rows[p.data[1]];
    const stage = stageLabel(STAGES[p.data[0]], lang);
    if (p.seriesIndex === 3) return html`<b>${row.touchpoint}</b> · ${stage}<br />${t('noData')}`.text;
    if (p.seriesIndex === 2) return html`<b>${row.touchpoint}</b> · ${stage}<br />${t('visitsShare', { share: f.percent(p.data[2], 1) })}`.text;
    const interval = row.low !== null && row.high !== null ? html`<br />${t('interval', { low: valueLabel(row.low), high: valueLabel(row.high) })}` : null;
    const warn = row.meaningful ? null : html`<br /><i>${t('notMeaningfulLong', { min: answer.minSample })}</i>`;
    const target = targetOf(row.touchpoint);
    const bound = target ? targetText(metric, target, view) : null;
    const goal = bound ? html`<br />${t('targetBound', { bound })}` : null;
    const channel = row.channel ? html` (${row.channel})` : null;
    return html`<b>${row.touchpoint}</b>${channel} · ${stage}<br />${t(`metric.${metric}` as MessageKey)}:
      <b>${formatMetric(metric, row.value, f, t, row.scale)}</b><br />${t('sample', { n: row.n })}${interval}${goal}${warn}`.text;
  };
  const option: ChartOption = {
    grid: { left: Math.min(190, 16 + Math.max(...rows.map((r) => rowLabel(r, scales).length)) * 7), right: 12, top: 36, bottom: 56 },
    tooltip: { trigger: 'item', formatter: tooltip, confine: true },
    xAxis: {
      type: 'category',
      position: 'top',
      data: STAGES.map((s) => stageLabel(s, lang)),
      splitArea: { show: false },
      axisLabel: { interval: 0, color: '#334155', fontWeight: 600 },
      axisTick: { show: false },
    },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => rowLabel(r, scales)), axisLabel: { color: '#334155' }, axisTick: { show: false } },
    // Every heatmap series takes its colour from a visual map: the cell's band (fixed thresholds,
    // not the period's spread, so a touchpoint keeps its colour whatever the window), paler for
    // small samples; a fixed colour (hidden map) for the others.
    visualMap: [
      bandColours(0, BAND_COLOURS, (band) => t(`band.${band}` as MessageKey), home.length + small.length > 0),
      bandColours(1, PALE_BAND_COLOURS, (band) => t(`band.${band}` as MessageKey), false),
      fixedColour(2, '#f8fafc'),
      fixedColour(3, '#ffffff'),
    ],
    series: [
      {
        type: 'heatmap',
        name: t(`metric.${metric}` as MessageKey),
        data: home,
        label: { show: true, formatter: (p: { data: number[] }) => valueLabel(p.data[2]), color: '#0f172a', fontWeight: 600 },
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
      },
      {
        type: 'heatmap',
        name: t('notMeaningful'),
        data: small,
        label: { show: true, formatter: (p: { data: number[] }) => `${valueLabel(p.data[2])}*`, color: '#475569', fontStyle: 'italic' },
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
      },
      {
        type: 'heatmap',
        name: t('noData'),
        data: silent,
        label: { show: true, formatter: '—', color: '#94a3b8' },
        itemStyle: { color: '#f8fafc', borderColor: '#fff', borderWidth: 2 },
      },
      {
        type: 'heatmap',
        name: 'visits',
        data: visited,
        label: { show: true, formatter: (p: { data: number[] }) => `${f.number(p.data[2], 0)}%`, color: '#64748b', fontSize: 10 },
        itemStyle: { color: '#ffffff', borderColor: '#94a3b8', borderWidth: 1, borderType: 'dashed' },
      },
    ],
  };
  return { option, height: Math.max(260, rows.length * 30 + 110), rows };
}

const BANDS: readonly Band[] = ['bad', 'neutral', 'good'];

/** A visual map colouring a series' cells by their band (the data's fourth dimension). */
function bandColours(seriesIndex: number, colours: Record<Band, string>, label: (band: Band) => string, show: boolean) {
  return {
    show,
    type: 'piecewise',
    seriesIndex,
    dimension: 3,
    pieces: BANDS.map((band, value) => ({ value, label: label(band), color: colours[band] })),
    orient: 'horizontal',
    left: 'center',
    bottom: 4,
    itemWidth: 14,
    itemHeight: 12,
    selectedMode: false,
    textStyle: { color: '#475569' },
  };
}

function fixedColour(seriesIndex: number, colour: string) {
  return { show: false, type: 'continuous', seriesIndex, min: -1e9, max: 1e9, inRange: { color: [colour, colour] } };
}

function WorstTable({
  answer,
  metric,
  selected,
  onSelect,
  channels,
}: {
  answer: WorstAnswer;
  metric: Metric;
  selected: string | null;
  onSelect: (tp: string) => void;
  channels: Map<string, string | null>;
}) {
  const { t, f } = useView();
  const scales = new Set(answer.rows.map((r) => r.scale ?? '')).size;
  return (
    <div class="table-scroll">
      <table class="data" data-testid="worst-table">
        <thead>
          <tr>
            <th scope="col">{t('rank')}</th>
            <th scope="col">{t('touchpoint')}</th>
            <th scope="col" class="num">
              {t(`metric.${metric}` as MessageKey)}
            </th>
            <th scope="col" class="num">
              n
            </th>
            <th scope="col">{t('intervalShort')}</th>
            <th scope="col">{t('trend')}</th>
          </tr>
        </thead>
        <tbody>
          {answer.rows.map((row, i) => (
            <tr
              key={`${row.key}/${row.scale ?? ''}`}
              class={`${row.meaningful ? '' : 'dim'} ${selected === row.key ? 'selected' : ''}`}
              data-touchpoint={row.key}
            >
              <td class="num">{i + 1}</td>
              <td>
                <a
                  href={href(location.pathname, { ...Object.fromEntries(new URLSearchParams(location.search)), tp: row.key })}
                  onClick={(e) => (e.preventDefault(), onSelect(row.key))}
                  aria-label={t('selectTouchpoint', { touchpoint: row.key })}
                >
                  {row.key}
                </a>
                {row.scale && scales > 1 && <span class="muted small"> ({row.scale})</span>}
                {channels.get(row.key) && <span class="muted small"> · {channels.get(row.key)}</span>}
              </td>
              <td class="num strong">{formatMetric(metric, row.value, f, t, row.scale)}</td>
              <td class="num">
                {f.number(row.n, 0)}
                {!row.meaningful && (
                  <abbr class="small-flag" title={t('notMeaningfulLong', { min: answer.minSample })} aria-label={t('notMeaningful')}>
                    *
                  </abbr>
                )}
              </td>
              <td class="nowrap small">
                {formatMetric(metric, row.low, f, t, null)} – {formatMetric(metric, row.high, f, t, null)}
              </td>
              <td class="small">
                <TrendBadge
                  metric={metric}
                  delta={row.trend.delta}
                  direction={row.trend.direction}
                  previous={row.trend.previousValue}
                  scale={row.scale}
                  significance={row.trend.significance}
                  compact
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {answer.rows.some((r) => !r.meaningful) && <p class="muted small">* {t('notMeaningfulLong', { min: answer.minSample })}</p>}
    </div>
  );
}

function TouchpointDetail({
  touchpoint,
  metric,
  rows,
  minSample,
  cut,
}: {
  touchpoint: string;
  metric: Metric;
  rows: TouchpointStageRow[];
  minSample: number;
  cut: CutParams;
}) {
  const view = useView();
  const { t, f, lang } = view;
  const panel = useRef<HTMLElement>(null);
  useEffect(() => panel.current?.scrollIntoView({ block: 'start', behavior: 'instant' as ScrollBehavior }), [touchpoint]);
  const asOf = useAsOf();
  // Filtered or as of a past moment: the touchpoint's value from the metrics (the heatmap's rows count every answer, now).
  const filtered = Object.keys(cut).length > 0 || asOf.asOf !== null;
  const cutRows = useApi<MetricsAnswer>(
    filtered ? apiUrl('/api/v1/metrics', { metric, by: 'touchpoint', touchpoint, ...cut, ...windowParams(view), ...asOf.params }) : null,
  );
  const own: Pick<TouchpointStageRow, 'value' | 'n' | 'low' | 'high' | 'meaningful' | 'scale'>[] = filtered
    ? (cutRows.data?.rows ?? [])
        .filter((r) => r.key === touchpoint && r.n > 0)
        .map((r) => ({ value: r.value, n: r.n, low: r.low, high: r.high, meaningful: r.meaningful, scale: r.scale ?? null }))
    : rows.filter((r) => r.touchpoint === touchpoint && r.n > 0);
  const { row } = mainRow(own);
  const info = rows.find((r) => r.touchpoint === touchpoint);
  const series = useApi<SeriesAnswer>(
    apiUrl('/api/v1/metrics/series', {
      metric,
      by: 'touchpoint',
      key: touchpoint,
      step: bucketDays(view.range.days),
      ...cut,
      ...windowParams(view),
      ...asOf.params,
    }),
  );
  const distribution = useApi<DistributionAnswer>(
    !definitionOf(metric).hasDistribution
      ? null
      : apiUrl('/api/v1/metrics/distribution', { metric, by: 'touchpoint', key: touchpoint, ...windowParams(view), ...asOf.params }),
  );
  const comments = useApi<CommentsAnswer>(
    apiUrl(`/api/v1/touchpoints/${encodeURIComponent(touchpoint)}/comments`, { limit: 8, ...windowParams(view), ...asOf.params }),
  );
  const trend = useMemo(
    () => (series.data ? trendOption(metric, series.data, minSample, row?.scale ?? undefined, view) : null),
    [series.data, lang, row?.scale],
  );
  const metricName = t(`metric.${metric}` as MessageKey);
  return (
    <section class="card detail" ref={panel} aria-labelledby="detail-title" data-testid="touchpoint-detail">
      <header class="detail-head">
        <div>
          <h2 id="detail-title">{t('detailTitle', { touchpoint })}</h2>
          <p class="muted small">
            {info?.channel && `${t('channel')}: ${info.channel} · `}
            {info?.homeStage && `${t('stage')}: ${stageLabel(info.homeStage, lang)}`}
          </p>
        </div>
        <div class="detail-value">
          {row ? (
            <>
              <strong class="kpi-value small-kpi">{formatMetric(metric, row.value, f, t, row.scale)}</strong>
              <SampleBadges metric={metric} row={{ ...row, key: touchpoint, scale: row.scale ?? undefined }} minSample={minSample} />
            </>
          ) : (
            <span class="muted">{t('noData')}</span>
          )}
        </div>
        <button type="button" class="close" onClick={() => setParams({ tp: null })} aria-label={t('closeDetail')}>
          ×
        </button>
      </header>
      <div class="detail-grid">
        <div>
          <h3>{t('trendTitle', { metric: metricName })}</h3>
          {series.error || cutRows.error ? (
            <ErrorMessage error={(series.error ?? cutRows.error)!} onRetry={series.error ? series.reload : cutRows.reload} />
          ) : !trend ? (
            <Loading />
          ) : trend.empty ? (
            <Empty>{t('noData')}</Empty>
          ) : (
            <>
              <p class="muted small">
                {t(trend.step === 1 ? 'perDay' : trend.step === 7 ? 'perWeek' : 'perMonth')} · {t('answersCount', { n: f.number(trend.total, 0) })}
              </p>
              <Chart option={trend.option} height={190} label={`${touchpoint}: ${trend.summary}`} />
            </>
          )}
        </div>
        <div>
          <h3>{t('distributionTitle', { metric: metricName })}</h3>
          {filtered && definitionOf(metric).hasDistribution && <p class="muted small">{t('cut.unfiltered')}</p>}
          {!definitionOf(metric).hasDistribution ? (
            <p class="muted">{t('distributionNA')}</p>
          ) : (
            <Loaded state={distribution} isEmpty={(d) => d.counts.length === 0}>
              {(d) => <Distribution answer={d} metric={metric} touchpoint={touchpoint} />}
            </Loaded>
          )}
        </div>
        <div class="comments">
          <h3>{t('commentsTitle')}</h3>
          <Loaded state={comments}>
            {(d) =>
              d.items.length === 0 ? (
                <p class="muted">{t('noComments')}</p>
              ) : (
                <ul class="comment-list" data-testid="comments">
                  {d.items.map((c) => (
                    <li key={c.eventId}>
                      <span
                        class={`score ${scoreClass(c.kind, c.score, c.scale)}`}
                        title={`${c.kind.toUpperCase()} ${scoreText(c.kind, c.score)}${c.scale ? ` (${c.scale})` : ''}`}
                      >
                        {scoreText(c.kind, c.score)}
                      </span>
                      <div>
                        <q>{c.comment}</q>
                        <div class="muted small">
                          <a href={href(`/customers/${encodeURIComponent(c.customerId)}`, {}, `ev-${c.eventId}`)}>{c.customerName ?? c.customerId}</a>
                          {c.segment && ` · ${c.segment}`} · {c.kind.toUpperCase()} · <time dateTime={c.occurredAt}>{f.dateTime(c.occurredAt)}</time>
                        </div>
                      </div>
                    </li>
                  ))}
                </ul>
              )
            }
          </Loaded>
        </div>
      </div>
      <TouchpointExplain touchpoint={touchpoint} metric={metric} scale={row?.scale ?? null} filters={{ stage: cut.stage, channel: cut.channel }} />
    </section>
  );
}

function Distribution({ answer, metric, touchpoint }: { answer: DistributionAnswer; metric: Metric; touchpoint: string }) {
  const { t, f } = useView();
  const option = useMemo(() => {
    const scales = new Map<string, number>();
    for (const c of answer.counts) scales.set(c.scale, (scales.get(c.scale) ?? 0) + c.count);
    const scale = [...scales.entries()].sort((a, b) => b[1] - a[1])[0][0];
    const counts = answer.counts.filter((c) => c.scale === scale);
    let scores: (number | boolean)[];
    if (scale === 'yes-no') scores = [false, true];
    else {
      const [low, high] = scale.split('-').map(Number);
      scores = Array.from({ length: high - low + 1 }, (_, i) => low + i);
    }
    const byScore = new Map(counts.map((c) => [String(c.score), c.count]));
    const chart: ChartOption = {
      grid: { left: 36, right: 12, top: 16, bottom: 24 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'category', data: scores.map(String), axisLabel: { color: '#475569' } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#475569' }, splitLine: { lineStyle: { color: '#e2e8f0' } } },
      series: [
        {
          type: 'bar',
          name: t('count'),
          data: scores.map((s) => ({ value: byScore.get(String(s)) ?? 0, itemStyle: { color: SCORE_COLOURS[scoreClass(metric, s, scale)] } })),
          barMaxWidth: 28,
        },
      ],
    };
    return { chart, scale, summary: scores.map((s) => `${String(s)}: ${byScore.get(String(s)) ?? 0}`).join(', ') };
  }, [answer, metric, f.lang]);
  return (
    <>
      <p class="muted small">{t('scale', { scale: option.scale })}</p>
      <Chart
        option={option.chart}
        height={190}
        label={`${t('distributionTitle', { metric: t(`metric.${metric}` as MessageKey) })} ${touchpoint}: ${option.summary}`}
      />
    </>
  );
}

/** Each touchpoint's target for the metric: its own, else its owner team's, else the company's. */
function targetLookup(metric: Metric, targets: readonly Target[], catalog: readonly CatalogItem[]): (touchpoint: string) => Target | undefined {
  const mine = targets.filter((target) => target.metric === metric);
  const owners = new Map(catalog.map((item) => [item.touchpoint, item.owner]));
  const all = mine.find((target) => target.scope.kind === 'all');
  return (touchpoint) => {
    const owner = owners.get(touchpoint);
    return (
      mine.find((target) => target.scope.kind === 'touchpoint' && target.scope.value === touchpoint) ??
      (owner ? mine.find((target) => target.scope.kind === 'owner' && target.scope.value === owner) : undefined) ??
      all
    );
  };
}

function targetText(metric: Metric, target: Target, { f, t }: View): string | null {
  if (target.min !== undefined) return `≥ ${formatMetric(metric, target.min, f, t, null)}`;
  if (target.max !== undefined) return `≤ ${formatMetric(metric, target.max, f, t, null)}`;
  return null;
}

/** The metric of each touchpoint in each stage it was answered in (`by=touchpoint,stage`), under the page's filters. */
function CutTable({ answer, metric, selected, onSelect }: { answer: MetricsAnswer; metric: Metric; selected: string | null; onSelect: (tp: string) => void }) {
  const { t, f, lang } = useView();
  const partOf = (row: MetricRow) => {
    const keys = (row.keys ?? {}) as { touchpoint?: string; stage?: string };
    const [touchpoint, stage] = row.key.split('|');
    return { touchpoint: keys.touchpoint ?? touchpoint ?? row.key, stage: keys.stage ?? stage ?? null };
  };
  const rows = answer.rows
    .map((row) => ({ row, ...partOf(row) }))
    .sort(
      (a, b) =>
        a.touchpoint.localeCompare(b.touchpoint) ||
        STAGES.indexOf(a.stage as Stage) - STAGES.indexOf(b.stage as Stage) ||
        (a.row.scale ?? '').localeCompare(b.row.scale ?? ''),
    );
  const scales = new Set(answer.rows.map((r) => r.scale ?? '')).size;
  return (
    <div class="table-scroll cut-table">
      <table class="data" data-testid="cut-table">
        <thead>
          <tr>
            <th scope="col">{t('touchpoint')}</th>
            <th scope="col">{t('stage')}</th>
            <th scope="col" class="num">
              {t(`metric.${metric}` as MessageKey)}
            </th>
            <th scope="col">{t('intervalShort')}</th>
            <th scope="col" class="num">
              n
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ row, touchpoint, stage }) => (
            <tr
              key={`${row.key}/${row.scale ?? ''}`}
              class={`${row.meaningful ? '' : 'dim'} ${selected === touchpoint ? 'selected' : ''}`}
              data-key={row.key}
              data-touchpoint={touchpoint}
              data-stage={stage ?? ''}
            >
              <td>
                <a
                  href={href(location.pathname, { ...Object.fromEntries(new URLSearchParams(location.search)), tp: touchpoint })}
                  onClick={(e) => (e.preventDefault(), onSelect(touchpoint))}
                  aria-label={t('selectTouchpoint', { touchpoint })}
                >
                  {touchpoint}
                </a>
                {row.scale && scales > 1 && <span class="muted small"> ({row.scale})</span>}
              </td>
              <td>{stageLabel(stage, lang)}</td>
              <td class="num strong">{formatMetric(metric, row.value, f, t, row.scale)}</td>
              <td class="nowrap small">
                {formatMetric(metric, row.low, f, t, null)} – {formatMetric(metric, row.high, f, t, null)}
              </td>
              <td class="num">
                {f.number(row.n, 0)}
                {!row.meaningful && (
                  <abbr class="small-flag" title={t('notMeaningfulLong', { min: answer.minSample })} aria-label={t('notMeaningful')}>
                    *
                  </abbr>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
