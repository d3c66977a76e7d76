import { Controller, Delete, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Principal as Who } from '@journeyline/access';
import { actorOf } from '../../access/actor';
import { Principal } from '../../access/principal.decorator';
import { Requires } from '../../access/requires.decorator';
import { CustomerIdParamsDto } from '../customer-id.params.dto';
import { unknownCustomer } from '../unknown-customer';
import { EraseCustomerCommand, type ErasureAnswer } from './erase-customer.command';

/** DELETE /api/v1/customers/:id (admin): erases the customer's personal data for good (see EraseCustomerHandler). */
@Controller('api/v1/customers')
@Requires('admin')
export class EraseCustomerController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':id')
  async erase(@Param() params: CustomerIdParamsDto, @Principal() principal: Who): Promise<ErasureAnswer> {
    const answer = await this.commandBus.execute<EraseCustomerCommand, ErasureAnswer | null>(new EraseCustomerCommand(params.id, actorOf(principal)));
    if (!answer) throw unknownCustomer(params.id);
    return answer;
  }
}
