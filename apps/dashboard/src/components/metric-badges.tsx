import { formatMetric, metricDigits } from '../metrics';
import type { Metric, MetricRow } from '../types';
import { useView } from '../view';

/** n, the 95% interval and whether the sample is big enough, for one metric row. */
export function SampleBadges({ metric, row, minSample }: { metric: Metric; row: MetricRow; minSample: number }) {
  const { t, f } = useView();
  return (
    <div class="badges">
      <span class="badge" title={t('sampleSize')}>
        {t('sample', { n: f.number(row.n, 0) })}
      </span>
      {row.low !== null && row.high !== null && (
        <span class="badge" title={t('intervalShort')}>
          {t('interval', { low: formatMetric(metric, row.low, f, t), high: formatMetric(metric, row.high, f, t) })}
        </span>
      )}
      {!row.meaningful && (
        <span class="badge warn" title={t('notMeaningfulLong', { min: minSample })}>
          {t('notMeaningful')}
        </span>
      )}
    </div>
  );
}

export type Direction = 'improving' | 'worsening' | 'flat' | 'unknown';
export type Significance = 'up' | 'down' | 'no-clear-change';

/** ▲ +3.2 improving: the change against the period before, coloured by whether it is good. */
export function TrendBadge({
  metric,
  delta,
  direction,
  previous,
  scale,
  compact,
  significance,
}: {
  metric: Metric;
  delta: number | null;
  direction: Direction;
  previous?: number | null;
  scale?: string | null;
  compact?: boolean;
  /** The server's test on the two periods: without 'up' or 'down' the change shows as "no clear change", with no arrow. */
  significance?: Significance;
}) {
  const { t, f } = useView();
  const before = previous === undefined || previous === null ? previous : formatMetric(metric, previous, f, t, scale);
  return <Trend delta={delta} digits={metricDigits(metric)} direction={direction} previous={before} compact={compact} significance={significance} />;
}

/** The change itself; `previous` (formatted) adds "previous period: …", null says there was none. */
export function Trend({
  delta,
  digits,
  direction,
  previous,
  compact,
  significance,
}: {
  delta: number | null;
  digits: number;
  direction: Direction;
  previous?: string | null;
  compact?: boolean;
  significance?: Significance;
}) {
  const { t, f } = useView();
  if (significance === 'no-clear-change' && direction !== 'unknown') {
    // a change within chance: no arrow, no colour; the difference stays readable in the words
    const words = `${t('trend.noClearChange')}${delta === null ? '' : ` (${f.signed(delta, digits)})`}${previous ? ` · ${t('previousValue', { value: previous })}` : ''}`;
    return (
      <span class="trend unclear" title={t('trend.noClearChangeLong')} aria-label={words} data-significance={significance}>
        {compact ? t('trend.noClearChange') : words}
      </span>
    );
  }
  const arrow = direction === 'unknown' ? '·' : delta === 0 ? '→' : delta! > 0 ? '▲' : '▼';
  if (compact) {
    // In a table cell: the arrow and the change; the words are for the tooltip and screen readers.
    const words = `${delta === null ? '' : `${f.signed(delta, digits)} `}${t(`trend.${direction}`)}${previous ? ` · ${t('previousValue', { value: previous })}` : ''}`;
    return (
      <span class={`trend ${direction}`} title={words} aria-label={words}>
        {direction === 'unknown' ? (
          '—'
        ) : (
          <>
            <span aria-hidden="true">{arrow}</span> {f.signed(delta, digits)}
          </>
        )}
      </span>
    );
  }
  return (
    <span class={`trend ${direction}`}>
      <span aria-hidden="true">{arrow}</span> {delta !== null && <strong>{f.signed(delta, digits)}</strong>} {t(`trend.${direction}`)}
      {previous && <span class="muted"> · {t('previousValue', { value: previous })}</span>}
    </span>
  );
}
