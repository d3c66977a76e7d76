import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets a heap grow past what survived its last full collection before it collects
 * again, in percent: Journeyline's processes run with 50 (the heap may reach 1.5 × its live data).
 *
 * V8's own factor goes up to 4 × when the program allocates fast, and every process here does:
 * a server answering queries, a projector thread catching up, a rebuild's transactions. Their live
 * data is small (a few tens of MiB outside a rebuild's transaction), so most of the resident set
 * was garbage V8 had not yet been asked to collect, once per thread (the server has four). On the
 * benchmark's data (100,000 customers, 1.2M events), side by side: the server's peak under the
 * benchmark's query loads 305-364 → 273-278 MiB, a rebuild's 520-541 → 433-444 MiB, at about the
 * same rate and query latencies (the README's Benchmarks).
 */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Sets the growth limit for every heap of this process, the threads it starts included (V8's flags
 * are the process's). Call it first thing in a process's entry point. A `--heap-growing-percent`
 * on node's command line wins (node refuses it in NODE_OPTIONS). Returns the percent in force.
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): number {
  const given = execArgv.map((arg) => /^--heap[-_]growing[-_]percent=(\d+)$/.exec(arg)).find(Boolean);
  if (given) return Number(given[1]);
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return HEAP_GROWING_PERCENT;
}
