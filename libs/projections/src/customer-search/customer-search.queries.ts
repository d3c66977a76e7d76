import { MERGES_TABLE } from '../journey-map/person-graph';
import { queryTokens } from './search-tokens';

/** A search of the customer list (`q=`), made ready for SQL: the id prefix as typed, the blind-index tokens of each word. */
export interface CustomerSearch {
  idPrefix: string;
  /** One alternative set per query word: a customer must have a token of each. */
  words: string[][];
}

export function customerSearch(searchKey: Buffer, q: string): CustomerSearch {
  return { idPrefix: q.trim(), words: queryTokens(searchKey, q) };
}

/**
 * The WHERE clause over jm_customers: the customer id starts with the query as typed, or every
 * query word is a prefix of a word of their name, of their e-mail or of their phone (through the
 * blind index, by equality of tokens: customer_search's primary key). Tokens are kept per customer
 * as recorded; a person who absorbed a merged customer is found by that customer's tokens too
 * (one merge step).
 */
export function customerSearchClause(search: CustomerSearch): { sql: string; params: unknown[] } {
  const params: unknown[] = [[...search.idPrefix].length, search.idPrefix];
  let sql = 'substr(customer_id, 1, ?) = ?';
  if (search.words.length > 0) {
    const words = search.words.map((tokens) => {
      const marks = tokens.map(() => '?').join(', ');
      params.push(...tokens, ...tokens);
      return `(customer_id IN (SELECT customer_id FROM customer_search WHERE token IN (${marks}))
        OR customer_id IN (SELECT m.into_id FROM ${MERGES_TABLE} m JOIN customer_search s ON s.customer_id = m.from_id WHERE s.token IN (${marks})))`;
    });
    sql = `(${sql} OR (${words.join(' AND ')}))`;
  }
  return { sql, params };
}
