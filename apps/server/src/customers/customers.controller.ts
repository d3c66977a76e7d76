import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Journey } from '@journeyline/journey';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { problem, quoted } from '../http/problem';
import { DateTime } from 'luxon';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '../config/journeyline-config';
import { GetCustomerEventsQuery, GetCustomerJourneyQuery, ListCustomersQuery } from './customer-queries';
import { JourneyQueryDto, ListCustomersQueryDto, PageQueryDto } from './customer.request.dto';

@Controller('api/v1/customers')
export class CustomersController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
  ) {}

  /** Customers from the journey map, filtered, sorted (default: last seen, newest first) and keyset-paged. */
  @Get()
  async list(@Query() query: ListCustomersQueryDto) {
    const sort = query.sort ?? '-lastSeen';
    const cursor = decodeCursor(query.cursor, (v): v is { s: string; v: string | number; id: string } => v.s === sort && typeof v.id === 'string' && (typeof v.v === 'string' || typeof v.v === 'number'));
    const since = query.since ? DateTime.fromISO(query.since, { zone: query.tz ?? this.config.timeZone }).toJSDate() : undefined;
    const page = await this.queryBus.execute(
      new ListCustomersQuery({
        stage: query.stage, segment: query.segment, region: query.region, acquisitionChannel: query.acquisitionChannel, touchpoint: query.touchpoint,
        churnRisk: query.churnRisk, churned: query.churned, since, sort, limit: query.limit ?? 100, after: cursor ? [cursor.v, cursor.id] : undefined,
      }),
    );
    return { items: page.items, ...(page.next ? { nextCursor: encodeCursor({ s: sort, v: page.next[0], id: page.next[1] }) } : {}) };
  }

  @Get(':id/events')
  async events(@Param('id') customerId: string, @Query() query: PageQueryDto) {
    const cursor = decodeCursor(query.cursor, (v): v is { r: number } => Number.isInteger(v.r) && (v.r as number) >= 0);
    const page = await this.queryBus.execute(new GetCustomerEventsQuery(customerId, query.limit ?? 100, cursor?.r ?? 0));
    if (!page) throw unknownCustomer(customerId);
    return { items: page.items, ...(page.nextRevision !== null ? { nextCursor: encodeCursor({ r: page.nextRevision }) } : {}) };
  }

  @Get(':id/journey')
  async journey(@Param('id') customerId: string, @Query() query: JourneyQueryDto): Promise<Journey> {
    const journey = await this.queryBus.execute(new GetCustomerJourneyQuery(customerId, query.asOf ? new Date(query.asOf) : null));
    if (!journey) throw unknownCustomer(customerId);
    return journey;
  }
}

function unknownCustomer(customerId: string) {
  const reason = `no events for customer ${quoted(customerId)}; post one to /api/v1/events first`;
  return new NotFoundException(problem(404, reason, [{ field: 'customerId', reason }]));
}
