import { loadWorkerConfig } from './worker-config';

describe('worker configuration', () => {
  it('defaults to the public interface: local broker, journey.events, journeyline-workers, port 3100', () => {
    const config = loadWorkerConfig({});
    expect(config.kafka).toMatchObject({
      brokers: ['127.0.0.1:9092'],
      groupId: 'journeyline-workers',
      topics: { events: 'journey.events', deadLetters: 'journey.events.dlq', stageChanges: 'journey.stage-changes', churnFlags: 'journey.churn-flags' },
      fromBeginning: true,
    });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 3100 });
    expect(config.outbound).toBe(true);
    expect(config.journeyline.store).toBe('sqlite');
  });

  it('reads brokers, topics and the shared store settings from the environment', () => {
    const config = loadWorkerConfig({
      KAFKA_BROKERS: 'k1:9092, k2:9093',
      KAFKA_TOPIC: 'prod.journey.events',
      KAFKA_GROUP_ID: 'jl',
      WORKER_PORT: '0',
      JOURNEYLINE_DATA_DIR: '/tmp/jl',
      JOURNEYLINE_TZ: 'UTC',
      JOURNEYLINE_OUTBOUND: 'off',
    });
    expect(config.kafka.brokers).toEqual(['k1:9092', 'k2:9093']);
    expect(config.kafka.topics.events).toBe('prod.journey.events');
    expect(config.kafka.groupId).toBe('jl');
    expect(config.http.port).toBe(0);
    expect(config.outbound).toBe(false);
    expect(config.journeyline).toMatchObject({ dataDir: '/tmp/jl', timeZone: 'UTC' });
  });

  it.each([
    [{ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS'],
    [{ KAFKA_TOPIC: 'journey events' }, 'KAFKA_TOPIC'],
    [{ WORKER_PORT: 'http' }, 'WORKER_PORT'],
    [{ KAFKA_FROM_BEGINNING: 'maybe' }, 'KAFKA_FROM_BEGINNING'],
    [{ KAFKA_SESSION_TIMEOUT_MS: '6000', KAFKA_HEARTBEAT_INTERVAL_MS: '6000' }, 'KAFKA_HEARTBEAT_INTERVAL_MS'],
    [{ JOURNEYLINE_STORE: 'postgres' }, 'JOURNEYLINE_STORE_URL'],
  ])('refuses %j, naming %s', (env, variable) => {
    expect(() => loadWorkerConfig(env)).toThrow(variable);
  });
});
