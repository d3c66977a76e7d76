import { useMemo } from 'preact/hooks';
import { apiUrl, useApi } from '../api';
import { Chart, type ChartOption } from '../components/chart';
import { PeriodNote } from '../components/period-note';
import { Loaded } from '../components/states';
import { STAGES, stageLabel, type MessageKey } from '../i18n';
import { setParams } from '../router';
import type { FunnelAnswer } from '../types';
import { useView, windowParams } from '../view';
import { AsOfControl, useAsOf } from '../components/as-of-control';
import { CutFilters, cutOf } from '../components/cut-filters';
import type { CatalogItem } from '@journeyline/projections/touchpoint-catalog/touchpoint-catalog.queries';

const SPLITS = ['acquisitionChannel', 'segment', 'region'] as const;
type Split = (typeof SPLITS)[number];

export const STAGE_COLOURS: Record<string, string> = {
  awareness: '#6366f1',
  evaluation: '#0ea5e9',
  choice: '#14b8a6',
  purchase: '#22c55e',
  use: '#f59e0b',
  advocacy: '#ec4899',
};

/** The six stages with conversion and median time between them, for the period's cohort, split if asked. */
export function FunnelPage() {
  const view = useView();
  const { t, route } = view;
  const asked = route.params.get('split') as Split | null;
  const split = asked && SPLITS.includes(asked) ? asked : null;
  const cut = cutOf(route.params, { touchpoint: true });
  const asOf = useAsOf();
  const funnel = useApi<FunnelAnswer & { asOf?: { asOf: string } }>(apiUrl('/api/v1/funnel', { split, ...cut, ...windowParams(view), ...asOf.params }));
  // the catalog names every touchpoint seen (registered or new) and their channels
  const catalog = useApi<{ items: CatalogItem[] }>('/api/v1/touchpoints');
  const touchpoints = useMemo(() => (catalog.data?.items ?? []).map((c) => c.touchpoint).sort(), [catalog.data]);
  const channels = useMemo(() => [...new Set((catalog.data?.items ?? []).map((c) => c.channel))].filter((c): c is string => !!c).sort(), [catalog.data]);
  return (
    <>
      <div class="page-head">
        <h1>{t('funnelTitle')}</h1>
        <PeriodNote />
      </div>
      <div class="toolbar">
        <label class="control">
          <span>{t('split')}</span>
          <select value={split ?? ''} onChange={(e) => setParams({ split: (e.target as HTMLSelectElement).value || null })}>
            <option value="">{t('split.none')}</option>
            {SPLITS.map((s) => (
              <option value={s} key={s}>
                {t(`split.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <span class="muted small">{t('funnelNote')}</span>
      </div>
      <CutFilters cut={cut} channels={channels} touchpoints={touchpoints} note="funnel.filtersNote" />
      <AsOfControl stated={funnel.data?.asOf?.asOf} />
      <Loaded state={funnel} isEmpty={(d) => d.groups.length === 0 || d.groups.every((g) => g.cohort === 0)}>
        {(data) => (
          <>
            {data.groups.length > 1 && <FunnelComparison answer={data} />}
            <div class={data.groups.length > 1 ? 'funnel-grid' : ''}>
              {data.groups.map((group) => (
                <FunnelCard group={group} key={group.group} wide={data.groups.length === 1} />
              ))}
            </div>
          </>
        )}
      </Loaded>
    </>
  );
}

function groupName(group: string, split: boolean, t: ReturnType<typeof useView>['t']): string {
  if (!split) return t('page.funnel');
  return group === '(unknown)' ? t('unknownGroup') : group;
}

function FunnelCard({ group, wide }: { group: FunnelAnswer['groups'][number]; wide: boolean }) {
  const { t, f, lang } = useView();
  const title = groupName(group.group, !wide, t);
  return (
    <article class="card funnel-card" aria-label={`${title}: ${t('cohort', { n: group.cohort })}`} data-group={group.group}>
      <header class="funnel-head">
        <h2>{title}</h2>
        <span class="muted">{t('cohort', { n: f.number(group.cohort, 0) })}</span>
      </header>
      <p class="muted small funnel-key">{t('funnelKey')}</p>
      <ol class="funnel">
        {group.stages.map((stage, i) => (
          <li key={stage.stage} data-stage={stage.stage}>
            {i > 0 && (
              <div class="funnel-step small">
                <span aria-hidden="true">↓</span> <strong title={t('conversion')}>{f.percent(stage.conversion, 1)}</strong>
                {stage.medianHoursFromPrevious !== null && (
                  <>
                    {' · '}
                    <span title={t('medianTime')}>
                      {t('median')} {f.hours(stage.medianHoursFromPrevious)}
                    </span>
                  </>
                )}
              </div>
            )}
            <div class="funnel-row">
              <span class="funnel-label">{stageLabel(stage.stage, lang)}</span>
              <span class="funnel-track" aria-hidden="true">
                <span class="funnel-bar" style={{ width: `${Math.max(stage.ofCohort ?? 0, 0.5)}%`, background: STAGE_COLOURS[stage.stage] }} />
              </span>
              <span class="funnel-count num">
                <strong>{f.number(stage.customers, 0)}</strong> <span class="muted">({f.percent(stage.ofCohort, 1)})</span>
              </span>
            </div>
          </li>
        ))}
      </ol>
    </article>
  );
}

function FunnelComparison({ answer }: { answer: FunnelAnswer }) {
  const { t, f, lang } = useView();
  const option = useMemo((): ChartOption => {
    const palette = ['#0f766e', '#6366f1', '#f59e0b', '#ec4899', '#0ea5e9', '#84cc16', '#ef4444', '#8b5cf6', '#14b8a6', '#64748b'];
    return {
      color: palette,
      grid: { left: 44, right: 16, top: 48, bottom: 28 },
      legend: { type: 'scroll', top: 0, textStyle: { color: '#334155' } },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => f.percent(v, 1) },
      xAxis: { type: 'category', data: STAGES.map((s) => stageLabel(s, lang)), axisLabel: { interval: 0, color: '#334155' } },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: (v: number) => `${v}%`, color: '#475569' }, splitLine: { lineStyle: { color: '#e2e8f0' } } },
      series: answer.groups.map((g) => ({
        type: 'line',
        name: `${groupName(g.group, true, t)} (${f.number(g.cohort, 0)})`,
        data: g.stages.map((s) => s.ofCohort),
        symbolSize: 6,
      })),
    };
  }, [answer, lang]);
  return (
    <section class="card">
      <h2>{t('funnelCompare')}</h2>
      <Chart
        option={option}
        height={300}
        label={`${t('funnelCompare')}: ${answer.groups.map((g) => `${g.group} ${f.percent(g.stages[3]?.ofCohort ?? null, 1)} ${stageLabel('purchase', lang)}`).join(', ')}`}
      />
    </section>
  );
}
