import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { listAlerts, type AlertView } from '@journeyline/projections';
import { ListAlertsQuery } from './list-alerts.query';

@QueryHandler(ListAlertsQuery)
export class ListAlertsHandler implements IQueryHandler<ListAlertsQuery, { items: AlertView[] }> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ status }: ListAlertsQuery): Promise<{ items: AlertView[] }> {
    return { items: await listAlerts(this.store, status) };
  }
}
