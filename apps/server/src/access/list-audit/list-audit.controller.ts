import { Controller, Get, Query } from '@nestjs/common';
import { AuditTrail, type AuditEntry } from '@journeyline/access';
import { decodeCursor, encodeCursor } from '../../http/cursor';
import { Requires } from '../requires.decorator';
import { ListAuditQueryDto } from './list-audit.request.dto';

/** GET /api/v1/audit (admin): the audit trail, newest first, paged with limit and cursor. */
@Controller('api/v1/audit')
@Requires('admin')
export class ListAuditController {
  constructor(private readonly audit: AuditTrail) {}

  @Get()
  async list(@Query() query: ListAuditQueryDto): Promise<{ items: AuditEntry[]; nextCursor?: string }> {
    const cursor = decodeCursor(query.cursor, (v): v is { before: number } => Number.isInteger(v.before) && (v.before as number) > 0);
    const page = await this.audit.page(cursor?.before ?? null, query.limit ?? 100);
    return { items: page.items, ...(page.before !== null ? { nextCursor: encodeCursor({ before: page.before }) } : {}) };
  }
}
