import { Controller, Get } from '@nestjs/common';
import { ApiKeyRegistry, type ApiKeyView } from '@journeyline/access';
import { Requires } from '../requires.decorator';

/** GET /api/v1/keys (admin): every key, revoked ones too, without secrets or hashes. */
@Controller('api/v1/keys')
@Requires('admin')
export class ListKeysController {
  constructor(private readonly keys: ApiKeyRegistry) {}

  @Get()
  async list(): Promise<{ items: ApiKeyView[] }> {
    return { items: await this.keys.list() };
  }
}
