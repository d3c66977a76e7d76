import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { AUDIT_STREAM, auditEvent, type Actor } from '@journeyline/access';
import { WrongExpectedRevisionError, type EventStore } from '@journeyline/event-store';
import { unwrapDataKey, wrapDataKey } from '@journeyline/privacy';

/**
 * Signed survey links. A link names the survey, the customer (and optionally an order or a
 * ticket), its language and when it expires; it is signed with HMAC-SHA256 under the current
 * signing key, so it cannot be forged or altered, and checked without any lookup. Signing keys
 * rotate: a new one is made when the newest is older than the rotation period (or on
 * `journeyline survey rotate-key`), and older ones keep verifying the links they signed. Keys are
 * events in `journeyline-survey-keys`, wrapped with JOURNEYLINE_MASTER_KEY when it is set.
 */
export const SURVEY_KEYS_STREAM = 'journeyline-survey-keys';

export interface SurveyLink {
  /** The link's own id: one answer per link. */
  id: string;
  surveyId: string;
  customerId: string;
  lang: 'vi' | 'en' | null;
  orderId?: string;
  ticketId?: string;
  /** Epoch seconds. */
  expiresAt: number;
}

export type LinkCheck = { ok: true; link: SurveyLink } | { ok: false; reason: 'malformed' | 'forged' | 'expired'; link?: SurveyLink };

interface SigningKey {
  keyId: string;
  secret: Buffer;
  createdAt: number;
}

export class SurveyLinkSigner {
  private readonly keys = new Map<string, SigningKey>();
  private revision = -1;

  constructor(
    private readonly store: EventStore,
    private readonly options: { masterKey: Buffer | null; rotateAfterDays: number },
  ) {}

  async sign(fields: Omit<SurveyLink, 'id' | 'expiresAt'>, ttlDays: number, now = new Date()): Promise<{ token: string; link: SurveyLink }> {
    const key = await this.currentKey(now);
    const link: SurveyLink = { ...fields, id: randomUUID(), expiresAt: Math.floor(now.getTime() / 1000) + Math.round(ttlDays * 86_400) };
    const body = Buffer.from(JSON.stringify({ ...link, k: key.keyId })).toString('base64url');
    return { token: `${body}.${mac(key.secret, body)}`, link };
  }

  async verify(token: string, now = new Date()): Promise<LinkCheck> {
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined || token.length > 2000) return { ok: false, reason: 'malformed' };
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const link = linkOf(payload);
    if (!link || typeof payload.k !== 'string') return { ok: false, reason: 'malformed' };
    if (!this.keys.has(payload.k)) await this.refresh();
    const key = this.keys.get(payload.k);
    const expected = key ? Buffer.from(mac(key.secret, body)) : null;
    if (!expected || expected.length !== Buffer.byteLength(signature) || !timingSafeEqual(expected, Buffer.from(signature)))
      return { ok: false, reason: 'forged' };
    if (link.expiresAt * 1000 <= now.getTime()) return { ok: false, reason: 'expired', link };
    return { ok: true, link };
  }

  /** A new signing key from now on; links signed before keep verifying. */
  async rotate(actor: Actor, now = new Date()): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      await this.refresh();
      const keyId = randomBytes(6).toString('hex');
      const secret = wrapDataKey(randomBytes(32), this.options.masterKey).toString('base64');
      try {
        await this.store.append([
          {
            streamId: SURVEY_KEYS_STREAM,
            expectedRevision: this.revision < 0 ? 'no_stream' : this.revision,
            events: [{ eventId: randomUUID(), type: 'SurveySigningKeyAdded', occurredAt: now.toISOString(), data: { keyId, secret } }],
          },
          { streamId: AUDIT_STREAM, expectedRevision: 'any', events: [auditEvent('survey.key-rotated', actor, keyId)] },
        ]);
        await this.refresh();
        return keyId;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= 5) throw error;
        await this.refresh();
        const newest = this.newest();
        // another process rotated meanwhile: its key will do
        if (newest && now.getTime() - newest.createdAt < 60_000) return newest.keyId;
      }
    }
  }

  private async currentKey(now: Date): Promise<SigningKey> {
    let newest = this.newest();
    if (!newest || now.getTime() - newest.createdAt > this.options.rotateAfterDays * 86_400_000) {
      await this.refresh();
      newest = this.newest();
    }
    if (!newest || now.getTime() - newest.createdAt > this.options.rotateAfterDays * 86_400_000) {
      await this.rotate({ keyId: null, name: 'rotation schedule' }, now);
      newest = this.newest();
    }
    return newest!;
  }

  private newest(): SigningKey | undefined {
    let newest: SigningKey | undefined;
    for (const key of this.keys.values()) if (!newest || key.createdAt > newest.createdAt) newest = key;
    return newest;
  }

  private async refresh(): Promise<void> {
    for (;;) {
      const events = await this.store.readStream(SURVEY_KEYS_STREAM, { fromRevision: this.revision + 1, limit: 1000 });
      for (const event of events) {
        const data = event.data as { keyId?: unknown; secret?: unknown };
        if (event.type === 'SurveySigningKeyAdded' && typeof data.keyId === 'string' && typeof data.secret === 'string') {
          const secret = unwrapDataKey(Buffer.from(data.secret, 'base64'), this.options.masterKey);
          this.keys.set(data.keyId, { keyId: data.keyId, secret, createdAt: Date.parse(event.occurredAt) });
        }
        this.revision = event.revision;
      }
      if (events.length < 1000) return;
    }
  }
}

function mac(secret: Buffer, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

/** The link in a payload, read by own property, or null when it is not one. */
function linkOf(payload: unknown): SurveyLink | null {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const get = (key: string) => (Object.prototype.hasOwnProperty.call(payload, key) ? (payload as Record<string, unknown>)[key] : undefined);
  const text = (key: string) => {
    const value = get(key);
    return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : null;
  };
  const [id, surveyId, customerId] = [text('id'), text('surveyId'), text('customerId')];
  const lang = get('lang');
  const expiresAt = get('expiresAt');
  if (!id || !surveyId || !customerId || (lang !== null && lang !== 'vi' && lang !== 'en') || typeof expiresAt !== 'number' || !Number.isInteger(expiresAt))
    return null;
  const orderId = text('orderId');
  const ticketId = text('ticketId');
  return { id, surveyId, customerId, lang: lang as SurveyLink['lang'], expiresAt, ...(orderId ? { orderId } : {}), ...(ticketId ? { ticketId } : {}) };
}
