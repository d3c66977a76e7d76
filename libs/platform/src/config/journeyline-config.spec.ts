import { ConfigError, loadConfig } from './journeyline-config';

describe('configuration from the environment', () => {
  it('defaults to the embedded store on 127.0.0.1:3000 in Ho Chi Minh City time', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', store: 'sqlite', storeUrl: null, timeZone: 'Asia/Ho_Chi_Minh' });
    expect(config.dataDir).toMatch(/\/data$/);
  });

  it('as-of snapshots: one every 10,000 events, 12 kept, by default; 0 events turns them off', () => {
    expect(loadConfig({})).toMatchObject({ asOfSnapshotEvents: 10_000, asOfSnapshotKeep: 12 });
    expect(loadConfig({ JOURNEYLINE_AS_OF_SNAPSHOT_EVENTS: '0', JOURNEYLINE_AS_OF_SNAPSHOT_KEEP: '4' })).toMatchObject({
      asOfSnapshotEvents: 0,
      asOfSnapshotKeep: 4,
    });
    expect(() => loadConfig({ JOURNEYLINE_AS_OF_SNAPSHOT_KEEP: '0' })).toThrow(ConfigError);
  });

  it('as-of replays: transactions of 10,000 events by default, from 1,000 to 1,000,000 when given', () => {
    expect(loadConfig({}).asOfTransactionEvents).toBe(10_000);
    expect(loadConfig({ JOURNEYLINE_AS_OF_TRANSACTION_EVENTS: '50000' }).asOfTransactionEvents).toBe(50_000);
    expect(() => loadConfig({ JOURNEYLINE_AS_OF_TRANSACTION_EVENTS: '999' })).toThrow(/JOURNEYLINE_AS_OF_TRANSACTION_EVENTS.*1000 to 1000000/);
  });

  it('runs the projector on a thread of its own unless JOURNEYLINE_PROJECTOR_THREAD is false', () => {
    expect(loadConfig({}).projectorThread).toBe(true);
    expect(loadConfig({ JOURNEYLINE_PROJECTOR_THREAD: 'false' }).projectorThread).toBe(false);
    expect(() => loadConfig({ JOURNEYLINE_PROJECTOR_THREAD: 'no' })).toThrow(/JOURNEYLINE_PROJECTOR_THREAD.*true, false/);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      JOURNEYLINE_DATA_DIR: '/tmp/jl',
      JOURNEYLINE_TZ: 'UTC',
      JOURNEYLINE_STORE: 'postgres',
      JOURNEYLINE_STORE_URL: 'postgres://127.0.0.1/test',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/tmp/jl',
      timeZone: 'UTC',
      store: 'postgres',
      storeUrl: 'postgres://127.0.0.1/test',
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ JOURNEYLINE_STORE: 'mysql' }, 'JOURNEYLINE_STORE'],
    [{ JOURNEYLINE_STORE: 'postgres' }, 'JOURNEYLINE_STORE_URL'],
    [{ JOURNEYLINE_TZ: 'Mars/Olympus' }, 'JOURNEYLINE_TZ'],
  ])('a bad value %p stops start-up naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable} `));
  });
});
