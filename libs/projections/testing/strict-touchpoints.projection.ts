import type { ProjectedEvent, Projection } from '@journeyline/projections/runtime/projection';
import type { SqlExecutor } from '@journeyline/projections/runtime/sql-executor';

/**
 * A small projection with a database rule some events break: visits per touchpoint, in a table
 * whose CHECK refuses touchpoint names longer than `maxName`. A visit with a longer name makes
 * its write fail inside the database, as a projection bug or a schema the data outgrew would: the
 * runtime must park that one visit and apply every other. `failTransiently` makes the next apply
 * fail the way a busy or unreachable database does (which must never park anything).
 */
export class StrictTouchpointsProjection implements Projection {
  readonly name = 'strict-touchpoints';
  readonly version = '1';
  readonly eventTypes: ReadonlySet<string> = new Set(['TouchpointVisited']);
  readonly tables = ['strict_touchpoints'] as const;
  failTransiently: Error | null = null;

  constructor(private readonly maxName: number) {}

  async setup(tx: SqlExecutor): Promise<void> {
    await tx.exec(`CREATE TABLE IF NOT EXISTS strict_touchpoints (
      touchpoint TEXT PRIMARY KEY CHECK (length(touchpoint) <= ${this.maxName}),
      visits BIGINT NOT NULL,
      last_position BIGINT NOT NULL
    )`);
  }

  async teardown(tx: SqlExecutor): Promise<void> {
    await tx.exec('DROP TABLE IF EXISTS strict_touchpoints');
  }

  async apply(events: readonly ProjectedEvent[], tx: SqlExecutor): Promise<void> {
    if (this.failTransiently) {
      const error = this.failTransiently;
      this.failTransiently = null;
      throw error;
    }
    for (const event of events) {
      if (event.type !== 'TouchpointVisited') continue;
      const touchpoint = event.data.touchpoint;
      await tx.run(
        `INSERT INTO strict_touchpoints (touchpoint, visits, last_position) VALUES (?, 1, ?)
         ON CONFLICT (touchpoint) DO UPDATE SET visits = strict_touchpoints.visits + 1, last_position = excluded.last_position
         WHERE strict_touchpoints.last_position < excluded.last_position`,
        [touchpoint, event.position],
      );
    }
  }
}
