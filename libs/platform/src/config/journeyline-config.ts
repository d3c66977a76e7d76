import { IANAZone } from 'luxon';
import * as os from 'node:os';
import * as path from 'node:path';
import { MIN_CHOSEN_KEY_LENGTH } from '@journeyline/access';
import { PORTRAIT_FIELDS, type PortraitField } from '@journeyline/journey';
import type { WireLimits } from '@journeyline/recording';
import { loadAlertsConfig, type AlertsConfig } from '../alerts/alerts-config';

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
  /** Largest file uploaded to POST /api/v1/import, in bytes. */
  importBodyLimit: number;
  logFormat: 'json' | 'text';
  /** Rows with fewer answers are marked not yet meaningful. */
  minSample: number;
  /** Churn-risk rules file (JSON or YAML); null uses the built-in rules. */
  churnRulesFile: string | null;
  /** How often time-based churn rules are re-evaluated. */
  churnCheckIntervalMs: number;
  /** A bad answer given longer ago than this (when the follow-up process first sees it) opens no follow-up. */
  followUpMaxAgeDays: number;
  /** The Segment source's mapping file (JSON or YAML); null uses the built-in mapping. */
  segmentMappingFile: string | null;
  /** Limits on free-form `properties` of incoming events. */
  wireLimits: WireLimits;
  /** Slow and idle clients: how long the server waits for them, and how many it holds at once. */
  http: HttpLimits;
  /** `/health` is degraded when a follower is further behind the log than this many events. */
  healthMaxLag: number;
  /** JOURNEYLINE_AS_OF_SNAPSHOT_EVENTS: an as-of snapshot of the replayed read models every this many events of the log; 0: none (every such as-of read replays the whole log). */
  asOfSnapshotEvents: number;
  /** JOURNEYLINE_AS_OF_SNAPSHOT_KEEP: as-of snapshots kept per set at most (thinned evenly, the newest always kept). */
  asOfSnapshotKeep: number;
  /** JOURNEYLINE_AS_OF_TRANSACTION_EVENTS: events in one transaction of an as-of replay (longer: faster, more memory). */
  asOfTransactionEvents: number;
  /** JOURNEYLINE_PROJECTOR_THREAD: the projector on a thread of its own (SQLite read models in a file); false: on the event loop's thread. */
  projectorThread: boolean;
  /** Keys, hosts, origins and limits: who may ask what. */
  access: AccessConfig;
  /** Personal data at rest. */
  privacy: PrivacyConfig;
  /** Hosted surveys: links, their signing keys, the replacement window. */
  surveys: SurveyConfig;
  /** Targets, alerts and their webhooks. */
  alerts: AlertsConfig;
}

export interface SurveyConfig {
  /** JOURNEYLINE_SURVEY_REPLACE_MINUTES: a second answer through a link within this time replaces the first; later, the link is answered. */
  replaceWithinMs: number;
  /** JOURNEYLINE_SURVEY_LINK_DAYS: how long a link stays valid when the request names no ttlDays. */
  linkDays: number;
  /** JOURNEYLINE_SURVEY_KEY_ROTATE_DAYS: a new signing key is made when the newest is older. */
  keyRotateDays: number;
  /** JOURNEYLINE_PUBLIC_URL: where customers reach this server (links are absolute when set), without a trailing slash; null: relative links. */
  publicUrl: string | null;
}

export interface AccessConfig {
  /** JOURNEYLINE_ADMIN_KEY: the first admin key of a store that has none. */
  adminKey: string | null;
  /** JOURNEYLINE_SEGMENT_WRITE_KEY: an ingest key kept in the configuration only. */
  segmentWriteKey: string | null;
  /** Host names (no port) requests may be addressed to; '*' allows any (behind a proxy that checks). */
  allowedHosts: readonly string[];
  /** Origins allowed to call the API from a browser (CORS); empty: none. */
  corsOrigins: readonly string[];
  /** Number of reverse proxies in front whose X-Forwarded-For is trusted for the client address; 0: none. */
  trustProxy: number;
  /** Requests per minute. */
  rateLimits: { ingestPerKey: number; ingestPerAddress: number; publicPerAddress: number; authFailuresPerAddress: number };
  /** How long a dashboard session lasts. */
  sessionHours: number;
}

export interface PrivacyConfig {
  /** JOURNEYLINE_MASTER_KEY, 32 bytes: wraps customers' data keys at rest. */
  masterKey: Buffer | null;
  /** Portrait fields sealed like names and e-mails (JOURNEYLINE_PERSONAL_FIELDS). */
  personalPortrait: PortraitField[];
  /** Where the data keys live when the log is in KurrentDB (a postgres:// URL); null: a SQLite file in the data directory. */
  keyVaultUrl: string | null;
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
    importBodyLimit: integer(env, 'JOURNEYLINE_IMPORT_BODY_LIMIT', 64 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    logFormat: oneOf(env, 'JOURNEYLINE_LOG_FORMAT', ['json', 'text'] as const, 'json'),
    minSample: integer(env, 'JOURNEYLINE_MIN_SAMPLE', 30, 1, 1_000_000),
    churnRulesFile: raw(env, 'JOURNEYLINE_CHURN_RULES') ? path.resolve(raw(env, 'JOURNEYLINE_CHURN_RULES')!) : null,
    churnCheckIntervalMs: integer(env, 'JOURNEYLINE_CHURN_CHECK_INTERVAL_MS', 60_000, 100, 86_400_000),
    followUpMaxAgeDays: integer(env, 'JOURNEYLINE_FOLLOW_UP_MAX_AGE_DAYS', 30, 1, 36_500),
    segmentMappingFile: raw(env, 'JOURNEYLINE_SEGMENT_MAPPING') ? path.resolve(raw(env, 'JOURNEYLINE_SEGMENT_MAPPING')!) : null,
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
    asOfSnapshotEvents: integer(env, 'JOURNEYLINE_AS_OF_SNAPSHOT_EVENTS', 10_000, 0, 1_000_000_000),
    asOfSnapshotKeep: integer(env, 'JOURNEYLINE_AS_OF_SNAPSHOT_KEEP', 12, 1, 1000),
    asOfTransactionEvents: integer(env, 'JOURNEYLINE_AS_OF_TRANSACTION_EVENTS', 10_000, 1000, 1_000_000),
    projectorThread: oneOf(env, 'JOURNEYLINE_PROJECTOR_THREAD', ['true', 'false'] as const, 'true') === 'true',
    access: {
      adminKey: chosenKey(env, 'JOURNEYLINE_ADMIN_KEY'),
      segmentWriteKey: chosenKey(env, 'JOURNEYLINE_SEGMENT_WRITE_KEY'),
      allowedHosts: allowedHosts(env, nonEmpty(env, 'HOST', '127.0.0.1')),
      corsOrigins: origins(env, 'JOURNEYLINE_CORS_ORIGINS'),
      trustProxy: integer(env, 'JOURNEYLINE_TRUST_PROXY', 0, 0, 16),
      rateLimits: {
        ingestPerKey: integer(env, 'JOURNEYLINE_RATE_LIMIT_INGEST_PER_KEY', 6000, 1, 100_000_000),
        ingestPerAddress: integer(env, 'JOURNEYLINE_RATE_LIMIT_INGEST_PER_ADDRESS', 6000, 1, 100_000_000),
        publicPerAddress: integer(env, 'JOURNEYLINE_RATE_LIMIT_PUBLIC_PER_ADDRESS', 120, 1, 100_000_000),
        authFailuresPerAddress: integer(env, 'JOURNEYLINE_RATE_LIMIT_AUTH_FAILURES', 30, 1, 100_000_000),
      },
      sessionHours: integer(env, 'JOURNEYLINE_SESSION_HOURS', 12, 1, 24 * 30),
    },
    privacy: {
      masterKey: masterKey(env, 'JOURNEYLINE_MASTER_KEY'),
      personalPortrait: listOf(env, 'JOURNEYLINE_PERSONAL_FIELDS', PORTRAIT_FIELDS),
      keyVaultUrl: postgresUrl(env, 'JOURNEYLINE_KEY_VAULT_URL'),
    },
    surveys: {
      replaceWithinMs: integer(env, 'JOURNEYLINE_SURVEY_REPLACE_MINUTES', 30, 0, 10_080) * 60_000,
      linkDays: integer(env, 'JOURNEYLINE_SURVEY_LINK_DAYS', 30, 1, 3650),
      keyRotateDays: integer(env, 'JOURNEYLINE_SURVEY_KEY_ROTATE_DAYS', 30, 1, 3650),
      publicUrl: publicUrl(env, 'JOURNEYLINE_PUBLIC_URL'),
    },
    alerts: loadAlertsConfig({
      raw: (name) => raw(env, name),
      integer: (name, fallback, min, max) => integer(env, name, fallback, min, max),
      error: (name, reason) => new ConfigError(name, reason),
    }),
  };
}

/** The address customers reach the server at (behind a proxy, its public one): http(s), no query, no trailing slash. */
function publicUrl(env: Env, name: string): string | null {
  const value = raw(env, name);
  if (value === undefined) return null;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `must be a URL such as https://cx.example.com, got "${value}"`);
  }
  if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new ConfigError(name, `must be an http(s) URL without query, fragment or credentials, got "${value}"`);
  }
  return parsed.href.replace(/\/+$/, '');
}

function chosenKey(env: Env, name: string): string | null {
  const value = raw(env, name);
  if (value === undefined) return null;
  if (value.length < MIN_CHOSEN_KEY_LENGTH || /\s/.test(value)) {
    throw new ConfigError(name, `must be at least ${MIN_CHOSEN_KEY_LENGTH} characters without spaces (e.g. the output of: openssl rand -base64 32)`);
  }
  return value;
}

/**
 * The host names a request may name in its Host header (DNS rebinding: a page on another name
 * that resolves to this machine is refused). Default: the loopback names, and the bind address;
 * when bound to every interface, this machine's name and addresses too.
 */
function allowedHosts(env: Env, host: string): string[] {
  const configured = raw(env, 'JOURNEYLINE_ALLOWED_HOSTS');
  if (configured !== undefined)
    return configured
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean);
  const hosts = new Set(['localhost', '127.0.0.1', '::1']);
  if (host === '0.0.0.0' || host === '::') {
    hosts.add(os.hostname().toLowerCase());
    for (const addresses of Object.values(os.networkInterfaces())) for (const a of addresses ?? []) hosts.add(a.address.toLowerCase());
  } else {
    hosts.add(host.toLowerCase());
  }
  return [...hosts];
}

function origins(env: Env, name: string): string[] {
  const value = raw(env, name);
  if (value === undefined) return [];
  return value.split(',').map((origin) => {
    const trimmed = origin.trim();
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      throw new ConfigError(name, `must list origins such as https://cx.example.com, got "${trimmed}"`);
    }
    if (parsed.origin !== trimmed.replace(/\/$/, '')) throw new ConfigError(name, `must list origins (scheme, host, port; no path), got "${trimmed}"`);
    return parsed.origin;
  });
}

function masterKey(env: Env, name: string): Buffer | null {
  const value = raw(env, name);
  if (value === undefined) return null;
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) throw new ConfigError(name, 'must be 32 bytes, as 64 hex digits or base64 (e.g. the output of: openssl rand -base64 32)');
  return key;
}

function listOf<T extends string>(env: Env, name: string, allowed: readonly T[]): T[] {
  const value = raw(env, name);
  if (value === undefined) return [];
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  const bad = items.find((item) => !(allowed as readonly string[]).includes(item));
  if (bad !== undefined) throw new ConfigError(name, `must list some of ${allowed.join(', ')}, got "${bad}"`);
  return [...new Set(items)] as T[];
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
