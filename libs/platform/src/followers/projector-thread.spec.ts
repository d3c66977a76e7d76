import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { seedDemo } from '@journeyline/demo';
import type { EventStore } from '@journeyline/event-store';
import type { PersonalData } from '@journeyline/privacy';
import { journeylineProjections, Projector, SharedWriteLock, SqliteReadModelDatabase, type Projection } from '@journeyline/projections';
import { dumpReadModels } from '@journeyline/projections/testing/projection-harness';
import { personalData } from '../access/access-services';
import { loadConfig, type JourneylineConfig } from '../config/journeyline-config';
import { configuredStore, openEventStore, openReadModels } from '../stores/store-location';
import { ProjectorThread } from './projector-thread';

interface Opened {
  config: JourneylineConfig;
  store: EventStore;
  readModels: SqliteReadModelDatabase;
  personal: PersonalData;
  projections: Projection[];
  close(): Promise<void>;
}

/** The stores of a data directory, opened as the server opens them. */
async function open(dataDir: string): Promise<Opened> {
  const config = loadConfig({ JOURNEYLINE_DATA_DIR: dataDir, JOURNEYLINE_TZ: 'Asia/Ho_Chi_Minh' });
  const store = await openEventStore(configuredStore(config));
  const readModels = (await openReadModels(config)) as SqliteReadModelDatabase;
  const personal = await personalData(config);
  return {
    config,
    store,
    readModels,
    personal,
    projections: journeylineProjections(store, config.timeZone, personal),
    async close() {
      await readModels.close();
      await personal.vault.close();
      await store.close();
    },
  };
}

/** The read models equal a clean rebuild of the same log, in this thread, into another file. */
async function expectEqualToCleanRebuild({ store, readModels, projections, personal }: Opened, dataDir: string): Promise<void> {
  const clean = SqliteReadModelDatabase.open(path.join(dataDir, 'clean.db'));
  try {
    const rebuilt = new Projector(store, clean, journeylineProjections(store, 'Asia/Ho_Chi_Minh', personal));
    await rebuilt.rebuild();
    expect(await dumpReadModels(readModels, projections)).toBe(await dumpReadModels(clean, rebuilt.projections));
  } finally {
    await clean.close();
  }
}

describe('the projector on a thread of its own (SQLite files)', () => {
  let dataDir: string;
  let opened: Opened;
  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-projector-thread-'));
    opened = await open(dataDir);
  });
  afterEach(async () => {
    await opened.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('applies what is recorded while this thread writes the same file, answers positions and read-your-writes, and ends equal to a clean rebuild', async () => {
    const { store, readModels, personal, projections, config } = opened;
    const errors: Error[] = [];
    const projector = new ProjectorThread(store, readModels, projections, config, { onError: (error) => errors.push(error) });
    try {
      await projector.start();
      // this thread's writers (the churn-risk and follow-up processes in a server) write the same file meanwhile, taking turns
      await readModels.transaction((tx) => tx.exec('CREATE TABLE IF NOT EXISTS probe (n INTEGER NOT NULL)'));
      let writing = true;
      const written = (async () => {
        let n = 0;
        while (writing) {
          await readModels.transaction(async (tx) => {
            await tx.run('INSERT INTO probe (n) VALUES (?)', [++n]);
            await new Promise((resolve) => setImmediate(resolve));
            await tx.run('INSERT INTO probe (n) VALUES (?)', [-n]);
          });
        }
        return n;
      })();
      await seedDemo(store, { customers: 300, personal, now: new Date('2026-11-20T00:00:00Z') });
      const head = await store.headPosition();
      projector.wake();
      expect(await projector.waitFor(head, 60_000)).toBe(true);
      writing = false;
      const transactions = await written;
      expect(transactions).toBeGreaterThan(0);
      // every transaction of this thread committed whole: its two rows, never one
      expect(await readModels.reader.get<{ n: number; sum: number }>('SELECT count(*) AS n, sum(n) AS sum FROM probe')).toEqual({
        n: 2 * transactions,
        sum: 0,
      });
      expect((await projector.progress()).every((p) => p.position === head && p.head === head)).toBe(true);
      expect(await projector.position()).toBe(head);
      expect(projector.lastFailure).toBeNull();
      expect(errors).toEqual([]);
    } finally {
      await projector.stop();
    }
    await expectEqualToCleanRebuild(opened, dataDir);
  }, 120_000);

  it('starts a thread that ended unasked (mid-transaction, holding the write lock) again: the lock is given back, and it catches up from the checkpoints', async () => {
    const { store, readModels, personal, projections, config } = opened;
    await seedDemo(store, { customers: 400, personal, now: new Date('2026-11-20T00:00:00Z') });
    const head = await store.headPosition();
    const exits: Error[] = [];
    const projector = new ProjectorThread(store, readModels, projections, config, { onExit: (error) => exits.push(error) });
    try {
      await projector.init();
      const starting = projector.start().catch((error: Error) => error);
      // ended in the middle of its catch-up transaction, holding the read models' write lock
      const lock = new SharedWriteLock(readModels.shareWriteLock());
      const deadline = Date.now() + 60_000;
      while (!lock.held && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
      expect(lock.held).toBe(true);
      await (projector as unknown as { worker: Worker }).worker.terminate();
      while (exits.length === 0) await new Promise((resolve) => setImmediate(resolve));
      expect(lock.held).toBe(false);
      expect(await projector.position()).toBe(0);
      expect(await starting).toBeInstanceOf(Error);
      expect(exits).toHaveLength(1);
      expect(projector.lastFailure?.error).toMatch(/exited/);
      // the lock it may have held is free: this thread writes
      await readModels.transaction((tx) => tx.exec('CREATE TABLE IF NOT EXISTS probe (n INTEGER)'));
      // started again on its own, it catches up
      const caughtUp = Date.now() + 60_000;
      while ((await projector.position()) < head && Date.now() < caughtUp) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await projector.position()).toBe(head);
    } finally {
      await projector.stop();
    }
    await expectEqualToCleanRebuild(opened, dataDir);
  }, 120_000);
});
