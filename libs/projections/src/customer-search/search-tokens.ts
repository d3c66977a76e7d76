import { createHmac } from 'node:crypto';

/**
 * The blind index of the customer search: names, e-mails and phones are sealed everywhere, so the
 * search keeps, per customer, keyed hashes (HMAC-SHA256 with PersonalData.searchKey, derived
 * from JOURNEYLINE_MASTER_KEY) of the normalised prefixes of each word, never the words. A query is
 * normalised and hashed the same way and looked up by equality. Without a master key the key is
 * derived from nothing (as the session secret is): the index then resists nothing a copy of the
 * database does not already give away (its data keys sit unwrapped beside it).
 */
export const SEARCH_FIELDS = ['name', 'email', 'phone'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

/** Prefixes shorter than this are not indexed (one letter would match half the customers). */
export const MIN_PREFIX = 2;
/** Longer queries are cut to this many characters (what is indexed). */
export const MAX_PREFIX = 24;

/**
 * Lower case, accents off, đ/Đ as d: "Nguyễn" → "nguyen", "Đặng" → "dang". NFD splits the letter
 * from its marks (which are dropped); đ is a letter of its own and has no decomposition.
 */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase();
}

/** Digits only, a leading +84 / 84 / 0084 as the national 0: "+84 903 771 229" → "0903771229". */
export function phoneDigits(text: string): string {
  const digits = text.replace(/\D/g, '');
  if (text.trim().startsWith('+84')) return `0${digits.slice(2)}`;
  if (digits.startsWith('0084')) return `0${digits.slice(4)}`;
  if (digits.startsWith('84') && digits.length >= 11) return `0${digits.slice(2)}`;
  return digits;
}

/** The words a field is searched by: each word of a name, the whole e-mail address, the phone's digits. */
export function fieldWords(field: SearchField, value: string): string[] {
  if (field === 'phone') {
    const digits = phoneDigits(value);
    return digits.length >= MIN_PREFIX ? [digits] : [];
  }
  if (field === 'email') {
    const email = foldText(value).trim();
    return email.length >= MIN_PREFIX ? [email] : [];
  }
  return foldText(value)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= MIN_PREFIX);
}

export function searchToken(key: Buffer, field: SearchField, prefix: string): string {
  return createHmac('sha256', key).update(`${field}\u0000${prefix}`).digest('base64url').slice(0, 22);
}

/** Every token a field's value is found by: each prefix (MIN_PREFIX..MAX_PREFIX characters) of each word. */
export function valueTokens(key: Buffer, field: SearchField, value: string): string[] {
  const tokens = new Set<string>();
  for (const word of fieldWords(field, value)) {
    const chars = [...word];
    for (let length = MIN_PREFIX; length <= Math.min(MAX_PREFIX, chars.length); length++) tokens.add(searchToken(key, field, chars.slice(0, length).join('')));
  }
  return [...tokens];
}

/**
 * What a query looks for: one alternative set of tokens per query word (a customer must match
 * every word: by a name word, or the e-mail); a query of digits and phone punctuation alone is a
 * phone number. Words shorter than MIN_PREFIX are left out; no words: the id prefix alone.
 */
export function queryTokens(key: Buffer, q: string): string[][] {
  const cut = (word: string) => [...word].slice(0, MAX_PREFIX).join('');
  if (/^[\d\s()+.-]+$/.test(q)) {
    const digits = phoneDigits(q);
    return digits.length >= MIN_PREFIX ? [[searchToken(key, 'phone', cut(digits))]] : [];
  }
  const folded = foldText(q).trim();
  const words = folded.split(/\s+/).filter((word) => [...word].length >= MIN_PREFIX);
  return words.map((word) => {
    const alternatives = [searchToken(key, 'email', cut(word))];
    // a name word is matched by its letters and digits ("nguyen," finds "Nguyễn"); "nguyen.tr" is an e-mail's
    const parts = word.split(/[^\p{L}\p{N}]+/u).filter((p) => p.length > 0);
    if (parts.length === 1 && parts[0].length >= MIN_PREFIX) alternatives.push(searchToken(key, 'name', cut(parts[0])));
    return alternatives;
  });
}
