import * as fs from 'node:fs';
import * as path from 'node:path';
import { SqliteEventStore } from '@journeyline/event-store';
import { CustomerStateCache, recordCustomerEvents } from '@journeyline/recording';
import { generateJourneys } from '@journeyline/demo';
import { DEFAULT_CHURN_RULES } from '@journeyline/journey';
import { ChurnRiskProcess, FollowUpProcess, SqliteReadModelDatabase } from '@journeyline/projections';
import type { CustomerCommand } from '@journeyline/journey';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';

/**
 * Builds (once, then cached in bench/.data) the benchmark's event log: 100,000 generated customers
 * recorded through the real write path, in time order across customers (as a live system
 * receives them), so each customer's events are spread through the log.
 * Prints {"events": n, "customers": n, "seconds": s} on stdout.
 */
async function main(): Promise<void> {
  const customers = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
  const dir = process.argv[2];
  const file = path.join(dir, 'journeyline.db');
  fs.mkdirSync(dir, { recursive: true });
  const store = SqliteEventStore.open(file);
  const personal = localPersonalData(file);
  const started = Date.now();
  const commands: CustomerCommand[] = [];
  for (const journey of generateJourneys({ customers, seed: 100_000, start: new Date(Date.UTC(2025, 11, 1)), spanDays: 300, visitsPerStage: 2.2 }))
    commands.push(...journey);
  commands.sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
  const states = new CustomerStateCache(customers);
  for (let i = 0; i < commands.length; i += 2000) {
    await recordCustomerEvents(store, commands.slice(i, i + 2000), { personal, states });
    if ((i / 2000) % 50 === 0) process.stderr.write(`bench data: ${i}/${commands.length} commands\n`);
  }
  // Churn-risk flags are part of a steady-state log: raise them now, as a running server would
  // have, so the query benchmark measures queries and not the first evaluation of 100,000 customers.
  process.stderr.write('bench data: evaluating churn-risk rules\n');
  const readModels = SqliteReadModelDatabase.open(path.join(dir, 'read-models.db'));
  const churn = new ChurnRiskProcess(store, readModels, DEFAULT_CHURN_RULES, { clock: () => new Date('2026-11-20T00:00:00Z') });
  await churn.runOnce();
  // Follow-ups too, as a live server would have opened them when each bad answer arrived (hence no age cut-off here).
  process.stderr.write('bench data: opening follow-ups\n');
  await new FollowUpProcess(store, readModels, { maxAgeMs: Infinity }).catchUp();
  await readModels.close();
  const events = await store.headPosition();
  await store.close();
  process.stdout.write(`${JSON.stringify({ events, customers, commands: commands.length, seconds: (Date.now() - started) / 1000 })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
