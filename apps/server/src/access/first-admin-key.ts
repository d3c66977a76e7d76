import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ApiKeyRegistry } from '@journeyline/access';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';

/**
 * A store's first admin key, made at the first start: from JOURNEYLINE_ADMIN_KEY when it is set,
 * else a new key, kept in `created` so that main can print it once with the dashboard's sign-in
 * link. A JOURNEYLINE_ADMIN_KEY that is not a key of a store that has keys is said in the log
 * (it only ever makes the first key).
 */
@Injectable()
export class FirstAdminKey implements OnApplicationBootstrap {
  private readonly logger = new Logger('access');
  /** The key made at this start when it was generated (never when it came from the environment). */
  created: { id: string; key: string } | null = null;

  constructor(
    private readonly keys: ApiKeyRegistry,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const chosen = this.config.access.adminKey;
    const made = await this.keys.ensureFirstAdmin(chosen, { keyId: null, name: 'first start' });
    if (made) {
      this.logger.log({ msg: 'first admin key created', keyId: made.id, origin: chosen ? 'JOURNEYLINE_ADMIN_KEY' : 'generated' });
      if (made.key) this.created = { id: made.id, key: made.key };
      return;
    }
    if (chosen && !(await this.keys.authenticate(chosen))) {
      this.logger.warn({
        msg: 'JOURNEYLINE_ADMIN_KEY is not a key of this store: it makes the first key of a store that has none, nothing more; create keys with journeyline keys create or POST /api/v1/keys',
      });
    }
  }
}
