import { hkdfSync, randomBytes } from 'node:crypto';
import { MasterKeyError, unwrapDataKey, wrapDataKey } from './master-key';
import { isSealed, keyIdOfSealed, openDataKey, seal, SEALED_PREFIX, unseal } from './sealed-value';

const KEY_ID = '0123456789abcdef';
const OTHER_KEY_ID = 'fedcba9876543210';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const customerKey = (keyId = KEY_ID) => openDataKey(keyId, randomBytes(32));

/** The sealed value with one character of its base64url body replaced by another valid one. */
function flipBodyCharacter(sealed: string, index: number): string {
  const body = sealed.slice(SEALED_PREFIX.length + 17);
  const flipped = body[index] === 'A' ? 'B' : 'A';
  return `${sealed.slice(0, SEALED_PREFIX.length + 17)}${body.slice(0, index)}${flipped}${body.slice(index + 1)}`;
}

describe('sealed values', () => {
  describe('seal and unseal', () => {
    it.each([
      ['Vietnamese text with diacritics', 'Nguyễn Thị Hương, phản hồi: dịch vụ rất tệ, giao hàng chậm'],
      ['an empty string', ''],
      ['a long text', 'Khách hàng than phiền về thời gian chờ. '.repeat(2000)],
    ])('opens %s to exactly what was sealed', (_label, plaintext) => {
      const key = customerKey();
      const sealed = seal(key, 'comment', plaintext);
      expect(isSealed(sealed)).toBe(true);
      expect(unseal(key, sealed)).toBe(plaintext);
    });

    it('shows nothing of the plaintext', () => {
      const sealed = seal(customerKey(), 'comment', 'Nguyễn Thị Hương');
      expect(sealed).not.toContain('Nguy');
      expect(Buffer.from(sealed.slice(SEALED_PREFIX.length + 17), 'base64url').toString('utf8')).not.toContain('Nguy');
    });

    it('is deterministic: the same key, field and plaintext give the same text', () => {
      const material = randomBytes(32);
      const once = seal(openDataKey(KEY_ID, material), 'email', 'huong.nguyen@example.vn');
      const again = seal(openDataKey(KEY_ID, material), 'email', 'huong.nguyen@example.vn');
      expect(again).toBe(once);
    });

    it("derives the data key's two keys as HKDF-SHA256 salted with the key id (hkdfSync's bytes), so values sealed before still open", () => {
      for (let i = 0; i < 200; i++) {
        const keyId = randomBytes(8).toString('hex');
        const material = randomBytes(32);
        const hkdf = (info: string) => Buffer.from(hkdfSync('sha256', material, Buffer.from(keyId), info, 32));
        expect(openDataKey(keyId, material)).toEqual({
          keyId,
          encryptionKey: hkdf('journeyline personal data: encryption'),
          nonceKey: hkdf('journeyline personal data: nonce'),
        });
      }
    });

    it('gives a different text for another field or another plaintext', () => {
      const key = customerKey();
      const sealed = seal(key, 'name', 'Trần Văn Minh');
      expect(seal(key, 'comment', 'Trần Văn Minh')).not.toBe(sealed);
      expect(seal(key, 'name', 'Trần Văn Mình')).not.toBe(sealed);
    });

    it('names its key id', () => {
      const sealed = seal(customerKey(), 'phone', '+84 912 345 678');
      expect(sealed.startsWith(`${SEALED_PREFIX}${KEY_ID}.`)).toBe(true);
      expect(keyIdOfSealed(sealed)).toBe(KEY_ID);
    });

    it("does not open with another customer's key", () => {
      const sealed = seal(customerKey(), 'name', 'Lê Thị Lan');
      expect(unseal(customerKey(OTHER_KEY_ID), sealed)).toBeNull();
      // the same key id with other material (a key that was replaced) does not open it either
      expect(unseal(customerKey(KEY_ID), sealed)).toBeNull();
    });

    it('does not open once altered: a character of the body flipped, or the body truncated', () => {
      const key = customerKey();
      const sealed = seal(key, 'comment', 'Nhân viên tư vấn nhiệt tình');
      expect(unseal(key, flipBodyCharacter(sealed, 5))).toBeNull(); // in the nonce
      expect(unseal(key, flipBodyCharacter(sealed, 20))).toBeNull(); // in the ciphertext
      expect(unseal(key, sealed.slice(0, -4))).toBeNull(); // part of the tag gone
      expect(unseal(key, sealed.slice(0, SEALED_PREFIX.length + 17 + 10))).toBeNull(); // shorter than nonce and tag
      expect(unseal(key, `${SEALED_PREFIX}${KEY_ID}.`)).toBeNull();
    });

    it('does not open once altered anywhere in its text: the last character, or a character added', () => {
      const key = customerKey();
      const plaintext = 'Lê Thị Lan';
      const sealed = seal(key, 'comment', plaintext);
      expect((12 + Buffer.byteLength(plaintext) + 16) % 3).not.toBe(0); // so the last character carries padding bits
      const last = sealed.length - 1;
      const lastFlipped = BASE64URL.split('')
        .filter((c) => c !== sealed[last])
        .map((c) => `${sealed.slice(0, last)}${c}`);
      // each other character there is another text, which must not open as if it were this one
      expect(lastFlipped.filter((altered) => unseal(key, altered) !== null)).toEqual([]);
      expect(unseal(key, `${sealed}=`)).toBeNull();
      expect(unseal(key, `${sealed.slice(0, 30)}*${sealed.slice(30)}`)).toBeNull();
    });

    it('a string that is not sealed names no key', () => {
      expect(keyIdOfSealed('Nguyễn Văn An')).toBeNull();
      expect(keyIdOfSealed('jl1.not-a-key-id.AAAA')).toBeNull();
      expect(keyIdOfSealed(`${SEALED_PREFIX}${KEY_ID}`)).toBeNull(); // no separator after the id
      expect(isSealed('jl2.0123456789abcdef.AAAA')).toBe(false);
      expect(isSealed(42)).toBe(false);
    });
  });

  describe('data keys at rest', () => {
    it('a wrapped key unwraps with the master key it was wrapped with', () => {
      const master = randomBytes(32);
      const material = randomBytes(32);
      const wrapped = wrapDataKey(material, master);
      expect(wrapped).toHaveLength(61);
      expect(wrapped.indexOf(material)).toBe(-1);
      expect(unwrapDataKey(wrapped, master).equals(material)).toBe(true);
    });

    it('a raw 32-byte key passes through both ways without a master key, and unwraps as it is with one', () => {
      const material = randomBytes(32);
      expect(wrapDataKey(material, null).equals(material)).toBe(true);
      expect(unwrapDataKey(material, null).equals(material)).toBe(true);
      expect(unwrapDataKey(material, randomBytes(32)).equals(material)).toBe(true);
    });

    it('a wrapped key without a master key is a MasterKeyError naming JOURNEYLINE_MASTER_KEY', () => {
      const wrapped = wrapDataKey(randomBytes(32), randomBytes(32));
      expect(() => unwrapDataKey(wrapped, null)).toThrow(MasterKeyError);
      expect(() => unwrapDataKey(wrapped, null)).toThrow(/JOURNEYLINE_MASTER_KEY/);
    });

    it('a wrapped key with another master key is a MasterKeyError', () => {
      const wrapped = wrapDataKey(randomBytes(32), randomBytes(32));
      expect(() => unwrapDataKey(wrapped, randomBytes(32))).toThrow(MasterKeyError);
    });

    it('a stored key of an unknown form is a MasterKeyError', () => {
      expect(() => unwrapDataKey(randomBytes(40), randomBytes(32))).toThrow(MasterKeyError);
    });
  });
});
