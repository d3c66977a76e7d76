import * as fs from 'node:fs';
import * as path from 'node:path';
import { seededRandom } from '@journeyline/demo';
import { journeyMessages, type JourneyMessage } from '@journeyline/kafka/testing/journey-messages';
import { loadConfig, personalData } from '@journeyline/platform';
import { freePort } from './support/free-port';
import { expectEveryMessageStoredOnce, expectReadModelsEqualRebuild, readLog, sqliteWorkerStores } from './support/kafka-worker-checks';
import { bearer, tempDataDir, PROJECTOR_THREAD } from './support/running-server';
import { serverStandby, type ServerProcess, type ServerStandby } from './support/server-process';

/**
 * The server process SIGKILLed 20 times under 4 concurrent batch writers, and started again on
 * the same port and data directory each time. The writers behave as at-least-once clients: a
 * batch that got no 200 (refused connection, connection reset, 503) is sent again, unchanged,
 * until one comes. Afterwards every event is in the log exactly once (each customer's in the
 * order sent), each retried batch was all stored or all recognised as duplicates (a batch is
 * atomic), and the read models equal a clean rebuild of the log.
 *
 * The kill moments are random (SIGKILL_SEED=<n> replays a run): after a random number of
 * acknowledged batches since the start and a random delay, or, every fifth round, as soon as the
 * server answers (while it catches up with the log).
 */
const ROUNDS = 20;
const WRITERS = 4;
const TIME_ZONE = 'Asia/Ho_Chi_Minh';
const SEED = Number(process.env.SIGKILL_SEED ?? Date.now() % 1_000_000);

interface SentBatch {
  writer: number;
  events: number;
  attempts: number;
  stored: number;
  duplicates: number;
}

describe('server process SIGKILLed under concurrent batch writers (e2e, real processes)', () => {
  let dataDir = '';
  let server: ServerProcess | null = null;
  const standbys: ServerStandby[] = [];

  afterAll(async () => {
    server?.kill('SIGKILL');
    await server?.exited;
    for (const standby of standbys.splice(0)) await standby.discard();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(`${ROUNDS} SIGKILLs under ${WRITERS} writers retrying unacknowledged batches: every event stored once, retried batches all-or-nothing, read models equal a rebuild`, async () => {
    // the same SIGKILL_SEED gives the same batch sizes and kill moments (the timing still varies)
    const random = seededRandom(SEED);
    dataDir = tempDataDir('journeyline-sigkill-');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = { ...PROJECTOR_THREAD, JOURNEYLINE_TZ: TIME_ZONE };
    // More than the rounds need (about 300 events a round); each writer owns its customers, as a Kafka partition would.
    const pool = journeyMessages({ events: 16_000, customers: 800, seed: 31 });
    const queues = Array.from({ length: WRITERS }, (_, w) => pool.filter((m) => Number(m.key.slice(2)) % WRITERS === w));

    const acknowledged: SentBatch[] = [];
    const sent: JourneyMessage[][] = queues.map(() => []);
    const inFlight = new Set<number>();
    let failedAttempts = 0;
    let inFlightAtKills = 0;
    let stopping = false;
    let failure: Error | null = null;

    const writer = async (w: number) => {
      const queue = queues[w];
      let next = 0;
      let pending: { messages: JourneyMessage[]; body: string; attempts: number } | null = null;
      while (!failure) {
        if (pending === null) {
          if (stopping || next >= queue.length) return;
          const messages = queue.slice(next, next + 50 + Math.floor(random() * 51));
          next += messages.length;
          pending = { messages, body: `{"events":[${messages.map((m) => m.value).join(',')}]}`, attempts: 0 };
        }
        pending.attempts++;
        inFlight.add(w);
        let answer: { status: number; text: string } | null = null;
        try {
          const response = await fetch(`${url}/api/v1/events/batch`, {
            method: 'POST',
            headers: { ...bearer(), 'content-type': 'application/json' },
            body: pending.body,
            signal: AbortSignal.timeout(30_000),
          });
          answer = { status: response.status, text: await response.text() };
        } catch {
          // refused, or reset before the whole answer came: the server is down or was killed mid-request
        }
        inFlight.delete(w);
        if (answer?.status === 200) {
          const body = JSON.parse(answer.text) as { stored: number; duplicates: number };
          acknowledged.push({ writer: w, events: pending.messages.length, attempts: pending.attempts, stored: body.stored, duplicates: body.duplicates });
          sent[w].push(...pending.messages);
          pending = null;
          continue;
        }
        if (answer !== null && answer.status !== 503) {
          failure = new Error(`writer ${w}: a batch answered ${answer.status}: ${answer.text.slice(0, 500)}`);
          return;
        }
        failedAttempts++;
        await sleep(Math.min(100, 10 * 2 ** Math.min(pending.attempts, 4))); // backs off while the server is down
      }
    };

    /** Polls `condition`, failing after `timeoutMs` or as soon as a writer failed. */
    const until = async (what: string, condition: () => boolean, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!condition()) {
        if (failure) throw failure;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (seed ${SEED}); server output:\n${server?.tail()}`);
        await sleep(10);
      }
    };

    const started = Date.now();
    // Each process loads its code while the ones before it run (see server-standby.ts), and opens the data directory only when started.
    let spawned = 0;
    const nextServer = () => {
      for (; standbys.length < 2 && spawned < ROUNDS + 1; spawned++) standbys.push(serverStandby(port, dataDir, env));
      return standbys.shift()!.start();
    };
    let writers: Promise<void> | null = null;
    let writersDone = false;
    const startMs: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const starting = Date.now();
      server = await nextServer();
      startMs.push(Date.now() - starting);
      writers ??= Promise.all(queues.map((_, w) => writer(w))).then(() => {
        writersDone = true;
      });
      const before = acknowledged.length;
      const batches = round % 5 === 0 ? 0 : 1 + Math.floor(random() * 4);
      await until(`${batches} acknowledged batches in round ${round}`, () => acknowledged.length >= before + batches);
      await sleep(random() * (batches === 0 ? 300 : 100));
      inFlightAtKills += inFlight.size;
      server.kill('SIGKILL');
      expect((await server.exited).signal).toBe('SIGKILL');
    }

    // The last start: every unacknowledged batch is sent again until it is acknowledged; nothing new is sent.
    server = await nextServer();
    stopping = true;
    await until('the writers to have every batch acknowledged', () => writersDone);
    await writers;
    if (failure) throw failure;
    const settledHealth = await settled(server.url);
    expect(settledHealth).toMatchObject({ status: 'ok', parked: [], failing: [] });
    // A graceful stop: Nest closes the app, then raises the signal again (so the exit says SIGTERM);
    // the stores were closed, so SQLite folded and removed their write-ahead logs (a kill leaves them).
    server.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(['journeyline.db-wal', 'read-models.db-wal'].filter((file) => fs.existsSync(path.join(dataDir, file)))).toEqual([]);
    server = null;
    const writing = Date.now() - started;

    const messages = sent.flat();
    const retried = acknowledged.filter((b) => b.attempts > 1);
    const storedBeforeTheirKill = retried.filter((b) => b.duplicates === b.events);
    // The kills landed while batches were on the wire, and some of those were sent again.
    expect(inFlightAtKills).toBeGreaterThan(0);
    expect(failedAttempts).toBeGreaterThan(0);
    expect(retried.length).toBeGreaterThan(0);
    // A batch is atomic: a retried one was stored whole by its last attempt, or whole by an earlier one.
    const partial = retried.filter((b) => !(b.stored === b.events && b.duplicates === 0) && !(b.stored === 0 && b.duplicates === b.events));
    expect(partial).toEqual([]);
    expect(acknowledged.filter((b) => b.attempts === 1 && b.stored !== b.events)).toEqual([]);

    const stores = await sqliteWorkerStores(dataDir);
    const personal = await personalData(loadConfig({ JOURNEYLINE_DATA_DIR: dataDir, JOURNEYLINE_TZ: TIME_ZONE }));
    try {
      expectEveryMessageStoredOnce(await readLog(stores.store), messages, 'none');
      await expectReadModelsEqualRebuild(stores, TIME_ZONE, personal);
    } finally {
      await personal.vault.close();
      await stores.close();
    }
    console.log(
      `server SIGKILL rounds (seed ${SEED}): ${ROUNDS} kills, ${messages.length} events in ${acknowledged.length} batches, ` +
        `${retried.length} batches sent again (${storedBeforeTheirKill.length} had been stored before their kill), ` +
        `${failedAttempts} failed attempts, ${inFlightAtKills} requests in flight at the kills; ${(writing / 1000).toFixed(1)} s of rounds, ` +
        `start to /health/live: median ${median(startMs)} ms, max ${Math.max(...startMs)} ms`,
    );
  }, 300_000);
});

/** Polls /health until every follower has applied the whole log, for 1 s in a row (the churn-risk and follow-up processes may append). */
async function settled(url: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  let since: number | null = null;
  let last: any = null;
  for (;;) {
    last = await fetch(`${url}/health`).then((r) => r.json());
    const caughtUp = last.projections.length > 0 && last.projections.every((p: { lag: number }) => p.lag === 0) && last.churnRisk?.lag === 0;
    since = caughtUp ? (since ?? Date.now()) : null;
    if (since !== null && Date.now() - since >= 1000) return last;
    if (Date.now() > deadline) throw new Error(`the server did not settle within ${timeoutMs} ms: ${JSON.stringify(last)}`);
    await sleep(50);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
