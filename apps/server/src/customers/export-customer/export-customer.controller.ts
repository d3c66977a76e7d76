import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { AuditTrail, type Principal as Who } from '@journeyline/access';
import { actorOf } from '../../access/actor';
import { Principal } from '../../access/principal.decorator';
import { Requires } from '../../access/requires.decorator';
import { CustomerIdParamsDto } from '../customer-id.params.dto';
import { unknownCustomer } from '../unknown-customer';
import { ExportCustomerQuery, type CustomerExport } from './export-customer.query';

/** GET /api/v1/customers/:id/export (admin): everything held about the customer, as JSON; the export is recorded in the audit trail. */
@Controller('api/v1/customers')
@Requires('admin')
export class ExportCustomerController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly audit: AuditTrail,
  ) {}

  @Get(':id/export')
  async export(@Param() params: CustomerIdParamsDto, @Principal() principal: Who): Promise<CustomerExport> {
    const answer = await this.queryBus.execute<ExportCustomerQuery, CustomerExport | null>(new ExportCustomerQuery(params.id));
    if (!answer) throw unknownCustomer(params.id);
    await this.audit.record('customer.exported', actorOf(principal), params.id, { events: answer.events.length });
    return answer;
  }
}
