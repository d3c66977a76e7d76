import { ConfigError, createLog, loadConfig, startupFailureLine, type JourneylineConfig } from '@journeyline/platform';
import { createServer } from './server';

async function main(): Promise<void> {
  let config: JourneylineConfig | null = null;
  try {
    config = loadConfig(process.env);
    const log = createLog({ app: 'journeyline', format: config.logFormat });
    const app = await createServer(config, log);
    await app.listen(config.port, config.host);
    const { port } = app.getHttpServer().address() as { port: number };
    log.info({ url: `http://${config.host}:${port}`, store: config.store, dataDir: config.dataDir, timeZone: config.timeZone }, 'listening');
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
