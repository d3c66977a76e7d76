import { buildCli } from '../../apps/cli/src/main';

/**
 * Runs a `journeyline` command in this process on `dataDir`, as a user would type it; answers
 * what it printed. process.exitCode is reset afterwards (a command may set it on purpose).
 */
export async function runCli(dataDir: string, ...args: string[]): Promise<string> {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const saved = process.env.JOURNEYLINE_DATA_DIR;
  process.env.JOURNEYLINE_DATA_DIR = dataDir;
  try {
    await buildCli().parseAsync(['node', 'journeyline', ...args]);
    return log.mock.calls.flat().join('\n');
  } finally {
    log.mockRestore();
    process.env.JOURNEYLINE_DATA_DIR = saved;
    process.exitCode = undefined;
  }
}
