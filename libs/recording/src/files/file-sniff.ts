/**
 * What the first bytes of a file say it is, before anything parses it: a ZIP container (an .xlsx
 * workbook, if it opens as one), text (UTF-8, the only encoding read), or something refused with
 * a reason a person can act on. Nothing that is not text ever reaches the CSV or JSON parsers.
 */
export type Sniffed = { kind: 'zip' } | { kind: 'text' } | { kind: 'refused'; reason: string };

/** How much of a file is looked at. */
export const SNIFF_BYTES = 64 * 1024;

const ZIP = [
  [0x50, 0x4b, 0x03, 0x04],
  [0x50, 0x4b, 0x05, 0x06],
  [0x50, 0x4b, 0x07, 0x08],
];

const KNOWN: { magic: number[]; reason: string }[] = [
  {
    magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    reason: 'an Excel 97-2003 workbook (.xls) or another old Office file: open it in Excel and save it as .xlsx or as "CSV UTF-8"',
  },
  { magic: [0xff, 0xfe], reason: 'UTF-16 text (Excel\'s "Unicode Text"): save it as "CSV UTF-8" instead' },
  { magic: [0xfe, 0xff], reason: 'UTF-16 text: save it as UTF-8' },
  { magic: [0x1f, 0x8b], reason: 'a gzip-compressed file: decompress it first' },
  { magic: [0x25, 0x50, 0x44, 0x46, 0x2d], reason: 'a PDF document' },
];

/** Above this share of control characters, a "text" is a binary file. */
const CONTROL_SHARE = 0.1;
/** Text in a legacy code page has next to no control characters; bytes that are not UTF-8 and have more are binary. */
const LEGACY_TEXT_CONTROL_SHARE = 0.02;

/**
 * `head` is the start of the file (up to SNIFF_BYTES); `complete` says whether it is the whole
 * file (then a multi-byte character cut at the end is an error, not the edge of the sample).
 */
export function sniffContent(head: Uint8Array, complete: boolean): Sniffed {
  if (ZIP.some((magic) => startsWith(head, magic))) return { kind: 'zip' };
  const known = KNOWN.find(({ magic }) => startsWith(head, magic));
  if (known) return { kind: 'refused', reason: known.reason };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete });
  } catch {
    return {
      kind: 'refused',
      reason:
        controlShare(head) > LEGACY_TEXT_CONTROL_SHARE
          ? 'a binary file, not NDJSON, CSV or .xlsx'
          : 'text that is not UTF-8 (Excel\'s plain "CSV" uses the Windows code page): save it as "CSV UTF-8" or .xlsx',
    };
  }
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0c) || code === 0x7f) control++;
  }
  if (text.length > 0 && control / text.length > CONTROL_SHARE) return { kind: 'refused', reason: 'a binary file, not NDJSON, CSV or .xlsx' };
  return { kind: 'text' };
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((byte, i) => bytes[i] === byte);
}

function controlShare(bytes: Uint8Array): number {
  let control = 0;
  for (const byte of bytes) if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f) control++;
  return bytes.length === 0 ? 0 : control / bytes.length;
}
