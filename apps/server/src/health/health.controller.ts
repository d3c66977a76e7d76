import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { Followers, JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { Public } from '../access/requires.decorator';
import { problem } from '../http/problem';

/**
 * GET /health: the store in use and its position, how far each projection and the churn-risk
 * process lag, and whether all is well: `ok`, or `degraded` with the reasons (parked events, a
 * follower that keeps failing or lags more than JOURNEYLINE_HEALTH_MAX_LAG, a store that takes no
 * writes). 503 `unavailable` when the store cannot be read.
 *
 * GET /health/live and /health/ready: the probes of an orchestrator or a load balancer. The
 * server listens at once and catches up with the log in the background, answering reads from what
 * it has applied; `ready` says when that catch-up is over.
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

  /** 200 while the process serves HTTP: nothing else is asked (a restart would not help a database that is down). */
  @Get('live')
  live() {
    return { status: 'live' };
  }

  /**
   * 200 `ready` once every projection has caught up with the log since the start; until then 503
   * `catching-up` with each projection's position, the head of the log and how far behind it is
   * (the one error body too: `message` and `errors` say it in words). 503 `unavailable` when the
   * store or the read models cannot be read.
   */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    let readiness;
    try {
      readiness = await this.followers.readiness();
    } catch (error) {
      const reason = `the event store or the read models cannot be read: ${error instanceof Error ? error.message : String(error)}`;
      reply.status(503).header('Retry-After', '5');
      return problem(503, reason, [{ field: 'store', reason }], { status: 'unavailable' });
    }
    if (readiness.status === 'ready') return readiness;
    const behind = Math.max(0, ...readiness.projections.map((p) => p.behind));
    const reason = `catching up with the event log: ${behind} events behind its head (${readiness.head}); reads answer meanwhile from what is applied`;
    reply.status(503).header('Retry-After', '2');
    return problem(503, reason, [{ field: 'projections', reason }], { ...readiness });
  }
}
