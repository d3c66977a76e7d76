/** The separator of a key's parts (no part of a key may hold it). */
export const KEY_SEPARATOR = '\u0000';

/**
 * Sums of one transaction by key (its key columns joined by KEY_SEPARATOR), `width` numbers a
 * key: every key is a row of one growing Float64Array instead of an object or array of its own.
 * A rebuild's transaction holds a few hundred thousand buckets; as objects (a row array, a score
 * array, the sums) they took about 600 bytes each and, being long-lived, grew V8's old generation
 * with them.
 */
export class KeyedSums {
  private readonly rows = new Map<string, number>();
  /** Row r's numbers at r × width. */
  values: Float64Array;

  constructor(readonly width: number) {
    this.values = new Float64Array(1024 * width);
  }

  get size(): number {
    return this.rows.size;
  }

  /** Where the key's row starts in `values` (a new key's row holds zeros). Read `values` after calling: it may grow. */
  at(key: string): number {
    let row = this.rows.get(key);
    if (row === undefined) {
      row = this.rows.size;
      if ((row + 1) * this.width > this.values.length) {
        const grown = new Float64Array(this.values.length * 2);
        grown.set(this.values);
        this.values = grown;
      }
      this.rows.set(key, row);
    }
    return row * this.width;
  }

  /** Adds one to the key's first number (or `by`). */
  add(key: string, by = 1): void {
    const at = this.at(key);
    this.values[at] += by;
  }

  /** Adds another set's row (of the same width) into this one's row for `key`. */
  addFrom(key: string, other: KeyedSums, from: number): void {
    const to = this.at(key);
    for (let c = 0; c < this.width; c++) this.values[to + c] += other.values[from + c];
  }

  /** Each key and where its row starts, in the order the keys were first met. */
  *entries(): IterableIterator<[string, number]> {
    for (const [key, row] of this.rows) yield [key, row * this.width];
  }

  /** Each key as a table row: its parts, then its numbers. */
  *tableRows(): IterableIterator<unknown[]> {
    for (const [key, at] of this.entries()) {
      const row: unknown[] = key.split(KEY_SEPARATOR);
      for (let c = 0; c < this.width; c++) row.push(this.values[at + c]);
      yield row;
    }
  }
}

/** A value as part of a key; one holding the separator (the wire refuses NUL) fails its event, which is then parked. */
export function keyPart(value: string): string {
  if (value.includes(KEY_SEPARATOR)) throw new Error(`a key value holds a NUL character: ${JSON.stringify(value)}`);
  return value;
}
