/** A change of the churn-risk rules on a real store: the process re-evaluates, raises and clears the right flags, records nothing else; what-if answers write nothing. */
import { CHURN_RULES_STREAM, churnRiskEpisodeId, DEFAULT_CHURN_RULES, ruleChangedReason, type ChurnRule } from '@journeyline/journey';
import { sqliteHarness, withHarness } from '@journeyline/projections/testing/projection-harness';
import { at, churnRiskEvents, manualClock, openTicketCmd } from '@journeyline/projections/testing/churn-risk-journeys';
import { ChurnRulesRegistry } from '../definitions/churn-rules.registry';
import { JourneyMapProjection } from '../journey-map/journey-map.projection';
import { Projector } from '../runtime/projector';
import { ChurnRiskProcess } from './churn-risk.process';
import { evaluateChurnRisks } from './churn-risk.what-if';

const RULE = 'ticket-open-too-long';
const admin = { keyId: null, name: 'ops' };
const withHours = (hours: number): ChurnRule[] => DEFAULT_CHURN_RULES.map((r) => (r.id === RULE ? ({ id: RULE, kind: RULE, hours } as ChurnRule) : r));

describe('churn-risk rules changed while the process runs', () => {
  it('24 hours instead of 48 raises the tickets open a day; back to 48 clears them, saying so; the flags and the rules versions are in the log', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const db = h.readModels();
      const time = manualClock(at(4, 12));
      const rules = new ChurnRulesRegistry(h.store, DEFAULT_CHURN_RULES, { refreshMs: 0 });
      const process = new ChurnRiskProcess(h.store, db, rules, { clock: time.clock });
      // c-1's ticket is 27 hours old at the evaluation, c-2's 75 hours
      await h.record([openTicketCmd('o1', 'c-1', 't-1', at(3, 9)), openTicketCmd('o2', 'c-2', 't-2', at(1, 9))]);
      await process.runOnce();
      const v1Flag = churnRiskEpisodeId('c-2', RULE, 'o2');
      expect((await churnRiskEvents(h.store)).map((e) => [e.type, e.eventId, e.data.rulesVersion])).toEqual([['ChurnRiskFlagged', v1Flag, 1]]);

      await rules.change({ rules: withHours(24) }, admin);
      await process.runOnce();
      const v2Flag = churnRiskEpisodeId('c-1', RULE, 'o1', 2);
      // c-1 raised under version 2 in an episode of its own; c-2's flag of version 1 still holds: nothing written for it
      expect((await churnRiskEvents(h.store)).map((e) => [e.type, e.eventId, e.occurredAt, e.data.rulesVersion])).toEqual([
        ['ChurnRiskFlagged', v1Flag, at(3, 9), 1],
        ['ChurnRiskFlagged', v2Flag, at(4, 9), 2],
      ]);

      // what-if, nothing written: version 1 flags c-2 alone, version 2 both
      const head = await h.store.headPosition();
      await new Projector(h.store, db, [new JourneyMapProjection(h.store, 'UTC')]).catchUp();
      const whatIf = async (version: number) => {
        const inForce = (await rules.version(version))!;
        const evaluated = await evaluateChurnRisks(h.store, db.reader, inForce.rules, version, time.clock());
        return evaluated.customers.map((c) => [c.customerId, c.flags.map((f) => [f.rule, f.flaggedAt, f.rulesVersion])]);
      };
      expect(await whatIf(1)).toEqual([['c-2', [[RULE, at(3, 9), 1]]]]);
      expect(await whatIf(2)).toEqual([
        ['c-1', [[RULE, at(4, 9), 2]]],
        ['c-2', [[RULE, at(2, 9), 2]]],
      ]);
      expect(await h.store.headPosition()).toBe(head);

      await rules.change({ rules: withHours(48) }, admin);
      time.set(at(4, 13));
      await process.runOnce();
      const events = await churnRiskEvents(h.store);
      expect(events.slice(2).map((e) => [e.type, e.eventId, e.occurredAt, e.data.reason, e.data.rulesVersion])).toEqual([
        ['ChurnRiskCleared', `churn-risk-cleared ${v2Flag.slice('churn-risk '.length)}`, at(4, 13), ruleChangedReason(3), 3],
      ]);
      // the past is never rewritten: both earlier flags are still in the log as they were
      expect(events.slice(0, 2).map((e) => e.eventId)).toEqual([v1Flag, v2Flag]);
      expect((await h.store.readStream(CHURN_RULES_STREAM)).map((e) => [e.type, e.data.version, e.data.source])).toEqual([
        ['ChurnRulesChanged', 1, 'configuration'],
        ['ChurnRulesChanged', 2, 'api'],
        ['ChurnRulesChanged', 3, 'api'],
      ]);

      // c-1's ticket turns 48 hours old: raised anew under version 3
      time.set(at(5, 10));
      await process.runOnce();
      expect((await churnRiskEvents(h.store)).slice(3).map((e) => [e.type, e.eventId, e.data.rulesVersion])).toEqual([
        ['ChurnRiskFlagged', churnRiskEpisodeId('c-1', RULE, 'o1', 3), 3],
      ]);
    });
  });
});
