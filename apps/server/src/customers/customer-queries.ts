/** Read-side questions about one customer, answered by QueryBus handlers. */
export class GetCustomerEventsQuery {
  constructor(readonly customerId: string, readonly limit: number, readonly fromRevision: number) {}
}

export class GetCustomerJourneyQuery {
  constructor(readonly customerId: string, readonly asOf: Date | null) {}
}

export class ListCustomersQuery {
  constructor(readonly filter: import('@journeyline/projections').CustomerFilter) {}
}
