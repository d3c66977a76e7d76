/**
 * A query window resolved to whole day buckets. `from` is inclusive, `to` exclusive; a bare date
 * is midnight in the request's zone. Buckets are local days of the zone the projection was built
 * in, so a window in another zone snaps to the bucket days whose midnight falls inside it; the
 * answer says which days it used.
 */
export interface DayWindow {
  fromDay: string;
  /** Exclusive. */
  toDay: string;
  days: number;
  timeZone: string;
  from: string;
  to: string;
}
