import { readableAsOf } from '../period';
import { setParams } from '../router';
import { useView } from '../view';

/**
 * `?asOf=2026-11-01` (or `2026-11-01T14:30:05`) in the URL: the page's reads as Journeyline knew
 * them at that moment in the page's time zone; null when absent or malformed (`unreadable` then
 * holds what was asked, so the page says it shows now instead).
 */
export function useAsOf(): { asOf: string | null; unreadable: string | null; params: { asOf?: string; tz?: string } } {
  const { route, tzParam } = useView();
  const asked = route.params.get('asOf');
  const asOf = readableAsOf(asked);
  const unreadable = asked && !asOf ? asked : null;
  return { asOf, unreadable, params: asOf ? { asOf, ...(tzParam ? { tz: tzParam } : {}) } : {} };
}

/** What was asked, shown as text (never markup), shortened past this many characters. */
const ASKED_SHOWN = 40;

/** The moment a day and a time of day name; a day alone is its midnight. */
function momentOf(day: string, time: string): string | null {
  if (!day) return null;
  return time ? `${day}T${time}` : day;
}

/** The calendar day `days` after `day` (YYYY-MM-DD; a calendar day has no time zone). */
function dayAfter(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * "As known on" a day, optionally at a time: pickers that set `asOf`, the day before or after at the
 * same time (a step forward replays only what was recorded in between), "Now" to clear it, and what
 * the answer says it used.
 */
export function AsOfControl({ stated }: { stated?: string }) {
  const { t, f } = useView();
  const { asOf, unreadable } = useAsOf();
  const day = asOf?.slice(0, 10) ?? '';
  const time = asOf?.slice(11) ?? '';
  return (
    <div class="as-of" data-testid="as-of">
      <label>
        {t('asOfLabel')} <input type="date" value={day} onChange={(event) => setParams({ asOf: momentOf((event.target as HTMLInputElement).value, time) })} />
      </label>{' '}
      {asOf && (
        <>
          <input
            type="time"
            step={1}
            aria-label={t('asOfTime')}
            value={time}
            onChange={(event) => setParams({ asOf: momentOf(day, (event.target as HTMLInputElement).value) })}
          />{' '}
          <button type="button" class="link" onClick={() => setParams({ asOf: momentOf(dayAfter(day, -1), time) })}>
            {t('asOfPreviousDay')}
          </button>{' '}
          <button type="button" class="link" onClick={() => setParams({ asOf: momentOf(dayAfter(day, 1), time) })}>
            {t('asOfNextDay')}
          </button>{' '}
          <button type="button" class="link" onClick={() => setParams({ asOf: null })}>
            {t('asOfNow')}
          </button>
        </>
      )}
      {asOf && stated && <p class="muted small">{t('asOfNote', { asOf: f.dateTime(stated) })}</p>}
      {unreadable && (
        <p class="small as-of-unreadable" role="note" data-testid="as-of-unreadable">
          {t('asOfUnreadable', { asked: unreadable.length > ASKED_SHOWN ? `${unreadable.slice(0, ASKED_SHOWN)}…` : unreadable })}
        </p>
      )}
    </div>
  );
}
