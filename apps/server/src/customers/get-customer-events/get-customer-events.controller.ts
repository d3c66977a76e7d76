import { Controller, Get, Param, Query } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '../../http/cursor';
import { PageQueryDto } from '../../http/page-query.dto';
import { unknownCustomer } from '../unknown-customer';
import { GetCustomerEventsQuery } from './get-customer-events.query';
import { QueryController } from '../../http/query-controller';
import { Requires } from '../../access/requires.decorator';

/** GET /api/v1/customers/:id/events: the customer's stream as stored, in arrival order, derived events included. */
@Controller('api/v1/customers')
@Requires('read')
export class GetCustomerEventsController extends QueryController {
  @Get(':id/events')
  async events(@Param('id') customerId: string, @Query() query: PageQueryDto) {
    const cursor = decodeCursor(query.cursor, (v): v is { r: number } => Number.isInteger(v.r) && (v.r as number) >= 0);
    const page = await this.queryBus.execute(new GetCustomerEventsQuery(customerId, query.limit ?? 100, cursor?.r ?? 0));
    if (!page) throw unknownCustomer(customerId);
    return { items: page.items, ...(page.nextRevision !== null ? { nextCursor: encodeCursor({ r: page.nextRevision }) } : {}) };
  }
}
