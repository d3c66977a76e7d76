import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, type JourneylineConfig } from './config/journeyline-config';
import { createServer } from './server';
import { startupFailureLine } from './startup-error';

async function main(): Promise<void> {
  let config: JourneylineConfig | null = null;
  try {
    config = loadConfig(process.env);
    const app = await createServer(config);
    await app.listen(config.port, config.host);
    new Logger('journeyline').log({ msg: 'listening', url: `http://${config.host}:${config.port}`, store: config.store, dataDir: config.dataDir, timeZone: config.timeZone });
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
