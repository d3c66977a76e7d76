import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '../config/journeyline-config';
import { ProjectionHost } from '../projections/projection-host';

/** GET /health: the store in use and its position, and how far each projection lags. 503 when the store is down. */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
    private readonly projections: ProjectionHost,
  ) {}

  @Get()
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    const store = await this.store.health();
    let projections: { name: string; position: number; lag: number }[] = [];
    try {
      projections = (await this.projections.projector.progress()).map((p) => ({ name: p.projection, position: p.position, lag: Math.max(0, store.position - p.position) }));
    } catch {
      // read models unreachable: reported as an empty list with the store's status
    }
    if (!store.ok) reply.status(503).header('Retry-After', '5');
    return {
      status: store.ok ? 'ok' : 'unavailable',
      store: store.store,
      position: store.position,
      ...(store.detail ? { detail: store.detail } : {}),
      projections,
      timeZone: this.config.timeZone,
    };
  }
}
