import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { seedDemo } from '@journeyline/demo';
import type { EventStore } from '@journeyline/event-store';
import type { PersonalData } from '@journeyline/privacy';
import { customerReadModels, ReplayHere, SqliteReadModelDatabase, type ReplayStep } from '@journeyline/projections';
import { dumpReadModels } from '@journeyline/projections/testing/projection-harness';
import { personalData } from '../access/access-services';
import { loadConfig, type JourneylineConfig } from '../config/journeyline-config';
import { configuredStore, openEventStore } from '../stores/store-location';
import { ReplayThread } from './replay-thread';

/** The tables of the per-customer read models in `file`, as text to compare. */
async function dump(file: string, store: EventStore, personal: PersonalData): Promise<string> {
  const db = SqliteReadModelDatabase.open(file, { scratch: true });
  try {
    return await dumpReadModels(db, customerReadModels('Asia/Ho_Chi_Minh', personal)(store));
  } finally {
    await db.close();
  }
}

describe('as-of replays on a thread of their own', () => {
  let dataDir: string;
  let config: JourneylineConfig;
  let store: EventStore;
  let personal: PersonalData;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-replay-thread-'));
    config = loadConfig({ JOURNEYLINE_DATA_DIR: dataDir, JOURNEYLINE_TZ: 'Asia/Ho_Chi_Minh' });
    store = await openEventStore(configuredStore(config));
    personal = await personalData(config);
    await seedDemo(store, { customers: 200, personal, now: new Date('2026-11-20T00:00:00Z') });
  }, 120_000);
  afterAll(async () => {
    await personal.vault.close();
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds the same read models as a replay on this thread (as of a moment, and a prefix then the rest), while this event loop keeps turning', async () => {
    const head = await store.headPosition();
    const [middle] = await store.readAll({ after: Math.floor(head / 2), limit: 1 });
    const asOf = new Date(middle.recordedAt).toISOString();
    const here = new ReplayHere(store, customerReadModels(config.timeZone, personal));
    const thread = new ReplayThread(config, 'customers');
    const file = (name: string) => path.join(dataDir, `${name}.db`);
    try {
      // as of a moment: the whole log up to it
      await here.run({ kind: 'as-of', file: file('here-as-of'), asOf, from: 0 });
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      const started = Date.now();
      const threaded = await thread.run({ kind: 'as-of', file: file('thread-as-of'), asOf, from: 0 });
      const took = Date.now() - started;
      clearInterval(ticker);
      expect(threaded.eventsRead).toBeGreaterThan(0);
      // the replay ran elsewhere: this loop ticked all along (at least half the 10 ms ticks it could)
      expect(ticks).toBeGreaterThanOrEqual(Math.floor(took / 20));
      const asOfDump = await dump(file('thread-as-of'), store, personal);
      expect(asOfDump).toBe(await dump(file('here-as-of'), store, personal));
      expect(asOfDump).toContain('jm_customers');

      // a builder's steps: a prefix of 1,000 events, then the rest
      const steps = (name: string): ReplayStep[] => [
        { kind: 'prefix', file: file(name), after: 0, count: 1000 },
        { kind: 'prefix', file: file(name), after: 0, count: Number.MAX_SAFE_INTEGER },
      ];
      const [firstHere, firstThread] = [await here.run(steps('here-prefix')[0]), await thread.run(steps('thread-prefix')[0])];
      expect(firstThread).toEqual(firstHere);
      expect(firstThread.eventsRead).toBe(1000);
      const rest = (first: typeof firstHere, name: string): ReplayStep => ({ ...steps(name)[1], after: first.lastPosition }) as ReplayStep;
      const [restHere, restThread] = [await here.run(rest(firstHere, 'here-prefix')), await thread.run(rest(firstThread, 'thread-prefix'))];
      expect(restThread).toEqual(restHere);
      expect(restThread.lastPosition).toBe(head);
      expect(await dump(file('thread-prefix'), store, personal)).toBe(await dump(file('here-prefix'), store, personal));
    } finally {
      await here.close();
      await thread.close();
    }
  }, 120_000);

  it('fails a step with why (the caller answers with it), and runs the next one', async () => {
    const thread = new ReplayThread(config, 'metrics');
    try {
      // a directory where the scratch file should be: SQLite cannot open it
      fs.mkdirSync(path.join(dataDir, 'not-a-file.db'), { recursive: true });
      await expect(thread.run({ kind: 'as-of', file: path.join(dataDir, 'not-a-file.db'), asOf: new Date().toISOString(), from: 0 })).rejects.toThrow(
        /SqliteError|directory|unable to open/i,
      );
      const done = await thread.run({ kind: 'as-of', file: path.join(dataDir, 'metrics.db'), asOf: new Date().toISOString(), from: 0 });
      expect(done.eventsRead).toBe(await store.headPosition());
    } finally {
      await thread.close();
    }
    await expect(thread.run({ kind: 'as-of', file: path.join(dataDir, 'closed.db'), asOf: new Date().toISOString(), from: 0 })).rejects.toThrow(
      'the replay thread was closed',
    );
  }, 120_000);
});
