import { ConfigError, createLog, limitHeapGrowth, loadConfig, startupFailureLine, type JourneylineConfig } from '@journeyline/platform';
import { FirstAdminKey } from './access/first-admin-key';
import { createServer } from './server';

async function main(): Promise<void> {
  limitHeapGrowth();
  let config: JourneylineConfig | null = null;
  try {
    config = loadConfig(process.env);
    const log = createLog({ app: 'journeyline', format: config.logFormat });
    const app = await createServer(config, log);
    await app.listen(config.port, config.host);
    const { port } = app.getHttpServer().address() as { port: number };
    const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;
    log.info({ url: `http://${config.host}:${port}`, store: config.store, dataDir: config.dataDir, timeZone: config.timeZone }, 'listening');
    const first = app.get(FirstAdminKey).created;
    if (first) {
      // The one time this key is shown: on stderr, beside the log, never in a log line.
      process.stderr.write(
        [
          '',
          'journeyline: this store had no API key, so an admin key was made. It is shown only now; keep it safe:',
          `  ${first.key}`,
          `Open the dashboard signed in (the key stays in your browser, not in the address): ${url}/#key=${first.key}`,
          'More keys: npm run journeyline -- keys create --name <who> --scopes read (or POST /api/v1/keys).',
          '',
        ].join('\n'),
      );
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`journeyline: cannot start: ${error.message}`);
      process.exit(2);
    }
    console.error(startupFailureLine(error, config));
    process.exit(1);
  }
}

void main();
