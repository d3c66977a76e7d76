import { useMemo } from 'preact/hooks';
import { apiUrl, useApi } from '../api';
import { AsOfControl, useAsOf } from '../components/as-of-control';
import { Chart, type ChartOption } from '../components/chart';
import { SampleBadges, Trend, TrendBadge } from '../components/metric-badges';
import { PeriodNote } from '../components/period-note';
import { DefinitionsNote } from '../components/definitions-note';
import { ErrorMessage, Loading } from '../components/states';
import { addDays } from '../format';
import type { MessageKey } from '../i18n';
import { bucketDays, definitionOf, formatMetric, mainRow, metricDigits, metricList, trendPoints } from '../metrics';
import { previousRange } from '../period';
import { href } from '../router';
import type { AttentionAnswer, ComparedMetricsAnswer, Metric, MetricsAnswer, RetentionAnswer, SeriesAnswer } from '../types';
import { useView, windowParams } from '../view';
import { html } from '../html';

/** What needs attention first; then NPS, CSAT, CES and TTR for the period against the one before, retention and churn, and their trends. */
export function OverviewPage() {
  const view = useView();
  const { t } = view;
  // the attention list's own answer (one request: the same URL is fetched once), for the version its numbers use and the moment it was known at
  const attention = useApi<AttentionAnswer & { asOf?: { asOf: string } }>(
    apiUrl('/api/v1/touchpoints/attention', { ...windowParams(view), ...useAsOf().params }),
  );
  return (
    <>
      <div class="page-head">
        <h1>{t('page.overview')}</h1>
        <PeriodNote />
        <DefinitionsNote version={attention.data?.definitions.version} />
      </div>
      <AsOfControl stated={attention.data?.asOf?.asOf} />
      <AttentionList />
      <section aria-labelledby="kpi-title">
        <h2 id="kpi-title" class="visually-hidden">
          {t('kpiTitle')}
        </h2>
        <div class="kpis">
          {metricList().map((metric) => (
            <KpiCard metric={metric} key={metric} />
          ))}
          <RetentionCards />
        </div>
      </section>
      <section aria-labelledby="trends-title">
        <h2 id="trends-title">{t('trendsTitle')}</h2>
        <div class="chart-grid">
          {metricList().map((metric) => (
            <MetricTrend metric={metric} key={metric} />
          ))}
        </div>
      </section>
    </>
  );
}

/**
 * The touchpoints significantly bad on any metric (GET /api/v1/touchpoints/attention), most urgent
 * first: what, how sure (interval and n), against what, and a link to the touchpoint with its comments.
 */
function AttentionList() {
  const view = useView();
  const { t, f } = view;
  const asOf = useAsOf();
  const answer = useApi<AttentionAnswer>(apiUrl('/api/v1/touchpoints/attention', { ...windowParams(view), ...asOf.params }));
  return (
    <section class="card attention" aria-labelledby="attention-title">
      <h2 id="attention-title">{t('attentionTitle')}</h2>
      <p class="muted small">{t('attentionNote')}</p>
      {answer.error ? (
        <ErrorMessage error={answer.error} onRetry={answer.reload} />
      ) : answer.loading || !answer.data ? (
        <Loading />
      ) : answer.data.rows.length === 0 ? (
        <p class="state empty">{t('attentionNone')}</p>
      ) : (
        <ol>
          {answer.data.rows.map((row) => {
            const metricName = `${t(`metric.${row.metric}` as MessageKey)}${row.scale && definitionOf(row.metric).unit === 'percent' ? ` (${row.scale})` : ''}`;
            const value = (v: number) => formatMetric(row.metric, v, f, t, row.scale);
            const against = t(`attention.${row.referenceKind}.${definitionOf(row.metric).better}` as MessageKey, { reference: value(row.reference) });
            return (
              <li key={`${row.touchpoint} ${row.metric} ${row.scale ?? ''}`} data-touchpoint={row.touchpoint} data-metric={row.metric}>
                <a
                  href={href('/touchpoints', { ...windowParams(view), ...asOf.params, metric: row.metric, tp: row.touchpoint })}
                  aria-label={t('attentionOpen', { touchpoint: row.touchpoint })}
                >
                  {row.touchpoint}
                </a>
                <span class="what">
                  {metricName} {value(row.value)}
                </span>
                <span class="small">{t('interval', { low: value(row.low), high: value(row.high) })}</span>
                <span class="small">{t('sample', { n: f.number(row.n, 0) })}</span>
                <span>{against}</span>
                {row.owner && <span class="muted small">{t('attentionOwner', { owner: row.owner })}</span>}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function KpiCard({ metric }: { metric: Metric }) {
  const view = useView();
  const { t, f } = view;
  // the server compares with the window of equal length before, and judges the change by the metric's definition
  const current = useApi<ComparedMetricsAnswer>(
    apiUrl('/api/v1/metrics', { metric, by: 'all', compare: 'previous', ...windowParams(view), ...useAsOf().params }),
  );
  const { row, others } = mainRow(current.data?.rows ?? []);
  return (
    <article class="card kpi" aria-labelledby={`kpi-${metric}`} data-metric={metric}>
      <header>
        <h3 id={`kpi-${metric}`}>
          <a href={href('/touchpoints', { metric })}>{t(`metric.${metric}` as MessageKey)}</a>
        </h3>
        <span class="muted small">{t(`metricLong.${metric}` as MessageKey)}</span>
      </header>
      {current.error ? (
        <ErrorMessage error={current.error} onRetry={current.reload} />
      ) : current.loading ? (
        <Loading />
      ) : !row ? (
        <p class="kpi-value none">{t('noData')}</p>
      ) : (
        <>
          <p class={`kpi-value ${row.meaningful ? '' : 'dim'}`}>
            {formatMetric(metric, row.value, f, t, row.scale)}
            {row.scale && definitionOf(metric).unit === 'percent' && <span class="unit"> {t('scale', { scale: row.scale })}</span>}
          </p>
          <SampleBadges metric={metric} row={row} minSample={current.data!.minSample} />
          {others > 0 && <p class="muted small">{t('otherScales', { count: others })}</p>}
          <p class="kpi-trend">
            <TrendBadge
              metric={metric}
              delta={row.trend.delta}
              direction={row.trend.direction}
              previous={row.trend.previousValue}
              scale={row.scale}
              significance={row.trend.significance}
            />
          </p>
        </>
      )}
    </article>
  );
}

function RetentionCards() {
  const view = useView();
  const { t, f, range, tzParam } = view;
  const previous = previousRange(range);
  const asOf = useAsOf().params;
  const current = useApi<RetentionAnswer>(apiUrl('/api/v1/retention', { ...windowParams(view), ...asOf }));
  const before = useApi<RetentionAnswer>(apiUrl('/api/v1/retention', { from: previous.from, to: previous.to, tz: tzParam, ...asOf }));
  const cards: { key: 'retentionRate' | 'churnRate'; title: MessageKey; formula: MessageKey; higherIsBetter: boolean }[] = [
    { key: 'retentionRate', title: 'retention', formula: 'retentionFormula', higherIsBetter: true },
    { key: 'churnRate', title: 'churnRate', formula: 'churnFormula', higherIsBetter: false },
  ];
  return (
    <>
      {cards.map((card) => {
        const value = current.data?.[card.key] ?? null;
        const past = before.data?.[card.key] ?? null;
        const delta = value !== null && past !== null ? Math.round((value - past) * 100) / 100 : null;
        const direction = delta === null ? 'unknown' : delta === 0 ? 'flat' : delta > 0 === card.higherIsBetter ? 'improving' : 'worsening';
        return (
          <article class="card kpi" aria-labelledby={`kpi-${card.key}`} key={card.key} data-metric={card.key}>
            <header>
              <h3 id={`kpi-${card.key}`}>{t(card.title)}</h3>
              <span class="muted small">{t(card.formula)}</span>
            </header>
            {current.error ? (
              <ErrorMessage error={current.error} onRetry={current.reload} />
            ) : current.loading || !current.data ? (
              <Loading />
            ) : (
              <>
                <p class="kpi-value">{value === null ? '—' : f.percent(value, 1)}</p>
                <div class="badges">
                  <span class="badge">
                    {t('retentionDetail', {
                      start: f.number(current.data.startCustomers, 0),
                      fresh: f.number(current.data.newCustomers, 0),
                      end: f.number(current.data.endCustomers, 0),
                      lost: f.number(current.data.lostCustomers, 0),
                    })}
                  </span>
                </div>
                <p class="kpi-trend">
                  <Trend delta={delta} digits={1} direction={direction} previous={past === null ? null : f.percent(past, 1)} />
                </p>
              </>
            )}
          </article>
        );
      })}
    </>
  );
}

function MetricTrend({ metric }: { metric: Metric }) {
  const view = useView();
  const { t, f } = view;
  const asOf = useAsOf().params;
  const answer = useApi<SeriesAnswer>(
    apiUrl('/api/v1/metrics/series', { metric, by: 'all', key: '*', step: bucketDays(view.range.days), ...windowParams(view), ...asOf }),
  );
  const overall = useApi<MetricsAnswer>(apiUrl('/api/v1/metrics', { metric, by: 'all', ...windowParams(view), ...asOf }));
  const option = useMemo(() => {
    if (!answer.data || !overall.data) return null;
    const scale = mainRow(overall.data.rows).row?.scale;
    return trendOption(metric, answer.data, overall.data.minSample, scale, view);
  }, [answer.data, overall.data, view.lang, view.timeZone]);
  const title = t('trendTitle', { metric: t(`metric.${metric}` as MessageKey) });
  return (
    <article class="card">
      <h3>{title}</h3>
      {answer.error ? (
        <ErrorMessage error={answer.error} onRetry={answer.reload} />
      ) : overall.error ? (
        <ErrorMessage error={overall.error} onRetry={overall.reload} />
      ) : !option ? (
        <Loading />
      ) : option.empty ? (
        <p class="state empty">{t('noData')}</p>
      ) : (
        <>
          <p class="muted small">
            {t(option.step === 1 ? 'perDay' : option.step === 7 ? 'perWeek' : 'perMonth')} · {t('answersCount', { n: f.number(option.total, 0) })}
          </p>
          <Chart option={option.option} height={220} label={`${title}: ${option.summary}`} />
        </>
      )}
    </article>
  );
}

export function trendOption(metric: Metric, answer: SeriesAnswer, minSample: number, scale: string | undefined, view: ReturnType<typeof useView>) {
  const { t, f } = view;
  const { step } = answer;
  const points = trendPoints(answer.points, minSample, scale);
  const byDay = new Map(points.map((p) => [p.day, p]));
  const days: string[] = [];
  for (let day = answer.window.fromDay; day < answer.window.toDay; day = addDays(day, step)) days.push(day);
  const cells = days.map((day) => byDay.get(day) ?? { day, value: null, n: 0, meaningful: false });
  const total = points.reduce((sum, p) => sum + p.n, 0);
  const option: ChartOption = {
    grid: { left: 48, right: 40, top: 28, bottom: 28 },
    tooltip: {
      trigger: 'axis',
      formatter: (items: { dataIndex: number }[]) => {
        const cell = cells[items[0]?.dataIndex ?? 0];
        const label = step > 1 ? `${f.shortDay(cell.day)} – ${f.shortDay(addDays(cell.day, step - 1))}` : f.day(cell.day);
        const warn = cell.n && !cell.meaningful ? html` · ${t('notMeaningful')}` : null;
        return html`${label}<br />${t(`metric.${metric}` as MessageKey)}: <b>${formatMetric(metric, cell.value, f, t, scale)}</b
          ><br />${t('sample', { n: f.number(cell.n, 0) })}${warn}`.text;
      },
    },
    xAxis: {
      type: 'category',
      data: cells.map((c) => f.shortDay(c.day)),
      axisLabel: { hideOverlap: true, color: '#475569' },
      axisTick: { alignWithLabel: true },
    },
    yAxis: [
      {
        type: 'value',
        scale: definitionOf(metric).unit !== 'points',
        axisLabel: { color: '#475569', formatter: (v: number) => f.number(v, metricDigits(metric)) },
        splitLine: { lineStyle: { color: '#e2e8f0' } },
      },
      { type: 'value', name: 'n', nameTextStyle: { color: '#94a3b8' }, axisLabel: { color: '#94a3b8' }, splitLine: { show: false }, minInterval: 1 },
    ],
    series: [
      { type: 'bar', name: t('answers'), yAxisIndex: 1, data: cells.map((c) => c.n), itemStyle: { color: '#e2e8f0' }, barMaxWidth: 16 },
      {
        type: 'line',
        name: t(`metric.${metric}` as MessageKey),
        data: cells.map((c) => ({ value: c.value, symbol: c.meaningful ? 'circle' : 'emptyCircle' })),
        connectNulls: true,
        symbolSize: 6,
        lineStyle: { color: '#0f766e', width: 2 },
        itemStyle: { color: '#0f766e' },
      },
    ],
  };
  const last = [...points].reverse().find((p) => p.value !== null);
  const summary = last ? `${f.day(last.day)}: ${formatMetric(metric, last.value, f, t, scale)} (n = ${last.n})` : t('noData');
  return { option, step, total, empty: points.length === 0, summary };
}
