import { threadId } from 'node:worker_threads';

/**
 * One writer at a time across threads, waited for without blocking an event loop: the read models'
 * SQLite file has a writer on the server's main thread (the churn-risk and follow-up processes,
 * webhooks, admin work) and one on the projector's thread. SQLite would make a second writer wait
 * too, but inside `BEGIN IMMEDIATE`, sleeping synchronously in its busy handler: on the main thread
 * that stops every request for as long as the projector's transaction lasts. This lock is taken
 * before `BEGIN` instead, with `Atomics.waitAsync`, so the main thread serves requests meanwhile.
 *
 * The state is one Int32 in a SharedArrayBuffer that every thread's database holds: 0 free, else
 * the holder's thread id + 1 (so a thread that died holding it can be told apart, see releaseFor).
 * Writers that found it held count themselves in the second Int32, so a holder that releases and
 * would take it again at once (the projector between its transactions) lets them go first.
 */
export class SharedWriteLock {
  private readonly cells: Int32Array;
  private readonly me = threadId + 1;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(8)) {
    if (buffer.byteLength < 8) throw new Error('a shared write lock needs a SharedArrayBuffer of 8 bytes');
    this.cells = new Int32Array(buffer, 0, 2);
  }

  /** Resolves once this thread holds the lock. */
  async acquire(): Promise<void> {
    if (Atomics.load(this.cells, WAITING) > 0) {
      // others wait (woken when it was last released): let one of them take it first
      await waitFor(this.cells, FREE, GIVE_WAY_MS);
    }
    if (Atomics.compareExchange(this.cells, STATE, FREE, this.me) === FREE) return;
    Atomics.add(this.cells, WAITING, 1);
    try {
      for (;;) {
        const holder = Atomics.compareExchange(this.cells, STATE, FREE, this.me);
        if (holder === FREE) return;
        await waitFor(this.cells, holder, MAX_WAIT_MS);
      }
    } finally {
      Atomics.sub(this.cells, WAITING, 1);
    }
  }

  release(): void {
    this.releaseFor(threadId);
  }

  /** Gives the lock back if the thread `id` holds it (a thread that died holding it: see ProjectorThread). */
  releaseFor(id: number): void {
    if (Atomics.compareExchange(this.cells, STATE, id + 1, FREE) === id + 1) Atomics.notify(this.cells, STATE);
  }

  /** Whether a thread holds it now. */
  get held(): boolean {
    return Atomics.load(this.cells, STATE) !== FREE;
  }

  async withLock<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }
}

/** Atomics.waitAsync (Node 16+; in TypeScript's lib from es2024 on, past this project's target). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

/**
 * Waits while the state is `value`, for at most `timeoutMs`. A pending `waitAsync` does not keep
 * an event loop alive: a thread with nothing else to do would exit in the middle of `acquire`,
 * its work silently undone. The timer beside it does keep it alive, for as long as the wait.
 */
async function waitFor(cells: Int32Array, value: number, timeoutMs: number): Promise<void> {
  const wait = waitAsync(cells, STATE, value, timeoutMs);
  if (!wait.async) return;
  const keepAlive = setTimeout(() => undefined, timeoutMs + 1000);
  try {
    await wait.value;
  } finally {
    clearTimeout(keepAlive);
  }
}

const STATE = 0;
const WAITING = 1;
const FREE = 0;
/** A notify cannot be lost (the wait checks the value first), but a bounded wait costs nothing and survives the unforeseen. */
const MAX_WAIT_MS = 1000;
/** How long a writer that finds others waiting lets them go first. */
const GIVE_WAY_MS = 50;
