/**
 * The same fixed work on every run (JSON round trips, a sort, string building: what the product
 * spends its CPU on), timed: this shared VM's speed varies from day to day by more than most
 * changes, so results of different days compare only next to this number. Median of 5; every benchmark
 * reports it.
 */
export function calibrate(): number {
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = process.hrtime.bigint();
    let text = 0;
    for (let i = 0; i < 100_000; i++) {
      const event = JSON.parse(
        JSON.stringify({ eventId: `e-${i}`, type: 'TouchpointVisited', data: { touchpoint: `web:${i % 97}`, stage: 'use', at: i * 1.5 } }),
      );
      text += `${event.eventId}:${event.data.touchpoint}`.length;
    }
    const numbers = Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 300_007);
    numbers.sort((a, b) => a - b);
    if (text + numbers[0] < 0) throw new Error('unreachable');
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return Math.round(times.sort((a, b) => a - b)[2]);
}
