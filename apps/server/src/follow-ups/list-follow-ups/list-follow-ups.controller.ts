import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { isFollowUpCursor } from '@journeyline/projections';
import { Requires } from '../../access/requires.decorator';
import { decodeCursor, encodeCursor } from '../../http/cursor';
import { ListFollowUpsQuery } from './list-follow-ups.query';
import { ListFollowUpsQueryDto } from './list-follow-ups.request.dto';

/**
 * GET /api/v1/follow-ups?status=open|assigned|resolved&owner=&touchpoint=&customerId=&cursor=&limit=
 * → `{items, nextCursor?}`: the follow-ups the bad answers opened, the longest waiting first, each
 * with its touchpoint's owner from the catalog (null when the touchpoint is not registered).
 */
@Controller('api/v1/follow-ups')
@Requires('read')
export class ListFollowUpsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  async list(@Query() query: ListFollowUpsQueryDto) {
    const after = decodeCursor(query.cursor, isFollowUpCursor) ?? undefined;
    const filter = { status: query.status, owner: query.owner, touchpoint: query.touchpoint, customerId: query.customerId };
    const page = await this.queryBus.execute(
      new ListFollowUpsQuery(filter, query.limit ?? 100, after && { openedAt: after.openedAt, followUpId: after.followUpId }),
    );
    return { items: page.items, ...(page.next ? { nextCursor: encodeCursor({ ...page.next }) } : {}) };
  }
}
