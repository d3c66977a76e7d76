/**
 * A server process in standby: it loads the server's code (the 2,000 modules that make a start
 * take seconds), then waits for a line on stdin before it runs apps/server/src/main.ts, which reads
 * its configuration, opens the data directory and listens. A test that restarts the server many
 * times starts the next one's standby while the current one runs, so each restart after a kill
 * costs what a real restart of a warm machine does, and only that. Nothing of the data directory is
 * touched before the line comes. When stdin ends first (the test is gone), it exits.
 */
import '../../apps/server/src/server';

let started = false;
process.stdin.once('data', () => {
  started = true;
  process.stdin.destroy();
  void import('../../apps/server/src/main');
});
process.stdin.once('end', () => {
  if (!started) process.exit(0);
});
