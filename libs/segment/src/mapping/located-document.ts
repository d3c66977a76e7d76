import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

/**
 * A YAML (or JSON: YAML 1.2 reads it) document as plain values that remember their line, so that
 * every problem the mapping's validation finds can name the line to fix. Keys are read into Maps,
 * never onto objects: `__proto__` or `constructor` in a file are names like any other.
 */
export type Located = LocatedMap | LocatedList | LocatedScalar;

export interface LocatedMap {
  kind: 'map';
  line: number;
  entries: Map<string, { keyLine: number; value: Located }>;
}

export interface LocatedList {
  kind: 'list';
  line: number;
  items: Located[];
}

export interface LocatedScalar {
  kind: 'scalar';
  line: number;
  value: string | number | boolean | null;
}

/** Problems found in a mapping file, each `line N: what`; all at once, so one restart fixes them all. */
export class SegmentMappingError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(issues.join('; '));
    this.name = 'SegmentMappingError';
  }
}

/** Reads the document, or throws SegmentMappingError naming the lines of syntax errors. Null for an empty file. */
export function readLocated(text: string): Located | null {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new SegmentMappingError(
      document.errors.slice(0, 10).map((error) => `line ${lines.linePos(error.pos[0]).line}: ${error.message.split('\n')[0].replace(/ at line \d+.*$/, '')}`),
    );
  }
  if (document.contents === null) return null;
  const issues: string[] = [];
  const located = locate(document.contents, (offset) => lines.linePos(offset).line, issues);
  if (issues.length > 0) throw new SegmentMappingError(issues);
  return located;
}

function locate(node: Node, lineOf: (offset: number) => number, issues: string[]): Located {
  const line = lineOf(node.range?.[0] ?? 0);
  if (isAlias(node)) {
    issues.push(`line ${line}: aliases (*${node.source}) are not supported; write the value out`);
    return { kind: 'scalar', line, value: null };
  }
  if (isMap(node)) {
    const entries = new Map<string, { keyLine: number; value: Located }>();
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      const keyLine = key?.range ? lineOf(key.range[0]) : line;
      if (!isScalar(key) || !['string', 'number', 'boolean'].includes(typeof key.value)) {
        issues.push(`line ${keyLine}: keys must be plain names`);
        continue;
      }
      const value = pair.value as Node | null;
      entries.set(String(key.value), { keyLine, value: value ? locate(value, lineOf, issues) : { kind: 'scalar', line: keyLine, value: null } });
    }
    return { kind: 'map', line, entries };
  }
  if (isSeq(node)) {
    return { kind: 'list', line, items: node.items.map((item) => locate(item as Node, lineOf, issues)) };
  }
  if (isScalar(node)) {
    const value = node.value;
    if (value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
      return { kind: 'scalar', line, value };
    }
    issues.push(`line ${line}: only text, numbers, true/false and lists or maps of them are allowed here`);
    return { kind: 'scalar', line, value: null };
  }
  issues.push(`line ${line}: unexpected YAML node`);
  return { kind: 'scalar', line, value: null };
}
