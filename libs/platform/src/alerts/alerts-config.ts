/** Targets, alerts and where they are delivered (read once at start, with the rest of the configuration). */
export interface AlertsConfig {
  /** JOURNEYLINE_ALERT_WINDOW (`30d`): the rolling window a target is judged over, in days. */
  windowDays: number;
  /** JOURNEYLINE_ALERT_INTERVAL_MS: at most one evaluation of the targets per this long. */
  intervalMs: number;
  webhooks: WebhookConfig;
}

export interface WebhookConfig {
  /** JOURNEYLINE_WEBHOOKS: http(s) URLs each alert event is POSTed to; empty: none. */
  urls: readonly string[];
  /** JOURNEYLINE_WEBHOOK_SECRET: the HMAC-SHA256 key of the signature header (required with webhooks). */
  secret: string | null;
  /** JOURNEYLINE_WEBHOOK_MAX_ATTEMPTS: tries before a delivery is dead-lettered. */
  maxAttempts: number;
  /** JOURNEYLINE_WEBHOOK_BACKOFF_MS: the wait after the first failure; it doubles after each. */
  backoffMs: number;
  /** JOURNEYLINE_WEBHOOK_BACKOFF_MAX_MS: the longest wait between two tries. */
  backoffMaxMs: number;
  /** JOURNEYLINE_WEBHOOK_TIMEOUT_MS: how long one try waits for the receiver's answer. */
  timeoutMs: number;
}

/**
 * How the configuration reads a variable (journeyline-config.ts passes its own readers in, so
 * both files name a bad variable the same way, with the same ConfigError).
 */
export interface VariableReader {
  raw(name: string): string | undefined;
  integer(name: string, fallback: number, min: number, max: number): number;
  error(name: string, reason: string): Error;
}

export function loadAlertsConfig(read: VariableReader): AlertsConfig {
  const urls = webhookUrls(read, 'JOURNEYLINE_WEBHOOKS');
  const secret = read.raw('JOURNEYLINE_WEBHOOK_SECRET') ?? null;
  if (urls.length > 0 && (secret === null || secret.length < 16))
    throw read.error(
      'JOURNEYLINE_WEBHOOK_SECRET',
      'must be set, at least 16 characters, when JOURNEYLINE_WEBHOOKS is (e.g. the output of: openssl rand -hex 32)',
    );
  const backoffMs = read.integer('JOURNEYLINE_WEBHOOK_BACKOFF_MS', 30_000, 10, 86_400_000);
  return {
    windowDays: days(read, 'JOURNEYLINE_ALERT_WINDOW', 30),
    intervalMs: read.integer('JOURNEYLINE_ALERT_INTERVAL_MS', 5_000, 50, 86_400_000),
    webhooks: {
      urls,
      secret,
      maxAttempts: read.integer('JOURNEYLINE_WEBHOOK_MAX_ATTEMPTS', 8, 1, 100),
      backoffMs,
      backoffMaxMs: Math.max(backoffMs, read.integer('JOURNEYLINE_WEBHOOK_BACKOFF_MAX_MS', 3_600_000, 10, 7 * 86_400_000)),
      timeoutMs: read.integer('JOURNEYLINE_WEBHOOK_TIMEOUT_MS', 10_000, 100, 300_000),
    },
  };
}

function days(read: VariableReader, name: string, fallback: number): number {
  const value = read.raw(name);
  if (value === undefined) return fallback;
  const match = /^(\d+)d$/.exec(value);
  if (!match || Number(match[1]) < 1 || Number(match[1]) > 3660)
    throw read.error(name, `must be a number of days from 1d to 3660d, such as 30d, got "${value}"`);
  return Number(match[1]);
}

function webhookUrls(read: VariableReader, name: string): string[] {
  const value = read.raw(name);
  if (value === undefined) return [];
  return value
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean)
    .map((url) => {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw read.error(name, `must list http(s) URLs separated by commas, got "${url}"`);
      }
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw read.error(name, `must list http(s) URLs, got "${url}"`);
      return parsed.href;
    });
}
