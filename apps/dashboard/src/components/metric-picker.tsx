import type { MessageKey } from '../i18n';
import { metricList } from '../metrics';
import type { Metric } from '../types';
import { useView } from '../view';

/** NPS / CSAT / CES / TTR as a row of toggle buttons. */
export function MetricPicker({ metric, onChange }: { metric: Metric; onChange: (metric: Metric) => void }) {
  const { t } = useView();
  return (
    <div class="toolbar">
      <div class="segmented" role="group" aria-label={t('metric')}>
        {metricList().map((m) => (
          <button type="button" key={m} aria-pressed={m === metric} title={t(`metricLong.${m}` as MessageKey)} onClick={() => onChange(m)}>
            {t(`metric.${m}` as MessageKey)}
          </button>
        ))}
      </div>
      <span class="muted small">{t(`metricLong.${metric}` as MessageKey)}</span>
    </div>
  );
}
