import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { assessFollowers, parkedSummary, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '../config/journeyline-config';
import { ProjectionHost } from '../projections/projection-host';

/**
 * GET /health: the store in use and its position, how far each projection and the churn-risk
 * process lag, and whether all is well: `ok`, or `degraded` with the reasons (parked events, a
 * follower that keeps failing or lags more than JOURNEYLINE_HEALTH_MAX_LAG, a store that takes no
 * writes). 503 `unavailable` when the store cannot be read.
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly readModels: ReadModelDatabase,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
    private readonly host: ProjectionHost,
  ) {}

  @Get()
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    const store = await this.store.health();
    let projections: { name: string; position: number; lag: number }[] = [];
    let churnRisk: { position: number; lag: number } | null = null;
    let parked: Awaited<ReturnType<typeof parkedSummary>> = [];
    const reasons: string[] = [];
    try {
      projections = (await this.host.projector.progress()).map((p) => ({ name: p.projection, position: p.position, lag: Math.max(0, store.position - p.position) }));
      const churnPosition = await this.host.churnRisk.position();
      churnRisk = { position: churnPosition, lag: Math.max(0, store.position - churnPosition) };
      parked = await parkedSummary(this.readModels.reader);
    } catch (error) {
      reasons.push(`the read models cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!store.ok) reply.status(503).header('Retry-After', '5');
    const followers = store.ok
      ? assessFollowers({
          store,
          followers: [...projections, ...(churnRisk ? [{ name: 'churn-risk-process', position: churnRisk.position }] : [])],
          runners: [{ name: 'projector', lastFailure: this.host.projector.lastFailure }, { name: 'churn-risk-process', lastFailure: this.host.churnRisk.lastFailure }],
          parked,
          maxLag: this.config.healthMaxLag,
        })
      : null;
    reasons.push(...(followers?.reasons ?? []));
    return {
      status: !store.ok ? 'unavailable' : reasons.length > 0 ? 'degraded' : 'ok',
      store: store.store,
      position: store.position,
      ...(store.detail ? { detail: store.detail } : {}),
      storeWritable: store.ok && store.writable !== false,
      projections,
      churnRisk,
      parked: followers?.parked ?? [],
      failing: followers?.failing ?? [],
      reasons,
      timeZone: this.config.timeZone,
    };
  }
}
