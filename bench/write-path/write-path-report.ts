import { median } from '../median';

/**
 * The write-path benchmark's result and its Markdown (bench/results/write-path.md, and its
 * section of latest.md). It imports nothing that loads the stores, so run.ts can render it
 * without them.
 */

export type PathKey =
  'floor' | 'adapter' | 'writePath' | 'writePathTimeOrdered' | 'http' | 'emmettSqlite' | 'postgresAdapter' | 'postgresWritePath' | 'emmettPostgres';

export interface PathRow {
  key: PathKey;
  label: string;
  store: 'sqlite' | 'postgres';
  /** Median over the repetitions. */
  eventsPerSecond: number;
  eventsPerSecondByRepetition: number[];
  /** Stored rows per input event (the write path adds derived stage changes). */
  rowsPerEvent: number;
  /** Median over repetitions of this path's events/s ÷ the floor's in the same repetition. */
  toFloor: number;
  /** Events per second of this process's CPU time (median), where the path's work runs in this process. */
  eventsPerCpuSecond: number | null;
  /** As toFloor, on CPU time: what the path costs beside the floor, less moved by other work on the machine. */
  toFloorCpu: number | null;
  /** The same against the Emmett path it compares with; null for the floor. */
  toEmmett: number | null;
  emmettPath: PathKey | null;
  /** The issue's targets, where it sets one. */
  floorTarget?: number;
  emmettTarget?: number;
  /** Why the path did not run (its service unreachable), instead of numbers. */
  skipped?: string;
  /** HTTP: events/s from the first request until the read models had applied them all (median), and those seconds by repetition. */
  caughtUp?: { eventsPerSecond: number; secondsByRepetition: number[] };
}

export interface GrowthSlice {
  /** Events stored when the slice ends. */
  upTo: number;
  /** Wall-clock µs per event of the slice. */
  floor: number;
  adapter: number;
  writePath: number;
  /** The same in this process's CPU time. */
  cpu: { floor: number; adapter: number; writePath: number };
}

export interface WritePathResult {
  date: string;
  cpus: number;
  node: string;
  calibrationMs: number;
  events: number;
  customers: number;
  batchSize: number;
  writers: number;
  repetitions: number;
  /** Mean bytes of one event as sent (wire JSON) and of its data alone. */
  wireBytes: number;
  dataBytes: number;
  /** Each repetition's order of the paths (rotated by one each time). */
  orders: PathKey[][];
  rows: PathRow[];
  /** µs per event of each 100,000-event slice, each path on a store of its own that keeps growing. */
  growth: { events: number; customers: number; slices: GrowthSlice[] } | null;
  seconds: number;
}

const fixed = (value: number | null | undefined, digits = 2) => (value === null || value === undefined || !Number.isFinite(value) ? '' : value.toFixed(digits));

function verdict(value: number | null, target: number | undefined): string {
  if (target === undefined || value === null) return '';
  return `≥ ${target} ${value >= target ? 'met' : '**not met**'}`;
}

export function writePathReport(r: WritePathResult): string {
  const lines =
    r.rows.length > 0
      ? sideBySide(r)
      : [
          `# Write path: the growth run alone (${r.date}, ${r.cpus} cores, Node ${r.node})`,
          '',
          `Machine speed: the calibration work took ${r.calibrationMs} ms (lower is faster).`,
          '',
        ];
  if (r.growth) {
    const at = (n: number) => r.growth!.slices.find((s) => s.upTo === n);
    const marks = [100_000, 1_000_000, 5_000_000, 10_000_000].filter((n) => at(n));
    const first = r.growth.slices[0];
    const last = r.growth.slices[r.growth.slices.length - 1];
    const keys = ['floor', 'adapter', 'writePath'] as const;
    const change = (a: number, b: number) => `${b >= a ? '+' : ''}${Math.round((100 * (b - a)) / a)}%`;
    lines.push(
      `## Growth: µs per event of each 100,000-event slice, ${r.growth.events.toLocaleString('en')} events for ${r.growth.customers.toLocaleString('en')} customers`,
      '',
      "One store per path that keeps growing; the three paths take turns slice by slice (the order alternating), customer after customer as generated. Wall-clock µs, and in brackets this process's CPU µs (less moved by other work on the machine).",
      '',
      `| slice ending at | ${marks.map((n) => n.toLocaleString('en')).join(' | ')} | change, first to last slice (wall / CPU) |`,
      `|---|${marks.map(() => '---').join('|')}|---|`,
      ...keys.map(
        (key) =>
          `| ${key} | ${marks.map((n) => `${fixed(at(n)![key], 1)} (${fixed(at(n)!.cpu[key], 1)})`).join(' | ')} | ${change(first[key], last[key])} / ${change(first.cpu[key], last.cpu[key])} |`,
      ),
      '',
      ...(r.growth.events >= 2_000_000
        ? [
            `A single slice can be slowed by anything else on the machine, so the median of each million's ten slices (wall, then CPU µs an event): ${keys
              .map((key) => `${key} ${millionMedians(r.growth!.slices, key)}`)
              .join('; ')}.`,
            '',
          ]
        : []),
      `Every slice (µs/event wall, then CPU; floor / adapter / write path): ${r.growth.slices.map((s) => `${s.upTo / 1000}k ${keys.map((k) => fixed(s[k], 1)).join('/')} (${keys.map((k) => fixed(s.cpu[k], 1)).join('/')})`).join('; ')}.`,
      '',
    );
  }
  lines.push(
    `Took ${r.seconds} s.${r.orders.some((order) => order.length > 0) ? ` Orders of the repetitions: ${r.orders.map((order) => order.join(' → ')).join('; ')}.` : ''}`,
    '',
  );
  return lines.join('\n');
}

/** Each million's median slice of one path, wall (CPU) µs an event. */
function millionMedians(slices: readonly GrowthSlice[], key: 'floor' | 'adapter' | 'writePath'): string {
  const millions = Math.ceil(slices[slices.length - 1].upTo / 1_000_000);
  return Array.from({ length: millions }, (_, m) => {
    const inside = slices.filter((slice) => slice.upTo > m * 1_000_000 && slice.upTo <= (m + 1) * 1_000_000);
    return `${m + 1}M ${fixed(median(inside.map((slice) => slice[key])), 0)} (${fixed(median(inside.map((slice) => slice.cpu[key])), 0)})`;
  }).join(', ');
}

/** The paths side by side: the table, and how long the HTTP path's read models took to catch up. */
function sideBySide(r: WritePathResult): string[] {
  return [
    `# Write path side by side (${r.date}, ${r.cpus} cores, Node ${r.node})`,
    '',
    `${r.events.toLocaleString('en')} events for ${r.customers.toLocaleString('en')} customers (demo journeys, uuid event ids; ${r.wireBytes} bytes an event as sent, ${r.dataBytes} bytes of data), ${r.batchSize.toLocaleString('en')}-event batches, SQLite in WAL mode with synchronous=NORMAL, ${r.writers} concurrent writers or clients where the row says so. ${r.repetitions} repetitions in one process, each running every path once on a fresh store, the order rotated by one path each repetition; events/s are medians over the repetitions, and each ratio is the median of the ratios within each repetition (paths of one repetition ran minutes apart, so the shared VM's drift moves them together). Machine speed: the calibration work took ${r.calibrationMs} ms (lower is faster).`,
    '',
    '| path | events/s | by repetition | rows / event | ÷ floor | target | ÷ Emmett (comparable path) | target | events / CPU-s | ÷ floor, CPU time |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...r.rows.map((row) =>
      row.skipped
        ? `| ${row.label} | skipped: ${row.skipped} | | | | | | | | |`
        : `| ${row.label} | ${row.eventsPerSecond.toLocaleString('en')} | ${row.eventsPerSecondByRepetition.join(', ')} | ${fixed(row.rowsPerEvent)} | ${fixed(row.toFloor)} | ${verdict(row.toFloor, row.floorTarget)} | ${row.emmettPath ? `${fixed(row.toEmmett)} (${row.emmettPath})` : ''} | ${verdict(row.toEmmett, row.emmettTarget)} | ${row.eventsPerCpuSecond?.toLocaleString('en') ?? ''} | ${fixed(row.toFloorCpu)} |`,
    ),
    '',
    ...r.rows
      .filter((row) => row.caughtUp)
      .map(
        (row) =>
          `${row.label}: the server's read models had applied every event ${row.caughtUp!.secondsByRepetition.map((s) => s.toFixed(1)).join(', ')} s after the first request (by repetition): ${row.caughtUp!.eventsPerSecond.toLocaleString('en')} events/s end to end (median), against ${row.eventsPerSecond.toLocaleString('en')} answered.\n`,
      ),
    'PostgreSQL rows are divided by the SQLite floor too (same events, same machine), for scale only; their target is against Emmett on PostgreSQL. The CPU-time columns count this process only (user + system, all threads), so they exist for the paths whose work runs in it; on a shared machine they move less than wall time, and their ratio is what a path costs beside the floor.',
    '',
  ];
}
