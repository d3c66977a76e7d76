import { applyDecorators, ConflictException } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { MetricParameters } from '@journeyline/journey';
import type { MetricDefinitionsRegistry } from '@journeyline/projections';
import { badRequest, problem } from '../http/problem';

/** The metric parameters an answer is computed with, and the version it states (`"definitions": {"version": N}`). */
export interface DefinitionsInForce {
  version: number;
  parameters: MetricParameters;
}

/** `definitionsVersion=N` on a metric read: recompute with version N's parameters (default: the version in force). */
export function DefinitionsVersionParam(): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    Type(() => Number),
    IsInt({ message: 'definitionsVersion must be a whole number: a version of GET /api/v1/definitions/metrics' }),
    Min(1),
    Max(1_000_000_000),
  );
}

/**
 * The version a metric read uses: the one in force, or the one asked for. A version whose days
 * are counted in another zone than the day buckets' cannot be recomputed from them (they would
 * have to be rebuilt in that zone): 409 saying so, never an answer in the wrong days.
 */
export async function metricDefinitionsFor(
  registry: MetricDefinitionsRegistry,
  requested: number | undefined,
  bucketTimeZone: string,
): Promise<DefinitionsInForce> {
  const found = requested === undefined ? await registry.current() : await registry.version(requested);
  if (!found) throw badRequest('definitionsVersion', `there is no version ${requested} of the metric definitions (GET /api/v1/definitions/metrics lists them)`);
  if (found.parameters.timeZone !== bucketTimeZone) {
    const reason =
      `version ${found.version} counts days in ${found.parameters.timeZone}, the day buckets are in ${bucketTimeZone} (JOURNEYLINE_TZ): ` +
      `answering it needs the buckets rebuilt in that zone (restart with JOURNEYLINE_TZ=${found.parameters.timeZone}, which rebuilds them)`;
    throw new ConflictException(problem(409, reason, [{ field: 'definitionsVersion', reason }]));
  }
  return { version: found.version, parameters: found.parameters };
}
