import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { SqliteEventStore } from '@journeyline/event-store';
import { seedDemo } from '@journeyline/demo';
import { journeylineProjections, Projector, SqliteReadModelDatabase } from '@journeyline/projections';
import { dumpReadModels } from '@journeyline/projections/testing/projection-harness';
import { tempDataDir } from './support/running-server';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';

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

/** A data dir with a seeded log (about 15,000 events), its read models, and the CLI to run on it in a real process. */
async function seededDataDir(prefix: string) {
  const dataDir = tempDataDir(prefix);
  const store = SqliteEventStore.open(path.join(dataDir, 'journeyline.db'));
  await seedDemo(store, { customers: 1500, personal: localPersonalData(path.join(dataDir, 'journeyline.db')), now: new Date('2026-11-20T00:00:00Z') });
  const head = await store.headPosition();
  const readModels = SqliteReadModelDatabase.open(path.join(dataDir, 'read-models.db'));
  const projector = new Projector(store, readModels, projections(store));
  /** `journeyline <args>` in its own process; `exited` gives its exit code and everything it printed. */
  const cli = (...args: string[]) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/cli/src/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, JOURNEYLINE_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<{ code: number | null; out: string }>((resolve) => {
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.stderr.on('data', (chunk) => (out += chunk));
      child.once('exit', (code) => resolve({ code, out }));
    });
    return { child, exited };
  };
  /** The read models equal those of a clean rebuild into another file; then everything is closed. */
  const expectEqualToCleanRebuild = async () => {
    const clean = SqliteReadModelDatabase.open(path.join(dataDir, 'clean.db'));
    const rebuilt = new Projector(store, clean, projections(store));
    await rebuilt.rebuild();
    expect(await dumpReadModels(readModels, projector.projections)).toBe(await dumpReadModels(clean, rebuilt.projections));
    await clean.close();
    await readModels.close();
    await store.close();
  };
  return { head, projector, cli, expectEqualToCleanRebuild };
}

describe('projector killed mid-rebuild (e2e, real process)', () => {
  it('resumes after SIGKILL and ends equal to a clean rebuild', async () => {
    const { head, projector, cli, expectEqualToCleanRebuild } = await seededDataDir('journeyline-crash-');

    // A real `journeyline rebuild` process, small batches, killed once it has committed some.
    const { child, exited } = cli('rebuild', '--batch-size', '100');
    const position = await journeyMapPosition(projector, (p) => p > head / 4);
    child.kill('SIGKILL');
    await exited;
    expect(position).toBeGreaterThan(0);
    expect(position).toBeLessThan(head);

    await projector.catchUp();
    expect(await projector.position()).toBe(head);
    await expectEqualToCleanRebuild();
  }, 120_000);

  it('Ctrl-C (SIGINT) stops a rebuild after its current transactions, and `rebuild --resume` ends equal to a clean rebuild', async () => {
    const { head, projector, cli, expectEqualToCleanRebuild } = await seededDataDir('journeyline-interrupt-');

    const { child, exited } = cli('rebuild', '--batch-size', '100');
    const position = await journeyMapPosition(projector, (p) => p > 0);
    child.kill('SIGINT');
    const interrupted = await exited;
    // interrupted is not done: a non-zero status (130, as a shell reports Ctrl-C) tells a script to resume
    expect(interrupted.code).toBe(130);
    expect(interrupted.out).toMatch(/interrupted; run `journeyline rebuild --resume` to continue: \d+ events/);
    const stoppedAt = (await projector.progress()).find((p) => p.projection === 'journey-map')!.position;
    expect(stoppedAt).toBeGreaterThanOrEqual(position);
    expect(stoppedAt).toBeLessThan(head);

    const resumed = await cli('rebuild', '--resume').exited;
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(/rebuilt: \d+ events/);
    expect(await projector.position()).toBe(head);
    await expectEqualToCleanRebuild();
  }, 120_000);
});
