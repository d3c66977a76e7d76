import { createHash } from 'node:crypto';
import { Client, escapeIdentifier, type ClientConfig } from 'pg';

/** What an append announces: the last position it wrote and how many events. */
export interface AppendNotice {
  position: number;
  count: number;
}

/**
 * Called after appends commit (from any process). `null` means "notifications may have been
 * missed" (the listening connection was lost and is back): read from your checkpoint anyway.
 */
export type AppendListener = (notice: AppendNotice | null) => void;

/** NOTIFY channel of one events table: per schema, so stores sharing a database do not wake each other. */
export function notificationChannel(schema: string): string {
  const channel = `journeyline_events:${schema}`;
  // Channel names are identifiers: at most 63 bytes.
  return Buffer.byteLength(channel) <= 63 ? channel : `journeyline_events:${createHash('sha1').update(schema).digest('hex')}`;
}

/**
 * One LISTEN connection, outside the pool (a pooled connection would be handed to queries), for
 * any number of listeners. A lost connection is re-established with backoff and every listener
 * is then called with `null`, since NOTIFYs sent meanwhile are gone. NOTIFY is a wake-up, not a
 * delivery guarantee: followers read from their checkpoint and keep a poll as the fallback.
 */
export class PostgresNotifications {
  private readonly listeners = new Set<AppendListener>();
  private client: Client | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryMs = 0;
  private connectedOnce = false;
  private active = false;
  private listening: Promise<void> = Promise.resolve();
  private resolveListening: (() => void) | null = null;

  constructor(
    private readonly config: ClientConfig,
    readonly channel: string,
    private readonly retry = { initialMs: 100, maxMs: 5000 },
  ) {}

  subscribe(listener: AppendListener): () => void {
    this.listeners.add(listener);
    if (!this.active) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) void this.stop();
    };
  }

  /** Resolves once the LISTEN is in place (immediately when nobody subscribes). */
  ready(): Promise<void> {
    return this.listening;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.stop();
  }

  private start(): void {
    this.active = true;
    this.listening = new Promise((resolve) => (this.resolveListening = resolve));
    void this.connect();
  }

  private async stop(): Promise<void> {
    this.active = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    this.client = null;
    this.resolveListening?.();
    this.resolveListening = null;
    if (client) await client.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (!this.active) return;
    const client = new Client({ ...this.config, keepAlive: true });
    // Without an 'error' listener a dropped connection would crash the process.
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (message.channel !== this.channel) return;
      const notice = parseNotice(message.payload);
      if (notice) this.emit(notice);
    });
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${escapeIdentifier(this.channel)}`);
    } catch {
      this.lost(client);
      return;
    }
    if (this.client !== client) return; // stopped or replaced meanwhile
    this.retryMs = 0;
    this.resolveListening?.();
    this.resolveListening = null;
    if (this.connectedOnce) this.emit(null);
    this.connectedOnce = true;
  }

  private lost(client: Client): void {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    if (!this.active || this.retryTimer) return;
    this.retryMs = Math.min(this.retry.maxMs, this.retryMs === 0 ? this.retry.initialMs : this.retryMs * 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, this.retryMs);
    this.retryTimer.unref();
  }

  private emit(notice: AppendNotice | null): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(notice);
      } catch {
        // a listener's failure is its own; the others still hear about the append
      }
    }
  }
}

function parseNotice(payload: string | undefined): AppendNotice | null {
  try {
    const value = JSON.parse(payload ?? '') as Partial<AppendNotice>;
    return typeof value.position === 'number' && typeof value.count === 'number' ? { position: value.position, count: value.count } : null;
  } catch {
    return null;
  }
}
