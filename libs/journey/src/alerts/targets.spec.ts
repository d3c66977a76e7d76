/** Targets as a CX manager writes them: CSAT ≥ 80% at a touchpoint, NPS ≥ 30 for everyone, TTR ≤ 4 h. */
import { checkTarget, foldTargets, readTargetEvent, targetForScope } from './targets';

describe('targets', () => {
  it('a metric where higher is better takes a min; TTR takes a max; no touchpoint or owner means the whole company', () => {
    expect(checkTarget({ metric: 'csat', touchpoint: 'hotline', min: 80 })).toEqual({
      target: { metric: 'csat', scope: { kind: 'touchpoint', value: 'hotline' }, min: 80 },
    });
    expect(checkTarget({ metric: 'ttr', max: 4 })).toEqual({ target: { metric: 'ttr', scope: { kind: 'all', value: null }, max: 4 } });
    expect(checkTarget({ metric: 'nps', owner: 'cskh', min: 30 })).toEqual({ target: { metric: 'nps', scope: { kind: 'owner', value: 'cskh' }, min: 30 } });
  });

  it.each([
    [{ metric: 'ttr', min: 4 }, 'min'],
    [{ metric: 'csat', max: 80 }, 'max'],
    [{ metric: 'csat', min: 80, max: 90 }, 'max'],
    [{ metric: 'csat' }, 'min'],
    [{ metric: 'speed', min: 1 }, 'metric'],
    [{ metric: 'nps', min: 130 }, 'min'],
    [{ metric: 'nps', min: '30' }, 'min'],
    [{ metric: 'nps', min: 30, touchpoint: 'hotline', owner: 'cskh' }, 'owner'],
    [{ metric: 'nps', min: 30, touchpoint: '' }, 'touchpoint'],
  ])('%j is refused, naming %s', (request, field) => {
    const checked = checkTarget(request);
    expect('issues' in checked && checked.issues.map((i) => i.field)).toContain(field);
  });

  it('targets fold from their events; a removed one is gone; one target per metric and scope', () => {
    const set = (targetId: string, min: number) => readTargetEvent('TargetSet', { targetId, metric: 'csat', scope: { kind: 'all', value: null }, min })!;
    const targets = foldTargets([set('a', 80), set('b', 70), readTargetEvent('TargetRemoved', { targetId: 'b' })!, set('a', 85)]);
    expect([...targets.values()]).toEqual([{ targetId: 'a', metric: 'csat', scope: { kind: 'all', value: null }, min: 85 }]);
    expect(targetForScope(targets.values(), 'csat', { kind: 'all', value: null })?.targetId).toBe('a');
    expect(readTargetEvent('TargetSet', { targetId: 'x', metric: 'csat', scope: { kind: 'all', value: null } })).toBeNull();
  });
});
