import { Worker } from 'node:worker_threads';
import type { SqlExecutor } from '../runtime/sql-executor';

/**
 * The thread's code, plain JavaScript evaluated in the worker (no build step, and the same under
 * the ts sources of the tests): a read-only connection to the file and a statement cache; each
 * message is one `all` or `get`, answered with its rows or the error's name, message and code.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { readonly: true });
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = -32768');
const statements = new Map();
parentPort.on('message', ({ id, method, sql, params }) => {
  try {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    parentPort.postMessage({ id, result: method === 'all' ? statement.all(...params) : statement.get(...params) });
  } catch (error) {
    parentPort.postMessage({ id, error: { name: error.name, message: error.message, code: error.code } });
  }
});
`;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * Read queries on a thread of their own (worker_threads), for the reads that sum many rows (metric
 * cuts, metrics over a window): better-sqlite3 runs a query on the thread that calls it, so on the
 * event loop's thread every query held up every other request for its whole length, and a
 * server's second core sat idle while the first ran SQLite. Here the event loop hands the query
 * over and serves other requests until the rows come back; WAL lets this connection read
 * alongside the writer and the other reader, each statement seeing the last commit.
 *
 * The thread starts on the first query. A thread that dies (it should not) fails the queries in
 * flight and a new one starts on the next query. Read-only: `run` and `exec` are refused.
 */
export class QueryThread implements SqlExecutor {
  readonly dialect = 'sqlite' as const;
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  constructor(private readonly filename: string) {}

  all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.ask('all', sql, params) as Promise<T[]>;
  }

  get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return this.ask('get', sql, params) as Promise<T | undefined>;
  }

  run(): Promise<void> {
    return Promise.reject(new Error('the query thread only reads: write through a transaction of the read-model database'));
  }

  exec(): Promise<void> {
    return this.run();
  }

  /** Ends the thread; queries in flight fail. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
    this.failAll(new Error('the query thread was closed'));
  }

  private ask(method: 'all' | 'get', sql: string, params: readonly unknown[]): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the query thread was closed'));
    const worker = (this.worker ??= this.start());
    const id = ++this.nextId;
    // a query in flight keeps the process alive; an idle thread does not
    if (this.pending.size === 0) worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, method, sql, params });
    });
  }

  private start(): Worker {
    const worker = new Worker(SOURCE, { eval: true, workerData: { filename: this.filename, driver: require.resolve('better-sqlite3') } });
    worker.on('message', (message: { id: number; result?: unknown; error?: { name: string; message: string; code?: string } }) => {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if (message.error) waiting.reject(Object.assign(new Error(message.error.message), { name: message.error.name, code: message.error.code }));
      else waiting.resolve(message.result);
    });
    const lost = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      this.failAll(error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the query thread exited with code ${code}`)));
    return worker;
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
