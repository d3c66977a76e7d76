import { numberPlaceholders } from './postgres-placeholders';

describe('numbering ? placeholders for PostgreSQL', () => {
  it.each([
    ['SELECT * FROM t WHERE a = ? AND b IN (?, ?) LIMIT ?', 'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3) LIMIT $4'],
    ["SELECT '?' AS q, ? AS p", "SELECT '?' AS q, $1 AS p"],
    ["SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1"],
    ["SELECT E'\\'?', ?", "SELECT E'\\'?', $1"],
    ["SELECT 'a\\', ?", "SELECT 'a\\', $1"], // a standard string ends at the quote after a backslash
    ['SELECT "odd?name", ? FROM t', 'SELECT "odd?name", $1 FROM t'],
    ['SELECT "a""?", ?', 'SELECT "a""?", $1'],
    ['SELECT ? -- why?\n, ?', 'SELECT $1 -- why?\n, $2'],
    ['SELECT /* a ? /* nested ? */ still ? */ ?', 'SELECT /* a ? /* nested ? */ still ? */ $1'],
    ["SELECT $$ ? $$, $fn$ it's ? $fn$, ?", "SELECT $$ ? $$, $fn$ it's ? $fn$, $1"],
    ["INSERT INTO t (a) VALUES (?) ON CONFLICT (a) DO UPDATE SET b = 'x?'", "INSERT INTO t (a) VALUES ($1) ON CONFLICT (a) DO UPDATE SET b = 'x?'"],
    ['SELECT 1', 'SELECT 1'],
  ])('%s', (sql, expected) => {
    expect(numberPlaceholders(sql)).toBe(expected);
  });
});
