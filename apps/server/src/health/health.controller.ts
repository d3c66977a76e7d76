import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { Followers, JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { Public } from '../access/requires.decorator';

/**
 * GET /health: the store in use and its position, how far each projection and the churn-risk
 * process lag, and whether all is well: `ok`, or `degraded` with the reasons (parked events, a
 * follower that keeps failing or lags more than JOURNEYLINE_HEALTH_MAX_LAG, a store that takes no
 * writes). 503 `unavailable` when the store cannot be read.
 */
@Controller('health')
@Public()
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
    private readonly followers: Followers,
  ) {}

  @Get()
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    const report = await this.followers.health(await this.store.health());
    if (report.status === 'unavailable') reply.status(503).header('Retry-After', '5');
    return { ...report, timeZone: this.config.timeZone };
  }
}
