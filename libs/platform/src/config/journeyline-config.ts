import { IANAZone } from 'luxon';
import * as path from 'node:path';
import type { WireLimits } from '@journeyline/recording';

/**
 * Configuration is read from the environment once, validated at start-up and injected as
 * JOURNEYLINE_CONFIG; nothing else reads process.env.
 */
export const JOURNEYLINE_CONFIG = Symbol('JOURNEYLINE_CONFIG');

export const STORE_KINDS = ['sqlite', 'postgres', 'kurrentdb'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export interface JourneylineConfig {
  port: number;
  host: string;
  dataDir: string;
  store: StoreKind;
  storeUrl: string | null;
  /** PostgreSQL for the read models when the log is elsewhere (KurrentDB); null: beside the log. */
  readModelUrl: string | null;
  /** IANA zone: days are bucketed and bare dates read in it. */
  timeZone: string;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  logFormat: 'json' | 'text';
  /** Rows with fewer answers are marked not yet meaningful. */
  minSample: number;
  /** Churn-risk rules file (JSON or YAML); null uses the built-in rules. */
  churnRulesFile: string | null;
  /** How often time-based churn rules are re-evaluated. */
  churnCheckIntervalMs: number;
  /** Limits on free-form `properties` of incoming events. */
  wireLimits: WireLimits;
  /** Slow and idle clients: how long the server waits for them, and how many it holds at once. */
  http: HttpLimits;
  /** `/health` is degraded when a follower is further behind the log than this many events. */
  healthMaxLag: number;
}

export interface HttpLimits {
  /** Time to receive a request's headers; a client trickling header lines is closed after it. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Open connections held at once; more are refused at the socket. */
  maxConnections: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

export function loadConfig(env: Env): JourneylineConfig {
  const store = oneOf(env, 'JOURNEYLINE_STORE', STORE_KINDS, 'sqlite');
  const storeUrl = env.JOURNEYLINE_STORE_URL?.trim() || null;
  if (store !== 'sqlite' && !storeUrl) {
    throw new ConfigError(
      'JOURNEYLINE_STORE_URL',
      `is required when JOURNEYLINE_STORE=${store} (e.g. ${store === 'postgres' ? 'postgres://user@127.0.0.1:5432/journeyline' : 'esdb://127.0.0.1:2113?tls=false'})`,
    );
  }
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: nonEmpty(env, 'HOST', '127.0.0.1'),
    dataDir: path.resolve(nonEmpty(env, 'JOURNEYLINE_DATA_DIR', './data')),
    store,
    storeUrl,
    readModelUrl: postgresUrl(env, 'JOURNEYLINE_READ_MODEL_URL'),
    timeZone: timeZone(env, 'JOURNEYLINE_TZ', 'Asia/Ho_Chi_Minh'),
    bodyLimit: integer(env, 'JOURNEYLINE_BODY_LIMIT', 8 * 1024 * 1024, 1024, 256 * 1024 * 1024),
    logFormat: oneOf(env, 'JOURNEYLINE_LOG_FORMAT', ['json', 'text'] as const, 'json'),
    minSample: integer(env, 'JOURNEYLINE_MIN_SAMPLE', 30, 1, 1_000_000),
    churnRulesFile: raw(env, 'JOURNEYLINE_CHURN_RULES') ? path.resolve(raw(env, 'JOURNEYLINE_CHURN_RULES')!) : null,
    churnCheckIntervalMs: integer(env, 'JOURNEYLINE_CHURN_CHECK_INTERVAL_MS', 60_000, 100, 86_400_000),
    wireLimits: {
      propertiesDepth: integer(env, 'JOURNEYLINE_MAX_PROPERTIES_DEPTH', 8, 1, 64),
      propertiesKeys: integer(env, 'JOURNEYLINE_MAX_PROPERTIES_KEYS', 256, 1, 100_000),
      propertiesBytes: integer(env, 'JOURNEYLINE_MAX_PROPERTIES_BYTES', 16_384, 64, 1_048_576),
    },
    http: checkHttpLimits({
      headersTimeoutMs: integer(env, 'JOURNEYLINE_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
      requestTimeoutMs: integer(env, 'JOURNEYLINE_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000),
      keepAliveTimeoutMs: integer(env, 'JOURNEYLINE_KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
      maxConnections: integer(env, 'JOURNEYLINE_MAX_CONNECTIONS', 1024, 1, 1_000_000),
    }),
    healthMaxLag: integer(env, 'JOURNEYLINE_HEALTH_MAX_LAG', 10_000, 0, 1_000_000_000),
  };
}

/** Node refuses a headers timeout longer than the request timeout: say so at start, by name. */
function checkHttpLimits(http: HttpLimits): HttpLimits {
  if (http.headersTimeoutMs > http.requestTimeoutMs) {
    throw new ConfigError(
      'JOURNEYLINE_HEADERS_TIMEOUT_MS',
      `must not be longer than JOURNEYLINE_REQUEST_TIMEOUT_MS (${http.requestTimeoutMs}), got "${http.headersTimeoutMs}"`,
    );
  }
  return http;
}

/** A variable's trimmed value; unset and blank both count as absent. Shared with the worker's config. */
export function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function nonEmpty(env: Env, name: string, fallback: string): string {
  return raw(env, name) ?? fallback;
}

export function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

function timeZone(env: Env, name: string, fallback: string): string {
  const value = raw(env, name) ?? fallback;
  if (value.toUpperCase() === 'UTC') return 'UTC';
  if (!IANAZone.isValidZone(value)) {
    throw new ConfigError(name, `must be an IANA time zone such as Asia/Ho_Chi_Minh or UTC, got "${value}"`);
  }
  return value;
}

function postgresUrl(env: Env, name: string): string | null {
  const value = raw(env, name);
  if (value === undefined) return null;
  if (!/^postgres(ql)?:\/\//.test(value)) throw new ConfigError(name, `must be a postgres:// URL, got "${value}"`);
  return value;
}
