import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiKeyRegistry, type CreatedKey, type Principal as Who } from '@journeyline/access';
import { actorOf } from '../actor';
import { keyRequest } from '../key-errors';
import { KeyIdParamsDto } from '../key-id.params.dto';
import { Principal } from '../principal.decorator';
import { Requires } from '../requires.decorator';

/** POST /api/v1/keys/:id/rotate (admin): a new key with the same name and scopes; the old one is revoked at once. */
@Controller('api/v1/keys')
@Requires('admin')
export class RotateKeyController {
  constructor(private readonly keys: ApiKeyRegistry) {}

  @Post(':id/rotate')
  @HttpCode(201)
  rotate(@Param() params: KeyIdParamsDto, @Principal() principal: Who): Promise<CreatedKey> {
    return keyRequest(() => this.keys.rotate(params.id, actorOf(principal)));
  }
}
