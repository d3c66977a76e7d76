import type { CustomerCommand } from '@journeyline/journey';
import { batchesOf, benchCommands } from './bench-events';
import { adapterWriter, cpuSeconds, floorWriter, scratch, writePathWriter, type BatchWriter } from './sqlite-paths';
import type { GrowthSlice } from './write-path-report';

const SLICE = 100_000;

/**
 * Cost per event as the log grows: the floor, the adapter and the write path each on a store of
 * its own, fed `total` events (10 a customer, customer after customer, generated lazily so 10M fit
 * in memory) slice by slice, the three taking turns on each 100,000-event slice so the VM's drift
 * hits them alike. Only the writes are timed, not the generation.
 */
export async function growth(
  total: number,
  batchSize: number,
  log: (line: string) => void,
): Promise<{ events: number; customers: number; slices: GrowthSlice[] }> {
  const customers = Math.round(total / 10);
  const dirs = { floor: scratch('growth-floor'), adapter: scratch('growth-adapter'), writePath: scratch('growth-write-path') };
  const writers: Record<keyof typeof dirs, BatchWriter> = {
    floor: floorWriter(dirs.floor.dir),
    adapter: adapterWriter(dirs.adapter.dir),
    writePath: writePathWriter(dirs.writePath.dir),
  };
  const slices: GrowthSlice[] = [];
  try {
    let slice: CustomerCommand[] = [];
    let stored = 0;
    const runSlice = async () => {
      const batches = batchesOf(slice, batchSize);
      const order = (['floor', 'adapter', 'writePath'] as const).slice();
      if (slices.length % 2 === 1) order.reverse();
      const micros: Partial<Record<(typeof order)[number], number>> = {};
      const cpuMicros: Partial<Record<(typeof order)[number], number>> = {};
      for (const key of order) {
        const cpu = process.cpuUsage();
        const started = process.hrtime.bigint();
        for (const batch of batches) await writers[key].write(batch);
        micros[key] = Number(process.hrtime.bigint() - started) / 1e3 / slice.length;
        cpuMicros[key] = (cpuSeconds(cpu) * 1e6) / slice.length;
      }
      stored += slice.length;
      slices.push({
        upTo: stored,
        floor: micros.floor!,
        adapter: micros.adapter!,
        writePath: micros.writePath!,
        cpu: { floor: cpuMicros.floor!, adapter: cpuMicros.adapter!, writePath: cpuMicros.writePath! },
      });
      const both = (key: (typeof order)[number]) => `${micros[key]!.toFixed(1)} µs (${cpuMicros[key]!.toFixed(1)} CPU)`;
      log(`growth: ${stored} events: floor ${both('floor')}, adapter ${both('adapter')}, write path ${both('writePath')} an event`);
      slice = [];
    };
    for (const command of benchCommands(total, customers, 23)) {
      slice.push(command);
      if (slice.length === SLICE) await runSlice();
    }
    if (slice.length > 0) await runSlice();
    for (const [key, writer] of Object.entries(writers)) {
      const rows = await writer.rows();
      if (rows < stored) throw new Error(`growth: the ${key} store holds ${rows} rows, fewer than the ${stored} events written`);
    }
    return { events: stored, customers, slices };
  } finally {
    for (const writer of Object.values(writers)) await writer.close();
    for (const dir of Object.values(dirs)) dir.done();
  }
}
