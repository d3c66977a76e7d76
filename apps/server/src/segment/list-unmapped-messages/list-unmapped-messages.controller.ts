import { Controller, Get, Query } from '@nestjs/common';
import { isSegmentUnmappedCursor } from '@journeyline/projections';
import { Requires } from '../../access/requires.decorator';
import { decodeCursor, encodeCursor } from '../../http/cursor';
import { PageQueryDto } from '../../http/page-query.dto';
import { QueryController } from '../../http/query-controller';
import { ListUnmappedMessagesQuery } from './list-unmapped-messages.query';

/**
 * GET /api/v1/sources/segment/unmapped: what the Segment source received but could not map, by
 * kind and name (track events, pages, screens, identify and group traits), with how many messages,
 * first and last seen, an example messageId and why: so someone can add it to the mapping file.
 */
@Controller('api/v1/sources/segment/unmapped')
@Requires('read')
export class ListUnmappedMessagesController extends QueryController {
  @Get()
  async list(@Query() query: PageQueryDto) {
    const after = decodeCursor(query.cursor, isSegmentUnmappedCursor) ?? undefined;
    const page = await this.queryBus.execute(
      new ListUnmappedMessagesQuery(query.limit ?? 100, after ? { count: after.count, kind: after.kind, name: after.name } : undefined),
    );
    return { items: page.items, ...(page.next ? { nextCursor: encodeCursor({ ...page.next }) } : {}) };
  }
}
