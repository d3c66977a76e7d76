/**
 * Gives the event loop a turn. better-sqlite3 calls are synchronous, so a long loop of awaited
 * store calls (a rebuild, a seed, a catch-up) never lets signal handlers, timers or requests run:
 * without this, Ctrl-C and stop() were only seen after the whole loop. Call it between steps.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
