/**
 * A data directory the server cannot write, made with real small tmpfs mounts (mounting needs
 * root, which CI has): `npm start` on a read-only file system or a full disk ends with one line
 * that names the path and what to do, and exit code 1, never a stack trace; a disk that fills up
 * under a running server turns appends into 503s and `/health` into degraded, and both recover
 * when space comes back.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { http, startServer as startInProcess, tempDataDir } from './support/running-server';

const ROOT = path.resolve(__dirname, '..');

function mountTmpfs(dir: string, options: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
  } catch (error) {
    throw new Error(`this test mounts a small tmpfs and needs root (mount -t tmpfs failed: ${(error as Error).message})`);
  }
  return () => execFileSync('umount', ['-l', dir]);
}

function startServer(dataDir: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/server/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, JOURNEYLINE_DATA_DIR: dataDir, PORT: '0', JOURNEYLINE_LOG_FORMAT: 'text' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('start-up on a data directory it cannot write (e2e, tmpfs mounts)', () => {
  it('a read-only file system: one line naming the directory and what to do', async () => {
    const mountPoint = path.join(tempDataDir('journeyline-ro-'), 'mnt');
    const unmount = mountTmpfs(mountPoint, 'size=1m,ro');
    try {
      const { code, stderr } = await startServer(path.join(mountPoint, 'data'));
      expect(code).toBe(1);
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(`^journeyline: cannot start: the data directory ${mountPoint}/data is not writable .*set JOURNEYLINE_DATA_DIR to a writable directory$`),
      );
    } finally {
      unmount();
    }
  }, 40_000);

  it('a full disk: one line saying so, and that nothing stored is lost', async () => {
    const mountPoint = path.join(tempDataDir('journeyline-full-'), 'mnt');
    const unmount = mountTmpfs(mountPoint, 'size=256k');
    try {
      fs.writeFileSync(path.join(mountPoint, 'filler'), Buffer.alloc(250 * 1024));
      const { code, stderr } = await startServer(path.join(mountPoint, 'data'));
      expect(code).toBe(1);
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^journeyline: cannot start: the disk holding the data directory .* is full \(SQLITE_FULL.*free some space, then start again \(nothing stored is lost\)$/,
      );
    } finally {
      unmount();
    }
  }, 40_000);
});

describe('a disk that fills up under a running server (e2e, tmpfs mount)', () => {
  it('appends answer 503 with Retry-After saying the disk is full and store nothing, nothing acknowledged is lost, /health says the store takes no writes; freeing space recovers both', async () => {
    const mountPoint = path.join(tempDataDir('journeyline-filling-'), 'mnt');
    const unmount = mountTmpfs(mountPoint, 'size=32m');
    const server = await startInProcess({}, path.join(mountPoint, 'data'));
    const filler = path.join(mountPoint, 'filler');
    const event = (id: string) => ({
      eventId: id,
      type: 'touchpoint.visited',
      customerId: 'c-disk',
      data: { touchpoint: 'web:home', channel: 'web', stage: 'awareness', properties: { pad: 'x'.repeat(4000) } },
    });
    const acknowledged: string[] = [];
    try {
      expect((await http(server, 'POST', '/api/v1/events', event('d-0'))).status).toBe(200);
      acknowledged.push('d-0');
      expect((await http(server, 'GET', '/health')).body).toMatchObject({ status: 'ok', storeWritable: true });
      const before = (await http(server, 'GET', '/health')).body.position;

      fs.writeFileSync(filler, Buffer.alloc(0));
      try {
        for (;;) fs.appendFileSync(filler, Buffer.alloc(256 * 1024));
      } catch {
        // ENOSPC: the disk is full
      }
      let refused: Awaited<ReturnType<typeof http>> | null = null;
      let refusedId = '';
      for (let i = 1; i <= 200 && !refused; i++) {
        const answer = await http(server, 'POST', '/api/v1/events', event(`d-${i}`));
        if (answer.status === 200) acknowledged.push(`d-${i}`);
        else [refused, refusedId] = [answer, `d-${i}`];
      }
      expect(refused?.status).toBe(503);
      expect(refused?.headers.get('retry-after')).toMatch(/^\d+$/);
      // says what is wrong (not "busy"), that nothing was stored, and when to retry
      expect(refused?.body.message).toMatch(
        /^the disk holding the event store is full \((SQLITE_FULL|ENOSPC)\b.*\); nothing was stored, retry once space has been freed$/,
      );
      const full = await http(server, 'GET', '/health');
      expect(full.body).toMatchObject({ status: 'degraded', storeWritable: false });
      expect(full.body.reasons.join(' ')).toMatch(/takes no writes/);

      fs.rmSync(filler);
      const recovered = await http(server, 'GET', '/health');
      expect(recovered.body.storeWritable).toBe(true);
      const storedIds = async () =>
        ((await http(server, 'GET', '/api/v1/customers/c-disk/events?limit=1000')).body.items as { eventId: string; type: string }[])
          .filter((e) => e.type === 'touchpoint.visited')
          .map((e) => e.eventId);
      // nothing acknowledged is lost, and the refused event was not stored
      expect((await storedIds()).sort()).toEqual([...acknowledged].sort());
      // the client's retry of the refused event, and new events, are stored once
      expect((await http(server, 'POST', '/api/v1/events', event(refusedId))).status).toBe(200);
      expect((await http(server, 'POST', '/api/v1/events', event('d-after'))).status).toBe(200);
      expect((await storedIds()).sort()).toEqual([...acknowledged, refusedId, 'd-after'].sort());
      expect((await http(server, 'GET', '/health')).body.position).toBeGreaterThan(before);
    } finally {
      await server.stop();
      unmount();
    }
  }, 60_000);
});
