import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { SqliteEventStore } from '@journeyline/event-store';
import { seedDemo } from '@journeyline/ingestion';
import { journeylineProjections, Projector, SqliteReadModelDatabase } from '@journeyline/projections';
import { dumpReadModels } from '@journeyline/projections/testing/projection-harness';
import { tempDataDir } from './support/running-server';

const ROOT = path.resolve(__dirname, '..');
const projections = (store: SqliteEventStore) => journeylineProjections(store, 'Asia/Ho_Chi_Minh');

/** Polls the journey map's checkpoint (rebuilt in place; the others are rebuilt aside) until `enough`, for at most a minute. */
async function journeyMapPosition(projector: Projector, enough: (position: number) => boolean): Promise<number> {
  let position = 0;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    try {
      position = (await projector.progress()).find((p) => p.projection === 'journey-map')!.position;
    } catch {
      position = 0; // tables not created yet
    }
    if (enough(position)) break;
  }
  return position;
}

describe('projector killed mid-rebuild (e2e, real process)', () => {
  it('resumes after SIGKILL and ends equal to a clean rebuild', async () => {
    const dataDir = tempDataDir('journeyline-crash-');
    const store = SqliteEventStore.open(path.join(dataDir, 'journeyline.db'));
    await seedDemo(store, { customers: 1500, now: new Date('2026-11-20T00:00:00Z') });
    const head = await store.headPosition();

    // A real `journeyline rebuild` process, small batches, killed once it has committed some.
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/cli/src/main.ts', 'rebuild', '--batch-size', '100'], {
      cwd: ROOT, env: { ...process.env, JOURNEYLINE_DATA_DIR: dataDir }, stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const readModels = SqliteReadModelDatabase.open(path.join(dataDir, 'read-models.db'));
    const projector = new Projector(store, readModels, projections(store));
    const position = await journeyMapPosition(projector, (p) => p > head / 4);
    child.kill('SIGKILL');
    await exited;
    expect(position).toBeGreaterThan(0);
    expect(position).toBeLessThan(head);

    await projector.catchUp();
    expect(await projector.position()).toBe(head);
    const clean = SqliteReadModelDatabase.open(path.join(dataDir, 'clean.db'));
    const rebuilt = new Projector(store, clean, projections(store));
    await rebuilt.rebuild();
    expect(await dumpReadModels(readModels, projector.projections)).toBe(await dumpReadModels(clean, rebuilt.projections));
    await clean.close();
    await readModels.close();
    await store.close();
  }, 120_000);

  it('Ctrl-C (SIGINT) stops a rebuild after its current transactions, and `rebuild --resume` ends equal to a clean rebuild', async () => {
    const dataDir = tempDataDir('journeyline-interrupt-');
    const store = SqliteEventStore.open(path.join(dataDir, 'journeyline.db'));
    await seedDemo(store, { customers: 1500, now: new Date('2026-11-20T00:00:00Z') });
    const head = await store.headPosition();
    const cli = (...args: string[]) => spawn(process.execPath, ['-r', '@swc-node/register', 'apps/cli/src/main.ts', ...args], {
      cwd: ROOT, env: { ...process.env, JOURNEYLINE_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const finished = (child: ReturnType<typeof cli>) => new Promise<{ code: number | null; out: string }>((resolve) => {
      let out = '';
      child.stdout!.on('data', (chunk) => (out += chunk));
      child.stderr!.on('data', (chunk) => (out += chunk));
      child.once('exit', (code) => resolve({ code, out }));
    });

    const child = cli('rebuild', '--batch-size', '100');
    const exited = finished(child);
    const readModels = SqliteReadModelDatabase.open(path.join(dataDir, 'read-models.db'));
    const projector = new Projector(store, readModels, projections(store));
    const position = await journeyMapPosition(projector, (p) => p > 0);
    child.kill('SIGINT');
    const interrupted = await exited;
    expect(interrupted.code).toBe(0);
    expect(interrupted.out).toMatch(/interrupted; run `journeyline rebuild --resume` to continue: \d+ events/);
    const stoppedAt = (await projector.progress()).find((p) => p.projection === 'journey-map')!.position;
    expect(stoppedAt).toBeGreaterThanOrEqual(position);
    expect(stoppedAt).toBeLessThan(head);

    const resumed = await finished(cli('rebuild', '--resume'));
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(/rebuilt: \d+ events/);
    expect(await projector.position()).toBe(head);
    const clean = SqliteReadModelDatabase.open(path.join(dataDir, 'clean.db'));
    const rebuilt = new Projector(store, clean, projections(store));
    await rebuilt.rebuild();
    expect(await dumpReadModels(readModels, projector.projections)).toBe(await dumpReadModels(clean, rebuilt.projections));
    await clean.close();
    await readModels.close();
    await store.close();
  }, 120_000);
});
