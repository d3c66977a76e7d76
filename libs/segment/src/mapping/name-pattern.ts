/**
 * A name as a mapping file writes it: exact (`Order Completed`), or with `*` standing for any run
 * of characters (`Checkout *`, `/pricing*`, `https://shop.example.com/checkout*`). Matched without
 * regular expressions, in time linear in the name: names come from clients, so a pattern must never
 * be a way to make the server spin.
 */
export interface NamePattern {
  /** As written in the file. */
  readonly source: string;
  /** The literal pieces between the stars; one piece: an exact name. */
  readonly pieces: readonly string[];
}

export function namePattern(source: string): NamePattern {
  return { source, pieces: source.split('*') };
}

export function matchesPattern(pattern: NamePattern, name: string): boolean {
  const { pieces } = pattern;
  if (pieces.length === 1) return name === pieces[0];
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (name.length < first.length + last.length || !name.startsWith(first) || !name.endsWith(last)) return false;
  // Leftmost matches of the middle pieces, in order, between the fixed head and tail.
  let at = first.length;
  const end = name.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i];
    if (piece === '') continue;
    const found = name.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}
