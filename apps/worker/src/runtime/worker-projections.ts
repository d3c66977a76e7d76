import { ChurnRiskProjection, CxMetricsProjection, JourneyMapProjection, type Projection } from '@journeyline/projections';

/**
 * The projections a worker keeps up to date: the same list, names and versions as the server's
 * embedded projector, so a worker and a server can share one read-model database (their
 * checkpoints make them take turns and never apply a batch twice).
 */
export function workerProjections(timeZone: string): Projection[] {
  return [new JourneyMapProjection(), new CxMetricsProjection(timeZone), new ChurnRiskProjection()];
}
