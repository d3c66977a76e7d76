import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './free-port';

/**
 * A throwaway PostgreSQL server of its own (initdb into a temp directory, a free port), for tests
 * that stop and start the database: the machine's shared cluster must never be restarted by a
 * test. Only this instance's postmaster is ever signalled, through `pg_ctl -D <its directory>`.
 * When running as root, initdb refuses, so the server runs as the `postgres` OS user.
 */
export interface PrivatePostgres {
  port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  /** The server's data directory (its files, for tests that read them raw). */
  dataDir: string;
  start(): void;
  /** `pg_ctl stop -m fast`: the server ends every connection, as in a restart. */
  stop(): void;
  /** Stops the server and deletes its directory. */
  remove(): void;
}

const BIN = process.env.JOURNEYLINE_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export function postgresBinariesAvailable(): boolean {
  return fs.existsSync(path.join(BIN, 'initdb')) && fs.existsSync(path.join(BIN, 'pg_ctl'));
}

export async function createPrivatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-pg-'));
  const data = path.join(root, 'data');
  const log = path.join(root, 'server.log');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['postgres:postgres', root]);
  const run = (binary: string, args: string[]) => {
    const command = path.join(BIN, binary);
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    execFileSync(file, argv, { stdio: ['ignore', 'ignore', 'pipe'], cwd: root });
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
  // fsync off: nothing here must survive a power cut, and the test restarts it often.
  const options = `-p ${port} -k ${os.tmpdir()} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  let running = false;
  const instance: PrivatePostgres = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dataDir: data,
    start() {
      run('pg_ctl', ['-D', data, '-o', options, '-l', log, '-w', '-t', '30', 'start']);
      running = true;
    },
    stop() {
      if (!running) return;
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
      running = false;
    },
    remove() {
      try {
        instance.stop();
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    },
  };
  instance.start();
  return instance;
}
