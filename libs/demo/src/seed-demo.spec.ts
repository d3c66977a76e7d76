import { SqliteEventStore } from '@journeyline/event-store';
import { seedDemo } from './seed-demo';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';

const NOW = new Date('2026-11-30T00:00:00Z');

describe('seedDemo', () => {
  it('stops after the chunk in progress when a timer (as a Ctrl-C handler does) asks it to, and a second run adds only what is missing', async () => {
    const store = SqliteEventStore.open(':memory:');
    const complete = SqliteEventStore.open(':memory:');
    // the keys belong with the store they sealed events of: one vault each
    const personal = localPersonalData();
    try {
      let stop = false;
      setTimeout(() => (stop = true), 0);
      const first = await seedDemo(store, { customers: 3000, personal, chunk: 100, now: NOW, shouldStop: () => stop });
      expect(first.customers).toBeGreaterThan(0);
      expect(first.customers).toBeLessThan(3000);
      expect(first.customers % 100).toBe(0);

      const second = await seedDemo(store, { customers: 3000, personal, chunk: 100, now: NOW });
      const whole = await seedDemo(complete, { customers: 3000, personal: localPersonalData(), chunk: 100, now: NOW });
      expect(first.events + second.events).toBe(whole.events);
      expect(await store.headPosition()).toBe(await complete.headPosition());
    } finally {
      await store.close();
      await complete.close();
    }
    // seeds 6,000 customers: about 3 s alone, past jest's default 5 s on a busy 2-core machine
  }, 30_000);
});
