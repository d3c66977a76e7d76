import { Query } from '@nestjs/cqrs';
import type { AlertView } from '@journeyline/projections';

/** Alerts, newest first: all, or the open or the closed ones. */
export class ListAlertsQuery extends Query<{ items: AlertView[] }> {
  constructor(readonly status?: 'open' | 'closed') {
    super();
  }
}
