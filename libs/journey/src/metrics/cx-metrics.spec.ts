import fc from 'fast-check';
import { localDay } from '../calendar';
import { ces, csat, nps, retention, ttrHours } from './cx-metrics';
import { durationBin, quantileFromBins } from './duration-sketch';
import { meanInterval, wilsonPercent } from './interval';

const HOUR = 3_600_000;

describe('CX metrics worked by hand', () => {
  it('10 promoters, 5 passives, 5 detractors → NPS 25', () => {
    const result = nps({ promoters: 10, passives: 5, detractors: 5 });
    expect(result.value).toBe(25);
    expect(result.n).toBe(20);
    // adjusted shares p = 10.75/23, d = 5.75/23: centre .2174, Var = (.7174 − .0473)/23, SE = .1707
    expect(result.low).toBeCloseTo(-11.72, 1);
    expect(result.high).toBeCloseTo(55.19, 1);
  });

  it('all promoters → NPS 100; all detractors → NPS −100; no answers → no value', () => {
    expect(nps({ promoters: 7, passives: 0, detractors: 0 }).value).toBe(100);
    expect(nps({ promoters: 0, passives: 0, detractors: 3 }).value).toBe(-100);
    expect(nps({ promoters: 0, passives: 0, detractors: 0 })).toMatchObject({ value: null, n: 0, low: null, high: null });
  });

  it('a single answer is NPS ±100 but with a wide interval, not a certain one', () => {
    const one = nps({ promoters: 0, passives: 0, detractors: 1 });
    expect(one).toMatchObject({ value: -100, n: 1 });
    expect(one.high!).toBeGreaterThan(40);
    expect(one.low!).toBeLessThan(-90);
  });

  it('300 answers at NPS −20 are surely worse than 3 detractors can show', () => {
    const many = nps({ promoters: 60, passives: 120, detractors: 120 });
    const few = nps({ promoters: 0, passives: 0, detractors: 3 });
    expect(many.value).toBe(-20);
    expect(few.value).toBe(-100);
    expect(many.high!).toBeLessThan(few.high!);
  });

  it('CSAT 74 satisfied of 107 → 69.16%', () => {
    const result = csat(74, 107);
    expect(result.value).toBe(69.16);
    expect(result.n).toBe(107);
    // Wilson 95%: centre .6850, half-width .0862 → 59.87% .. 77.12%
    expect(result.low).toBeCloseTo(59.87, 1);
    expect(result.high).toBeCloseTo(77.12, 1);
  });

  it('Wilson keeps 0 of 3 and 3 of 3 inside 0..100', () => {
    expect(wilsonPercent(0, 3)).toMatchObject({ value: 0, low: 0 });
    expect(wilsonPercent(0, 3).high).toBeCloseTo(56.15, 1);
    expect(wilsonPercent(3, 3)).toMatchObject({ value: 100, high: 100 });
  });

  it('CES 350 points over 100 answers → 3.50, with % easy', () => {
    // 50 answers of 2 and 50 of 5 on a 1-7 scale: sum 350, sum of squares 1450
    const result = ces(350, 50 * 4 + 50 * 25, 100, 0, [1, 7]);
    expect(result.value).toBe(3.5);
    expect(result.easyPercent).toBe(0);
    expect(result.low).toBeCloseTo(3.5 - 1.96 * Math.sqrt(225 / 99 / 100), 2);
  });

  it('TTR 120 hours over 30 resolved tickets → 4 hours', () => {
    expect(ttrHours(120 * HOUR, 30 * (4 * 3600) ** 2, 30)).toEqual({ value: 4, n: 30, low: 4, high: 4 });
    expect(ttrHours(0, 0, 0).value).toBeNull();
  });

  it('a single answer has a value but no finite interval', () => {
    expect(meanInterval(5, 25, 1)).toEqual({ value: 5, n: 1, low: null, high: null });
    expect(meanInterval(5, 25, 1, [1, 7])).toEqual({ value: 5, n: 1, low: 1, high: 7 });
  });

  it('start 1,000, new 250, end 1,100 → retention 85%; 150 lost → churn 15%', () => {
    expect(retention({ startCustomers: 1000, newCustomers: 250, endCustomers: 1100, lostCustomers: 150 })).toMatchObject({ retentionRate: 85, churnRate: 15 });
    expect(retention({ startCustomers: 0, newCustomers: 5, endCustomers: 5, lostCustomers: 0 })).toMatchObject({ retentionRate: null, churnRate: null });
  });

  it('median and p90 from merged sketch bins are within 1% of the exact values', () => {
    const hours = Array.from({ length: 100 }, (_, i) => i + 1);
    const bins = new Map<number, number>();
    for (const h of hours) bins.set(durationBin(h * HOUR), (bins.get(durationBin(h * HOUR)) ?? 0) + 1);
    const merged = [...bins].map(([bin, count]) => ({ bin, count }));
    expect(quantileFromBins(merged, 0.5)! / HOUR).toBeCloseTo(50, -0.3);
    expect(Math.abs(quantileFromBins(merged, 0.5)! / HOUR - 50) / 50).toBeLessThan(0.03);
    expect(Math.abs(quantileFromBins(merged, 0.9)! / HOUR - 90) / 90).toBeLessThan(0.03);
    expect(quantileFromBins([], 0.5)).toBeNull();
  });

  it('an answer at 23:30 in Ho Chi Minh City is that day, not the next; in UTC it is the day before', () => {
    expect(localDay('2026-11-20T23:30:00+07:00', 'Asia/Ho_Chi_Minh')).toBe('2026-11-20');
    expect(localDay('2026-11-20T00:30:00+07:00', 'Asia/Ho_Chi_Minh')).toBe('2026-11-20');
    expect(localDay('2026-11-20T00:30:00+07:00', 'UTC')).toBe('2026-11-19');
  });

  it('the cached local day equals the platform calendar for any instant, in zones with half- and quarter-hour offsets and DST', () => {
    const zones = ['Asia/Ho_Chi_Minh', 'UTC', 'Asia/Kathmandu', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/St_Johns', 'Europe/Berlin', 'Pacific/Chatham'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), fc.constantFrom(...zones), (ms, zone) => {
        const reference = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
        expect(localDay(ms, zone)).toBe(reference);
        expect(localDay(new Date(ms).toISOString(), zone)).toBe(reference);
      }),
      { numRuns: 5000 },
    );
    // The last minute before local midnight and the first after, across a DST change in Berlin.
    expect(localDay('2026-03-28T23:59:59.999+01:00', 'Europe/Berlin')).toBe('2026-03-28');
    expect(localDay('2026-03-29T00:00:00+01:00', 'Europe/Berlin')).toBe('2026-03-29');
    expect(localDay('2026-11-20T23:59:59.999+05:45', 'Asia/Kathmandu')).toBe('2026-11-20');
    expect(localDay('2026-11-21T00:00:00+05:45', 'Asia/Kathmandu')).toBe('2026-11-21');
  });
});
