import * as fs from 'node:fs';
import * as path from 'node:path';
import { SqliteEventStore, type EventStore } from '@journeyline/event-store';
import type { CustomerCommand } from '@journeyline/journey';
import type { PersonalDataSealer } from '@journeyline/recording';
import { appendRequests, factOf } from './bench-events';
import { floorWriter, timedRun, writePathWriter, type BatchWriter } from './sqlite-paths';

/**
 * Where a path's time goes, as shares of the run's wall-clock time (hrtime around each step:
 * cheap enough to wrap every insert, unlike reading the CPU clock; this process is
 * single-threaded, so the shared machine's pauses fall on every step alike). The write path: its calls into the store and the sealer, the rest being
 * recordCustomerEvents' own JavaScript (grouping, folding, deciding). The adapter: the steps of
 * one append inside SqliteEventStore (reached through its private members: a rename there makes
 * this throw, never misreport). For anything finer, run the same under `node --cpu-prof` and read
 * the profile with `cpuProfileSummary`.
 */

type Timings = Record<string, { calls: number; ms: number }>;

function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function record(timings: Timings, label: string, ms: number): void {
  const entry = (timings[label] ??= { calls: 0, ms: 0 });
  entry.calls++;
  entry.ms += ms;
}

/** `fn` with its time added to `timings[label]` (sync or async). */
function timedFn<F extends (...args: never[]) => unknown>(fn: F, timings: Timings, label: string): F {
  return ((...args: never[]) => {
    const started = nowMs();
    const result = fn(...args);
    if (result instanceof Promise) return result.finally(() => record(timings, label, nowMs() - started));
    record(timings, label, nowMs() - started);
    return result;
  }) as F;
}

/** A proxy of `target` whose `methods` are timed. */
function timed<T extends object>(target: T, methods: readonly string[], timings: Timings, prefix: string): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: never[]) => unknown).bind(object);
      return methods.includes(String(property)) ? timedFn(bound, timings, `${prefix}${String(property)}`) : bound;
    },
  });
}

/** The members of SqliteEventStore an append goes through. */
interface AppendInternals {
  appendInTransaction: (...args: never[]) => unknown;
  appendNow: (...args: never[]) => unknown;
  lookUp: (...args: never[]) => unknown;
  selectStreamRevision: { get: (...args: never[]) => unknown };
  insertEvent: { run: (...args: never[]) => unknown };
}

/** The adapter's writer with the steps of its append timed. */
function instrumentedAdapter(timings: Timings): (dir: string) => BatchWriter {
  return (dir) => {
    const store = SqliteEventStore.open(path.join(dir, 'journeyline.db'));
    const inside = store as unknown as AppendInternals;
    for (const member of ['appendInTransaction', 'appendNow', 'lookUp'] as const) {
      if (typeof inside[member] !== 'function') throw new Error(`SqliteEventStore has no ${member} any more: update bench/write-path/profile.ts`);
    }
    inside.appendInTransaction = timedFn(inside.appendInTransaction, timings, 'transaction');
    inside.appendNow = timedFn(inside.appendNow.bind(store), timings, 'appendNow');
    inside.lookUp = timedFn(inside.lookUp.bind(store), timings, 'duplicate lookups (event ids)');
    const revision = inside.selectStreamRevision;
    inside.selectStreamRevision = { get: timedFn(revision.get.bind(revision), timings, 'stream revisions') };
    const insert = inside.insertEvent;
    inside.insertEvent = { run: timedFn(insert.run.bind(insert), timings, 'inserts') };
    const revisions = new Map<string, number>();
    return {
      write: async (batch) => {
        const requests = timedFn(() => appendRequests(batch.map(factOf), revisions), timings, 'requests (built by the caller)')();
        await timedFn(() => store.append(requests), timings, 'append')();
      },
      rows: () => store.headPosition(),
      close: () => store.close(),
    };
  };
}

export interface PhaseProfile {
  path: string;
  events: number;
  seconds: number;
  cpuSeconds: number;
  eventsPerSecond: number;
  /** ms, µs an event and share of the run's wall-clock time in each phase. */
  phases: Record<string, { calls: number; ms: number; usPerEvent: number; share: number }>;
}

/** One run of `key` over `batches` with its phases timed. */
export async function profilePath(key: string, batches: readonly CustomerCommand[][]): Promise<PhaseProfile> {
  const timings: Timings = {};
  const open: Record<string, (dir: string) => BatchWriter> = {
    floor: floorWriter,
    adapter: instrumentedAdapter(timings),
    writePath: (dir) =>
      writePathWriter(
        dir,
        (store: EventStore) => timed(store, ['findByEventIds', 'readStream', 'readStreams', 'append', 'appendNew', 'streamRevision'], timings, 'store.'),
        (personal: PersonalDataSealer) => timed(personal, ['sealCommands'], timings, 'personal.'),
      ),
  };
  const writer = open[key === 'writePathTimeOrdered' ? 'writePath' : key];
  if (!writer) throw new Error(`--profile takes floor, adapter, writePath or writePathTimeOrdered, not ${key}`);
  const run = await timedRun(`profile-${key}`, writer, batches);
  const totalMs = run.seconds * 1000;
  const ms = (label: string) => timings[label]?.ms ?? 0;
  const derived: Record<string, number> = {};
  if (key === 'adapter') {
    derived['plan and result (append-plan.ts: checks, canonical JSON, revisions; maps)'] =
      ms('appendNow') - ms('duplicate lookups (event ids)') - ms('stream revisions') - ms('inserts');
    derived['BEGIN IMMEDIATE, COMMIT (WAL writes, checkpoints)'] = ms('transaction') - ms('appendNow');
    derived['append outside its transaction (guard, promise)'] = ms('append') - ms('transaction');
    for (const label of ['appendNow', 'transaction', 'append']) delete timings[label];
  } else if (key !== 'floor') {
    derived['recordCustomerEvents itself (group, fold, decide)'] = totalMs - Object.values(timings).reduce((sum, t) => sum + t.ms, 0);
  }
  const phases: PhaseProfile['phases'] = {};
  const entry = (calls: number, value: number) => ({
    calls,
    ms: Math.round(value),
    usPerEvent: Number(((value * 1000) / run.events).toFixed(2)),
    share: Number((value / totalMs).toFixed(3)),
  });
  for (const [name, timing] of Object.entries(timings)) phases[name] = entry(timing.calls, timing.ms);
  for (const [name, value] of Object.entries(derived)) phases[name] = entry(batches.length, value);
  return {
    path: key,
    events: run.events,
    seconds: Number(run.seconds.toFixed(2)),
    cpuSeconds: Number((run.cpuSeconds ?? 0).toFixed(2)),
    eventsPerSecond: Math.round(run.events / run.seconds),
    phases,
  };
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** The top `limit` functions by self time in a V8 .cpuprofile, with their share of all samples. */
export function cpuProfileSummary(file: string, limit = 25): { totalMs: number; top: { fn: string; selfMs: number; share: number }[] } {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: CpuProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${path.relative(process.cwd(), url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : '';
    const name = `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    const delta = profile.timeDeltas[i] ?? 0;
    self.set(name, (self.get(name) ?? 0) + delta);
    total += delta;
  });
  const top = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([fn, micros]) => ({ fn, selfMs: Math.round(micros / 1000), share: Number((micros / total).toFixed(3)) }));
  return { totalMs: Math.round(total / 1000), top };
}
