import * as path from 'node:path';
import { threadId, Worker } from 'node:worker_threads';
import { SharedWriteLock } from './shared-write-lock';

const LOCK_FILE = path.join(__dirname, 'shared-write-lock.ts');

/**
 * A thread running `body` (JavaScript, with `lock` a SharedWriteLock over workerData.lock and
 * `counter` an Int32Array over workerData.counter); resolves when it is done.
 */
function thread(body: string, workerData: Record<string, unknown>): Promise<void> {
  const source = `require('@swc-node/register');
    const { workerData } = require('node:worker_threads');
    const { SharedWriteLock } = require(${JSON.stringify(LOCK_FILE)});
    const lock = new SharedWriteLock(workerData.lock);
    const counter = workerData.counter && new Int32Array(workerData.counter);
    (async () => { ${body} })();`;
  const worker = new Worker(source, { eval: true, workerData });
  return new Promise((resolve, reject) => {
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
  });
}

describe('SharedWriteLock: one writer at a time across threads, waited for without blocking', () => {
  it('lets one thread at a time into the critical section, across awaits inside it', async () => {
    const lock = new SharedWriteLock();
    const counter = new SharedArrayBuffer(4);
    // read, yield, write back: any two holders at once would lose increments
    const increments = `for (let i = 0; i < 200; i++) await lock.withLock(async () => {
      const seen = Atomics.load(counter, 0);
      await new Promise((resolve) => setImmediate(resolve));
      Atomics.store(counter, 0, seen + 1);
    });`;
    const shared = new Int32Array(counter);
    const here = (async () => {
      for (let i = 0; i < 200; i++)
        await lock.withLock(async () => {
          const seen = Atomics.load(shared, 0);
          await new Promise((resolve) => setImmediate(resolve));
          Atomics.store(shared, 0, seen + 1);
        });
    })();
    await Promise.all([thread(increments, { lock: lock.buffer, counter }), thread(increments, { lock: lock.buffer, counter }), here]);
    expect(Atomics.load(shared, 0)).toBe(600);
    expect(lock.held).toBe(false);
  }, 60_000);

  it('keeps this event loop turning while another thread holds it', async () => {
    const lock = new SharedWriteLock();
    const taken = new SharedArrayBuffer(4);
    // the other thread takes it and sleeps 400 ms holding it (blocking that thread only)
    const other = thread(
      `await lock.acquire(); Atomics.store(counter, 0, 1); Atomics.notify(counter, 0);
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400); lock.release();`,
      { lock: lock.buffer, counter: taken },
    );
    const flag = new Int32Array(taken);
    while (Atomics.load(flag, 0) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = Date.now();
    await lock.acquire();
    clearInterval(ticker);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(ticks).toBeGreaterThan(5);
    lock.release();
    await other;
  }, 60_000);

  it('keeps a thread with nothing else to do alive while it waits (a pending waitAsync alone would let it exit)', async () => {
    const lock = new SharedWriteLock();
    const done = new SharedArrayBuffer(4);
    await lock.acquire();
    const other = thread(`await lock.withLock(async () => Atomics.store(counter, 0, 1));`, { lock: lock.buffer, counter: done });
    // until the other thread counts itself among the waiters (the lock's second cell), then a while more
    const waiting = new Int32Array(lock.buffer, 4, 1);
    while (Atomics.load(waiting, 0) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(Atomics.load(new Int32Array(done), 0)).toBe(0);
    lock.release();
    await other;
    expect(Atomics.load(new Int32Array(done), 0)).toBe(1);
    expect(lock.held).toBe(false);
  }, 60_000);

  it('gives back a lock held by a thread that is gone, and never one held by another', async () => {
    const lock = new SharedWriteLock();
    await lock.acquire();
    lock.releaseFor(12345); // not the holder: nothing happens
    expect(lock.held).toBe(true);
    const mine = new SharedWriteLock(lock.buffer);
    mine.releaseFor(threadId); // this thread's own: given back
    expect(lock.held).toBe(false);
  });
});
