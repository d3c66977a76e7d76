/** The versioned definitions on a real SQLite store: the configuration recorded once, an admin's change, two processes, races. */
import { AUDIT_STREAM, type Actor } from '@journeyline/access';
import { CHURN_RULES_STREAM, DEFAULT_CHURN_RULES, DefinitionsRuleViolation, METRIC_DEFINITIONS_STREAM, type ChurnRule } from '@journeyline/journey';
import { sqliteHarness, withHarness } from '@journeyline/projections/testing/projection-harness';
import { ChurnRulesRegistry } from './churn-rules.registry';
import { MetricDefinitionsRegistry } from './metric-definitions.registry';

const admin: Actor = { keyId: 'k-1', name: 'ops' };
const HCM = { minSample: 30, timeZone: 'Asia/Ho_Chi_Minh' };
const slowTicket: ChurnRule = { id: 'ticket-open-too-long', kind: 'ticket-open-too-long', hours: 24 };

describe('metric definitions registry', () => {
  it('records the configuration as version 1 once, whichever process asks first', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const [a, b] = [new MetricDefinitionsRegistry(h.store, HCM), new MetricDefinitionsRegistry(h.store, HCM)];
      const [first, second] = await Promise.all([a.current(), b.current()]);
      expect(first).toMatchObject({
        version: 1,
        source: 'configuration',
        parameters: { minSample: 30, timeZone: 'Asia/Ho_Chi_Minh', nps: { promoterMin: 9 } },
      });
      expect(second.version).toBe(1);
      expect(await h.store.streamRevision(METRIC_DEFINITIONS_STREAM)).toBe(0);
    });
  });

  it("an admin's change is the next version, audited, seen by another process once its read is older than refreshMs", async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const here = new MetricDefinitionsRegistry(h.store, HCM);
      const there = new MetricDefinitionsRegistry(h.store, HCM, { refreshMs: 0 });
      expect((await there.current()).version).toBe(1);
      const change = await here.change({ csat: { satisfiedMin: { '1-5': 5 } } }, admin);
      expect(change).toMatchObject({
        changed: true,
        entry: { version: 2, source: 'api', changedBy: 'ops', parameters: { csat: { satisfiedMin: { '1-5': 5 } } } },
      });
      expect(change.position).toBeGreaterThan(0);
      expect((await here.current()).version).toBe(2);
      expect((await there.current()).version).toBe(2);
      expect(await here.change({ csat: { satisfiedMin: { '1-5': 5 } } }, admin)).toMatchObject({ changed: false, position: null, entry: { version: 2 } });
      const audit = await h.store.readStream(AUDIT_STREAM);
      expect(audit.map((e) => [e.type, e.data.subject, (e.data.details as { version: number }).version])).toEqual([['definitions.changed', 'metrics', 2]]);
      expect((await here.version(1))?.parameters.csat.satisfiedMin['1-5']).toBe(4);
      expect(await here.version(3)).toBeNull();
    });
  });

  it('two admins at once take two versions, never the same one', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const [a, b] = [new MetricDefinitionsRegistry(h.store, HCM), new MetricDefinitionsRegistry(h.store, HCM)];
      await Promise.all([a.current(), b.current()]);
      await Promise.all([a.change({ minSample: 10 }, admin), b.change({ minSample: 20 }, admin)]);
      expect((await a.history()).map((v) => v.version)).toEqual([1, 2, 3]);
    });
  });

  it('a bad change records nothing and names the field; a changed JOURNEYLINE_TZ at the next start is a new version', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const registry = new MetricDefinitionsRegistry(h.store, HCM);
      await expect(registry.change({ nps: { promoterMin: 'nine' } }, admin)).rejects.toThrow(DefinitionsRuleViolation);
      await expect(registry.change({ timeZone: 'UTC' }, admin)).rejects.toMatchObject({ rule: 'time-zone-needs-rebuild' });
      await registry.change({ minSample: 50 }, admin);
      const restarted = new MetricDefinitionsRegistry(h.store, { minSample: 30, timeZone: 'UTC' });
      expect(await restarted.current()).toMatchObject({ version: 3, source: 'configuration', parameters: { minSample: 50, timeZone: 'UTC' } });
    });
  });
});

describe('churn rules registry', () => {
  it('the configured rules are version 1; an admin replaces them; the revisions say which rule was redefined', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const registry = new ChurnRulesRegistry(h.store, DEFAULT_CHURN_RULES);
      expect(await registry.current()).toMatchObject({ version: 1, rules: DEFAULT_CHURN_RULES });
      const rules = DEFAULT_CHURN_RULES.map((r) => (r.id === slowTicket.id ? slowTicket : r));
      expect(await registry.change({ rules }, admin)).toMatchObject({ changed: true, entry: { version: 2, rules } });
      const inForce = await registry.current();
      expect(inForce.revisions.get('ticket-open-too-long')).toEqual([1, 2]);
      expect(inForce.revisions.get('detractor-without-use')).toEqual([1]);
      expect((await registry.version(1))?.revisions.get('ticket-open-too-long')).toEqual([1]);
      await expect(registry.change({ rules: [{ id: 'x', kind: 'nope' }] }, admin)).rejects.toMatchObject({
        rule: 'definitions-invalid',
        issues: [expect.objectContaining({ field: 'rules[0].kind' })],
      });
      // restarting with the same file keeps the admin's rules; an edited file is a new version
      expect((await new ChurnRulesRegistry(h.store, DEFAULT_CHURN_RULES).current()).version).toBe(2);
      expect(await new ChurnRulesRegistry(h.store, [slowTicket]).current()).toMatchObject({ version: 3, rules: [slowTicket] });
      expect((await registry.history()).map((v) => [v.version, v.source])).toEqual([
        [1, 'configuration'],
        [2, 'api'],
        [3, 'configuration'],
      ]);
      expect(await h.store.streamRevision(CHURN_RULES_STREAM)).toBe(2);
    });
  });
});
