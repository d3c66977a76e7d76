import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiKeyRegistry, type CreatedKey, type Principal as Who } from '@journeyline/access';
import { actorOf } from '../actor';
import { keyRequest } from '../key-errors';
import { Principal } from '../principal.decorator';
import { Requires } from '../requires.decorator';
import { CreateKeyRequestDto } from './create-key.request.dto';

/** POST /api/v1/keys (admin): a new key; the answer holds the key itself, shown this once. */
@Controller('api/v1/keys')
@Requires('admin')
export class CreateKeyController {
  constructor(private readonly keys: ApiKeyRegistry) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: CreateKeyRequestDto, @Principal() principal: Who): Promise<CreatedKey> {
    return keyRequest(() => this.keys.create(body, actorOf(principal), 'api'));
  }
}
