import { loadConfig } from '../apps/server/src/config/journeyline-config';
import { createServer } from '../apps/server/src/server';

/** The real server on the benchmark data, in its own process so its RSS can be measured alone. */
async function main(): Promise<void> {
  const config = loadConfig({ PORT: '0', JOURNEYLINE_DATA_DIR: process.argv[2], JOURNEYLINE_LOG_FORMAT: 'json' });
  const app = await createServer(config, false);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  process.on('message', async (message) => {
    if (message === 'rss') process.send?.({ peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) });
    if (message === 'stop') {
      await app.close();
      process.exit(0);
    }
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
