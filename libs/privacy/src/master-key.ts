import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Data keys at rest: as they are (32 bytes) when no master key is configured, or wrapped with
 * JOURNEYLINE_MASTER_KEY (AES-256-GCM; 1 version byte + 12 nonce + 32 key + 16 tag), so that a
 * copy of the database alone opens nothing. Both forms can sit side by side: keys made before a
 * master key was configured stay readable.
 */
const WRAPPED = 1;

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

export function wrapDataKey(material: Buffer, masterKey: Buffer | null): Buffer {
  if (!masterKey) return material;
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', masterKey, nonce);
  return Buffer.concat([Buffer.from([WRAPPED]), nonce, cipher.update(material), cipher.final(), cipher.getAuthTag()]);
}

export function unwrapDataKey(stored: Buffer, masterKey: Buffer | null): Buffer {
  if (stored.length === 32) return stored;
  if (stored.length !== 61 || stored[0] !== WRAPPED) throw new MasterKeyError(`a stored data key has an unknown form (${stored.length} bytes)`);
  if (!masterKey) throw new MasterKeyError('the data keys are wrapped with a master key: set JOURNEYLINE_MASTER_KEY to the one they were made with');
  try {
    const decipher = createDecipheriv('aes-256-gcm', masterKey, stored.subarray(1, 13));
    decipher.setAuthTag(stored.subarray(45));
    return Buffer.concat([decipher.update(stored.subarray(13, 45)), decipher.final()]);
  } catch {
    throw new MasterKeyError('a data key does not open with JOURNEYLINE_MASTER_KEY: it was wrapped with another master key');
  }
}
