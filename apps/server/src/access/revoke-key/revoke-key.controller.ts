import { Controller, Delete, Param } from '@nestjs/common';
import { ApiKeyRegistry, type ApiKeyView, type Principal as Who } from '@journeyline/access';
import { actorOf } from '../actor';
import { keyRequest } from '../key-errors';
import { KeyIdParamsDto } from '../key-id.params.dto';
import { Principal } from '../principal.decorator';
import { Requires } from '../requires.decorator';

/** DELETE /api/v1/keys/:id (admin): the key stops working everywhere within a second, its sessions with it. */
@Controller('api/v1/keys')
@Requires('admin')
export class RevokeKeyController {
  constructor(private readonly keys: ApiKeyRegistry) {}

  @Delete(':id')
  revoke(@Param() params: KeyIdParamsDto, @Principal() principal: Who): Promise<ApiKeyView> {
    return keyRequest(() => this.keys.revoke(params.id, actorOf(principal)));
  }
}
