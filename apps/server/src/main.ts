import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from './config/journeyline-config';
import { createServer } from './server';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`journeyline: cannot start: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const app = await createServer(config);
  await app.listen(config.port, config.host);
  new Logger('journeyline').log({ msg: 'listening', url: `http://${config.host}:${config.port}`, store: config.store, dataDir: config.dataDir, timeZone: config.timeZone });
}

main().catch((error) => {
  console.error('journeyline: failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
