import { Controller, Get, Query } from '@nestjs/common';
import { DateTime } from 'luxon';
import { decodeCursor, encodeCursor } from '../../http/cursor';
import { ListCustomersQuery } from './list-customers.query';
import { ListCustomersQueryDto } from './list-customers.request.dto';
import { QueryController } from '../../http/query-controller';
import { Requires } from '../../access/requires.decorator';

/**
 * GET /api/v1/customers: customers from the journey map, filtered (q: id, name, e-mail or phone prefix; detractor; openTickets; ...),
 * sorted (default: last seen, newest first) and keyset-paged.
 */
@Controller('api/v1/customers')
@Requires('read')
export class ListCustomersController extends QueryController {
  @Get()
  async list(@Query() query: ListCustomersQueryDto) {
    const sort = query.sort ?? '-lastSeen';
    const cursor = decodeCursor(
      query.cursor,
      (v): v is { s: string; v: string | number; id: string } =>
        v.s === sort && typeof v.id === 'string' && (typeof v.v === 'string' || typeof v.v === 'number'),
    );
    const since = query.since ? DateTime.fromISO(query.since, { zone: query.tz ?? this.config.timeZone }).toJSDate() : undefined;
    return this.readModelsAsOf(query, async (readModels, asOf) => {
      const page = await this.queryBus.execute(
        new ListCustomersQuery(
          {
            stage: query.stage,
            segment: query.segment,
            region: query.region,
            acquisitionChannel: query.acquisitionChannel,
            touchpoint: query.touchpoint,
            churnRisk: query.churnRisk,
            churned: query.churned,
            q: query.q,
            detractor: query.detractor,
            openTickets: query.openTickets,
            openFollowUp: query.openFollowUp,
            since,
            sort,
            limit: query.limit ?? 100,
            after: cursor ? [cursor.v, cursor.id] : undefined,
          },
          readModels,
        ),
      );
      return {
        ...(asOf ? { asOf } : {}),
        items: page.items,
        ...(page.next ? { nextCursor: encodeCursor({ s: sort, v: page.next[0], id: page.next[1] }) } : {}),
      };
    });
  }
}
