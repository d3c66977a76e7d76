import { setParams } from '../router';
import { useView } from '../view';

/** `?asOf=2026-11-01` in the URL: the page's reads as Journeyline knew them at that day's midnight (in the page's time zone); null when absent or not a date. */
export function useAsOf(): { asOf: string | null; params: { asOf?: string; tz?: string } } {
  const { route, tzParam } = useView();
  const asked = route.params.get('asOf');
  const asOf = asked && /^\d{4}-\d{2}-\d{2}$/.test(asked) ? asked : null;
  return { asOf, params: asOf ? { asOf, ...(tzParam ? { tz: tzParam } : {}) } : {} };
}

/** "As known on" a day: a date picker that sets `asOf`, "Now" to clear it, and what the answer says it used. */
export function AsOfControl({ stated }: { stated?: string }) {
  const { t, f } = useView();
  const { asOf } = useAsOf();
  return (
    <div class="as-of" data-testid="as-of">
      <label>
        {t('asOfLabel')} <input type="date" value={asOf ?? ''} onChange={(event) => setParams({ asOf: (event.target as HTMLInputElement).value || null })} />
      </label>{' '}
      {asOf && (
        <button type="button" class="link" onClick={() => setParams({ asOf: null })}>
          {t('asOfNow')}
        </button>
      )}
      {asOf && stated && <p class="muted small">{t('asOfNote', { asOf: f.dateTime(stated) })}</p>}
    </div>
  );
}
