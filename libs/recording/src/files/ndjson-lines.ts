import * as readline from 'node:readline';
import type { Readable } from 'node:stream';

/** The lines of an NDJSON file with their numbers; blank lines are skipped (they still count). A byte-order mark before the first line is dropped. */
export async function* ndjsonLines(input: Readable): AsyncGenerator<{ text: string; line: number }> {
  input.setEncoding('utf8');
  let line = 0;
  try {
    for await (const raw of readline.createInterface({ input, crlfDelay: Infinity })) {
      line++;
      const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (text.trim() !== '') yield { text, line };
    }
  } finally {
    input.destroy();
  }
}
