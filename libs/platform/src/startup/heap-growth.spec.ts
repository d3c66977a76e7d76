import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { HEAP_GROWING_PERCENT, limitHeapGrowth } from './heap-growth';

describe('limitHeapGrowth', () => {
  it("a --heap-growing-percent on node's command line wins, 0 (V8's own rule) included", () => {
    expect(limitHeapGrowth(['--max-old-space-size=512', '--heap-growing-percent=30'])).toBe(30);
    expect(limitHeapGrowth(['--heap_growing_percent=0'])).toBe(0);
  });

  // The flag is set only in child processes: V8's flags are the process's, and this one runs
  // other test files next (their timing must not change). What the flag does, seen from
  // outside: a program that keeps some 30 MiB alive and makes garbage fast that lives long
  // enough to reach the old generation (a request's or a transaction's objects). Under 1.5 ×
  // growth its heap peaked at about 130 MiB here, under V8's own growth at about 250.
  it("keeps a process's heap near its live data while it makes garbage fast", () => {
    const program = `
      const { limitHeapGrowth } = require(${JSON.stringify(path.join(__dirname, 'heap-growth'))});
      if (process.argv[1] === 'limit' && limitHeapGrowth([]) !== ${HEAP_GROWING_PERCENT}) process.exit(3);
      const live = Array.from({ length: 24 }, () => Array.from({ length: 32768 }, (_, i) => ({ i })));
      const v8 = require('node:v8');
      let peak = 0;
      const recent = [];
      for (let round = 0; round < 250; round++) {
        recent[round % 8] = Array.from({ length: 20000 }, (_, i) => ({ i, s: 'x' + i }));
        peak = Math.max(peak, v8.getHeapStatistics().total_heap_size);
      }
      process.stdout.write(String(Math.round(peak / 2 ** 20)));
    `;
    const run = (mode: string) => Number(execFileSync(process.execPath, ['-r', '@swc-node/register', '-e', program, mode], { encoding: 'utf8' }));
    const limited = run('limit');
    const own = run('own');
    expect(limited).toBeLessThan(own * 0.8);
  });
});
