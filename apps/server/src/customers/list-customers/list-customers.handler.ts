import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { PersonalData } from '@journeyline/privacy';
import { customerSearch, listCustomers, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { ListCustomersQuery } from './list-customers.query';

@QueryHandler(ListCustomersQuery)
export class ListCustomersHandler implements IQueryHandler<ListCustomersQuery> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    private readonly personal: PersonalData,
  ) {}

  execute({ filter: { q, ...filter }, readModels }: ListCustomersQuery) {
    return listCustomers(readModels ?? this.db.reader, { ...filter, ...(q === undefined ? {} : { search: customerSearch(this.personal.searchKey, q) }) });
  }
}
