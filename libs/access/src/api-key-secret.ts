import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * The secret side of an API key. A key Journeyline makes is `jlk_<id>_<secret>`: the id (16 hex)
 * finds its record, the secret is 32 random bytes (base64url), and only a SHA-256 of the whole key
 * is stored. With 256 bits of randomness a fast hash is enough (nothing to guess); a key a person
 * chose (JOURNEYLINE_ADMIN_KEY) is stored as scrypt instead, which makes guessing it from a
 * stolen database slow.
 */
const MADE = /^jlk_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/;
/** The shortest key a person may choose (JOURNEYLINE_ADMIN_KEY, JOURNEYLINE_SEGMENT_WRITE_KEY). */
export const MIN_CHOSEN_KEY_LENGTH = 24;
const SCRYPT = { N: 16384, r: 8, p: 1 } as const;

export function newKeyId(): string {
  return randomBytes(8).toString('hex');
}

export function newApiKey(): { id: string; key: string } {
  const id = newKeyId();
  return { id, key: `jlk_${id}_${randomBytes(32).toString('base64url')}` };
}

/** The id inside a key Journeyline made, or null for any other text. */
export function keyIdOf(key: string): string | null {
  return MADE.exec(key)?.[1] ?? null;
}

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function hashMadeKey(key: string): string {
  return `sha256:${sha256(key).toString('hex')}`;
}

export async function hashChosenKey(key: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt:${salt.toString('hex')}:${(await scryptOf(key, salt)).toString('hex')}`;
}

/** Whether `key` is the one `hash` was made from (constant time in the compared bytes). */
export async function keyMatches(key: string, hash: string): Promise<boolean> {
  const [kind, a, b] = hash.split(':');
  if (kind === 'sha256' && a) return equalBytes(sha256(key), Buffer.from(a, 'hex'));
  if (kind === 'scrypt' && a && b) return equalBytes(await scryptOf(key, Buffer.from(a, 'hex')), Buffer.from(b, 'hex'));
  return false;
}

export function equalBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function scryptOf(key: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(key, salt, 32, SCRYPT, (error, derived) => (error ? reject(error) : resolve(derived))));
}
