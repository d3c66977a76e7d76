import { LRUCache } from 'lru-cache';
import type { SqlExecutor } from '../runtime/sql-executor';

/**
 * Answers of metric queries, kept while the metrics read model has not moved: every answer is a
 * sum of day buckets, which change only when the projector applies events to the metrics, moving
 * its checkpoint in the same transaction. One tiny read of that checkpoint per request decides
 * whether the cached answers still hold; any write (from this process or a worker sharing the
 * database) moves it and drops them all. Concurrent identical requests share one computation.
 * Least recently used answers go first past `capacity`.
 */
export class MetricsCache {
  private position: number | null = null;
  private readonly answers: LRUCache<string, Promise<unknown>>;

  constructor(
    private readonly reader: SqlExecutor,
    capacity = 1000,
    /** The projection whose checkpoint the answers follow (the metric cuts keep their own: cx-cuts). */
    private readonly projection = 'cx-metrics',
  ) {
    this.answers = new LRUCache({ max: capacity });
  }

  async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const position = await this.appliedPosition();
    if (position === null) return compute(); // no metrics table yet (first start, rebuild): nothing to keep
    if (position !== this.position) {
      this.answers.clear();
      this.position = position;
    }
    const cached = this.answers.get(key);
    if (cached) return cached as Promise<T>;
    const answer = compute();
    this.answers.set(key, answer);
    answer.catch(() => this.answers.get(key) === answer && this.answers.delete(key));
    return answer;
  }

  private async appliedPosition(): Promise<number | null> {
    try {
      const row = await this.reader.get<{ position: number }>('SELECT position FROM projection_checkpoints WHERE name = ?', [this.projection]);
      return row === undefined ? null : Number(row.position);
    } catch {
      return null;
    }
  }
}
