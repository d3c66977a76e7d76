/** The follow-up read model on PostgreSQL (needs the test server; left out of the no-services run by its name). */
import { postgresHarness } from '@journeyline/projections/testing/postgres-projection-harness';
import { resolvedAndAnsweredAgain } from '@journeyline/projections/testing/follow-up-scenarios';
import { withHarness } from '@journeyline/projections/testing/projection-harness';

describe('follow-up stats from the read model on PostgreSQL', () => {
  it('resolved by a person 4 hours after the answer, answered again better: as on SQLite', async () => {
    await withHarness(await postgresHarness(), async (h) => resolvedAndAnsweredAgain(h, await h.readModels()));
  });
});
