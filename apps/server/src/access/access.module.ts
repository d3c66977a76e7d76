import { Module } from '@nestjs/common';
import { APP_GUARD, HttpAdapterHost } from '@nestjs/core';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { AccessGuard } from './access.guard';
import { CreateKeyController } from './create-key/create-key.controller';
import { EndSessionController } from './end-session/end-session.controller';
import { FirstAdminKey } from './first-admin-key';
import { GetSessionController } from './get-session/get-session.controller';
import { ListAuditController } from './list-audit/list-audit.controller';
import { ListKeysController } from './list-keys/list-keys.controller';
import { RateLimits } from './rate-limits';
import { RevokeKeyController } from './revoke-key/revoke-key.controller';
import { RotateKeyController } from './rotate-key/rotate-key.controller';
import { StartSessionController } from './start-session/start-session.controller';

/**
 * Who may ask what: the guard every request passes (keys, sessions, scopes, rate limits), the
 * first admin key, the keys' routes, the dashboard's session, and the audit trail.
 */
@Module({
  controllers: [
    CreateKeyController,
    ListKeysController,
    RevokeKeyController,
    RotateKeyController,
    StartSessionController,
    GetSessionController,
    EndSessionController,
    ListAuditController,
  ],
  providers: [
    {
      provide: RateLimits,
      inject: [HttpAdapterHost, JOURNEYLINE_CONFIG],
      useFactory: (host: HttpAdapterHost, config: JourneylineConfig) => new RateLimits(host.httpAdapter.getInstance(), config.access.rateLimits),
    },
    { provide: APP_GUARD, useClass: AccessGuard },
    FirstAdminKey,
  ],
  exports: [FirstAdminKey],
})
export class AccessModule {}
