import { collectGarbageNow } from './full-collection';

describe('a full garbage collection between large transactions', () => {
  it('frees what the last transaction left behind, without --expose-gc on the command line', () => {
    let garbage: number[][] | null = Array.from({ length: 200 }, () => Array.from({ length: 50_000 }, (_, i) => i + 0.5));
    const withGarbage = process.memoryUsage().heapUsed;
    expect(garbage.length).toBe(200);
    garbage = null;
    collectGarbageNow();
    // 200 × 50,000 doubles is about 80 MB; most of it must be gone at once.
    expect(withGarbage - process.memoryUsage().heapUsed).toBeGreaterThan(50 * 1024 * 1024);
  });
});
