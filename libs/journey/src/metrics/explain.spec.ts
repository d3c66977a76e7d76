/** Why a metric moved: its change split into mix (who answered) and rate (how they scored), group by group. */
import fc from 'fast-check';
import { csat, expectAddsUp, given, group, hours, none, nps, scores, sums } from '@journeyline/journey/testing/explain-given-when-then';
import { apportion, exactValue, explainChange } from './explain';
import { METRIC_DEFINITIONS, METRICS, type MetricSums } from './metric-definitions';

// web answers at NPS +60, phone at −20, whatever the window
const web = (n: 40 | 50 | 80) => ({ 40: nps(28, 8, 4), 50: nps(35, 10, 5), 80: nps(56, 16, 8) })[n];
const phone = (n: 20 | 50 | 60) => ({ 20: nps(4, 8, 8), 50: nps(10, 20, 20), 60: nps(12, 24, 24) })[n];

describe('explain a change: more answers from a worse group is mix', () => {
  it('phone (−20) goes from 20% to 60% of the answers, no channel scores differently → the whole drop is mix', () => {
    // before: 80% web, 20% phone → +44; now 40% / 60% → +12; the average of the two, +28
    given(group('web', web(80), web(40)), group('phone', phone(20), phone(60)))
      .whenExplained('nps')
      .then({ change: -32, mix: -32, rate: 0 })
      // phone gained 40 points of share at 48 below the average: −19.2; web lost 40 at 32 above it: −12.8
      .thenGroups({ phone: { contribution: -19.2, mix: -19.2, rate: 0, nPrevious: 20, nCurrent: 60, sharePrevious: 20, shareCurrent: 60 } })
      .thenGroups({ web: { contribution: -12.8, mix: -12.8, rate: 0, valuePrevious: 60, valueCurrent: 60 } })
      .thenLookAt('phone', 'worst')
      .thenAddsUp();
  });

  it('the shares swap (2:1 → 1:2): both channels moved it as much, but the answers to read are phone’s, which answered more', () => {
    given(group('chat', nps(7, 2, 1), nps(3, 2, 0)), group('phone', nps(1, 2, 2), nps(2, 4, 4)))
      .whenExplained('nps')
      .then({ change: -26.66, mix: -26.66, rate: 0 })
      .thenGroups({ chat: { mix: -13.33 }, phone: { mix: -13.33 } })
      .thenLookAt('phone', 'worst')
      .thenAddsUp();
  });

  it('the groups come largest |contribution| first', () => {
    const { result } = given(group('web', web(80), web(40)), group('phone', phone(20), phone(60))).whenExplained('nps');
    expect(result.groups.map((g) => g.key)).toEqual(['phone', 'web']);
  });

  it('the same shares in both windows → no mix at all', () => {
    given(group('web', web(50), web(50)), group('phone', phone(50), phone(50)))
      .whenExplained('nps')
      .then({ change: 0, mix: 0, rate: 0 });
  });
});

describe('explain a change: scores falling within a group is rate, in that group', () => {
  it('half web (+60), half phone; phone falls from 0 to −40 → −20, all of it rate at phone', () => {
    given(group('web', web(50), web(50)), group('phone', nps(10, 30, 10), nps(5, 20, 25)))
      .whenExplained('nps')
      .then({ change: -20, mix: 0, rate: -20 })
      .thenGroups({ phone: { contribution: -20, mix: 0, rate: -20, valuePrevious: 0, valueCurrent: -40 }, web: { contribution: 0, mix: 0, rate: 0 } })
      .thenLookAt('phone', 'worst')
      .thenAddsUp();
  });

  it('a rise comes with the best answers of the group that lifted it', () => {
    given(group('web', web(50), web(50)), group('phone', nps(5, 20, 25), nps(10, 30, 10)))
      .whenExplained('nps')
      .then({ change: 20, mix: 0, rate: 20 })
      .thenLookAt('phone', 'best');
  });

  it('both at once: a shift to a group whose scores also fell splits between the two', () => {
    // CSAT: store 90% satisfied, then 80%; web 60% throughout; store goes from 50% to 75% of the answers
    given(group('store', csat(45, 50), csat(60, 75)), group('web', csat(30, 50), csat(15, 25)))
      .whenExplained('csat')
      // 75% → 75%: the mix towards the better store (+) offsets its fall (−)
      .then({ change: 0 })
      .thenGroups({ store: { rate: -6.25, valuePrevious: 90, valueCurrent: 80 }, web: { rate: 0 } })
      .thenAddsUp();
  });
});

describe('explain a change: groups present in one window only', () => {
  it('a new channel (chat, −20) answers half of this window → all of its effect is mix, none rate', () => {
    // before: web alone, +60; now web and chat 50/50 → +20; the average of the two, +40
    given(group('web', web(50), web(50)), group('chat', none, nps(10, 20, 20)))
      .whenExplained('nps')
      .then({ change: -40, mix: -40, rate: 0 })
      .thenGroups({ chat: { mix: -30, rate: 0, nPrevious: 0, valuePrevious: null, sharePrevious: 0 }, web: { mix: -10, rate: 0 } })
      .thenAddsUp();
  });

  it('a channel that fell silent: its absence is mix too', () => {
    given(group('web', web(50), web(50)), group('chat', nps(10, 20, 20), none))
      .whenExplained('nps')
      .then({ change: 40, mix: 40, rate: 0 })
      .thenGroups({ chat: { mix: 30, rate: 0, nCurrent: 0, valueCurrent: null } })
      // chat has no answers now to show: web's, which count for more, do
      .thenLookAt('web', 'best')
      .thenAddsUp();
  });

  it('a window without any answer → no change to explain: null totals, the groups with their counts', () => {
    const { result } = given(group('web', none, web(50))).whenExplained('nps');
    expect(result).toMatchObject({ change: null, mix: null, rate: null, previous: { value: null, n: 0 }, current: { value: 60, n: 50 } });
    expect(result.groups).toEqual([expect.objectContaining({ key: 'web', contribution: null, mix: null, rate: null, nCurrent: 50, nPrevious: 0 })]);
  });
});

describe('explain a change: every metric is a weighted mean of its groups', () => {
  it('CES (1-7 means): a shift to the harder channel is mix', () => {
    given(group('app', scores(6, 6, 6, 6), scores(6, 6)), group('hotline', scores(3), scores(3, 3, 3)))
      .whenExplained('ces', '1-7')
      // 5.4 → 4.2; hotline, 1.8 below the average of the two (4.8), went from 20% to 60%: −0.72
      .then({ change: -1.2, mix: -1.2, rate: 0 })
      .thenGroups({ hotline: { mix: -0.72 }, app: { mix: -0.48 } })
      .thenLookAt('hotline', 'worst')
      .thenAddsUp();
  });

  it('review stars: one channel got worse → rate there', () => {
    given(group('shopee', scores(5, 5, 4, 4), scores(2, 2, 3, 3)), group('web', scores(4, 4), scores(4, 4)))
      .whenExplained('review')
      .then({ change: -1.33, mix: 0, rate: -1.33 })
      .thenGroups({ shopee: { rate: -1.33 } });
  });

  it('TTR (lower is better): tickets at the slow channel take longer → a rise, for the worse, its worst answers', () => {
    given(group('email', hours(10, 20), hours(30, 40)), group('chat', hours(1, 1), hours(1, 1)))
      .whenExplained('ttr', '')
      .then({ change: 10, mix: 0, rate: 10 })
      .thenLookAt('email', 'worst')
      .thenAddsUp();
  });
});

describe('explain a change: rounding keeps every identity, in hundredths', () => {
  it('thirds and sevenths: totals, groups and each group add up after rounding', () => {
    given(group('a', nps(1, 1, 1), nps(2, 3, 2)), group('b', nps(3, 0, 4), nps(1, 2, 0)), group('c', nps(0, 6, 1), nps(5, 1, 3)), group('', nps(1, 0, 2), none))
      .whenExplained('nps')
      .thenAddsUp();
  });

  it('any groups, any answers (generated): the identities hold and each group’s contribution stays within a hundredth per group of the exact one', () => {
    const answers = fc.tuple(fc.nat(30), fc.nat(30), fc.nat(30)).map(([p, pa, d]) => nps(p, pa, d));
    fc.assert(
      fc.property(fc.array(fc.tuple(answers, answers), { minLength: 1, maxLength: 8 }), (list) => {
        const groups = list.map(([before, now], i) => group(`g${i}`, before, now));
        const result = explainChange('nps', '0-10', groups);
        if (result.change === null) return;
        expectAddsUp(result);
        // exactly, a group contributes w1·v1 − w0·v0 − (w1 − w0)·V̄ (its mix and rate summed; see explain.ts)
        const n1 = groups.reduce((a, g) => a + g.current.n, 0);
        const n0 = groups.reduce((a, g) => a + g.previous.n, 0);
        const v = (s: MetricSums) => exactValue('nps', s) ?? 0;
        const centre = (exactValue('nps', sumOf(groups.map((g) => g.current)))! + exactValue('nps', sumOf(groups.map((g) => g.previous)))!) / 2;
        for (const g of result.groups) {
          const { current, previous } = groups.find((x) => x.key === g.key)!;
          const [w1, w0] = [current.n / n1, previous.n / n0];
          const exact = w1 * v(current) - w0 * v(previous) - (w1 - w0) * centre;
          expect(Math.abs(g.contribution! - exact)).toBeLessThanOrEqual(0.01 * (groups.length + 1) + 1e-9);
          expect([g.nCurrent, g.nPrevious]).toEqual([current.n, previous.n]);
        }
      }),
      { numRuns: 500, seed: 18 },
    );
  });

  it('apportion: integers adding up to the total, moved where rounding moved most', () => {
    expect(apportion([33.4, 33.3, 33.3], 100)).toEqual([34, 33, 33]);
    expect(apportion([0.5, 0.5, -1], 1)).toEqual([1, 1, -1]);
    // 11 + 0 − 3 = 8, one too many: taken from 10.6, which rounding had moved most (up by .4)
    expect(apportion([10.6, 0, -3.2], 7)).toEqual([10, 0, -3]);
    expect(apportion([], 0)).toEqual([]);
  });
});

function sumOf(list: MetricSums[]): MetricSums {
  return nps(
    list.reduce((a, s) => a + s.promoters, 0),
    list.reduce((a, s) => a + s.passives, 0),
    list.reduce((a, s) => a + s.detractors, 0),
  );
}

describe('explain a change: the exact values are the definitions before rounding', () => {
  const samples: Record<string, MetricSums> = {
    nps: nps(7, 5, 3),
    csat: csat(11, 17),
    ces: scores(1, 7, 5, 4, 6, 2),
    review: scores(5, 4, 4, 1),
    ttr: hours(1.5, 26, 3.25),
  };
  it.each(METRICS)('%s', (metric) => {
    const s = samples[metric];
    const scale = metric === 'nps' ? '0-10' : metric === 'ces' ? '1-7' : '1-5';
    expect(Math.round(exactValue(metric, s)! * 100) / 100).toBe(METRIC_DEFINITIONS[metric].value(s, scale, []).value);
    expect(exactValue(metric, sums({}))).toBeNull();
  });
});
