import { addDays } from '../format';
import { useView } from '../view';

/** "Showing 25 Oct 2026 – 23 Nov 2026 (Asia/Ho_Chi_Minh)": the period and zone a page is about. */
export function PeriodNote() {
  const { t, f, range, timeZone } = useView();
  return <p class="period-note">{t('showingWindow', { from: f.day(range.from), to: f.day(addDays(range.to, -1)), tz: timeZone })}</p>;
}
