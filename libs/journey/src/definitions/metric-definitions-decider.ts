import { DefinitionsRuleViolation } from './definitions-errors';
import { checkMetricParameters, defaultMetricParameters, sameMetricParameters, type MetricParameters } from './metric-parameters';

/**
 * The metric parameters as a versioned stream of their own (`definitions-metrics`): every change
 * is a `MetricDefinitionsChanged` with the whole parameters and the next version number, so an
 * answer names the version it used and any version can be asked for again.
 *
 * Version 1 is today's behaviour: the built-in classes with the configured JOURNEYLINE_MIN_SAMPLE
 * and JOURNEYLINE_TZ, recorded the first time a process starts. After that the configuration is
 * recorded again only when it changed since the last version (each version keeps the
 * configuration of the process that recorded it), so an admin's change survives restarts and a
 * changed environment variable still takes effect. The time zone is the day buckets' own: it
 * changes with JOURNEYLINE_TZ and a restart (which rebuilds them), never by an admin's request.
 */
export const METRIC_DEFINITIONS_STREAM = 'definitions-metrics';
export const METRIC_DEFINITIONS_CHANGED = 'MetricDefinitionsChanged';

/** The settings of the process that recorded a version (its environment). */
export interface ConfiguredMetricSettings {
  minSample: number;
  timeZone: string;
}

export interface MetricDefinitionsChanged {
  version: number;
  parameters: MetricParameters;
  /** `configuration`: recorded at start from the environment; `api`: an admin's request. */
  source: 'configuration' | 'api';
  changedBy: string;
  configured: ConfiguredMetricSettings;
}

export interface MetricDefinitionsState {
  /** The latest version, null before the first. */
  current: MetricDefinitionsChanged | null;
}

export type MetricDefinitionsCommand =
  | { type: 'ChangeMetricDefinitions'; parameters: unknown; changedBy: string; configured: ConfiguredMetricSettings }
  | { type: 'RecordConfiguredMetricDefinitions'; configured: ConfiguredMetricSettings; changedBy: string };

export const initialMetricDefinitionsState = (): MetricDefinitionsState => ({ current: null });

export function evolveMetricDefinitions(_state: MetricDefinitionsState, event: MetricDefinitionsChanged): MetricDefinitionsState {
  return { current: event };
}

export function decideMetricDefinitions(command: MetricDefinitionsCommand, state: MetricDefinitionsState): MetricDefinitionsChanged[] {
  const { current } = state;
  if (command.type === 'RecordConfiguredMetricDefinitions') {
    const { configured, changedBy } = command;
    if (current === null)
      return [{ version: 1, parameters: defaultMetricParameters(configured.minSample, configured.timeZone), source: 'configuration', changedBy, configured }];
    const before = current.configured;
    if (before.minSample === configured.minSample && before.timeZone === configured.timeZone) return [];
    // only what the configuration changed: an admin's other changes stay
    const parameters: MetricParameters = {
      ...current.parameters,
      ...(before.minSample !== configured.minSample ? { minSample: configured.minSample } : {}),
      ...(before.timeZone !== configured.timeZone ? { timeZone: configured.timeZone } : {}),
    };
    if (sameMetricParameters(parameters, current.parameters)) return [];
    return [{ version: current.version + 1, parameters, source: 'configuration', changedBy, configured }];
  }
  if (current === null) {
    throw new DefinitionsRuleViolation('definitions-not-recorded', [{ field: 'version', reason: 'no version of the metric definitions is recorded yet' }]);
  }
  const checked = checkMetricParameters(command.parameters, current.parameters);
  if ('issues' in checked) throw new DefinitionsRuleViolation('definitions-invalid', checked.issues);
  const { parameters } = checked;
  if (parameters.timeZone !== current.parameters.timeZone) {
    throw new DefinitionsRuleViolation('time-zone-needs-rebuild', [
      {
        field: 'timeZone',
        reason:
          `the day buckets are counted in ${current.parameters.timeZone}: another zone needs them rebuilt, ` +
          `so it is changed with JOURNEYLINE_TZ and a restart (recorded then as a new version), not by a request`,
      },
    ]);
  }
  if (sameMetricParameters(parameters, current.parameters)) return [];
  return [{ version: current.version + 1, parameters, source: 'api', changedBy: command.changedBy, configured: command.configured }];
}

/** A stored `MetricDefinitionsChanged`'s data read back by own property; null when it is not one. */
export function readMetricDefinitionsChanged(data: unknown): MetricDefinitionsChanged | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const record = data as Record<string, unknown>;
  const get = (key: string) => (Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined);
  const version = get('version');
  const source = get('source');
  const changedBy = get('changedBy');
  const configured = get('configured') as Partial<ConfiguredMetricSettings> | undefined;
  const raw = get('parameters') as Partial<MetricParameters> | undefined;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return null;
  if (source !== 'configuration' && source !== 'api') return null;
  if (typeof changedBy !== 'string' || typeof configured !== 'object' || configured === null) return null;
  if (typeof configured.minSample !== 'number' || typeof configured.timeZone !== 'string') return null;
  if (typeof raw !== 'object' || raw === null || typeof raw.minSample !== 'number' || typeof raw.timeZone !== 'string') return null;
  const checked = checkMetricParameters(raw, defaultMetricParameters(raw.minSample, raw.timeZone));
  if ('issues' in checked) return null;
  return { version, parameters: checked.parameters, source, changedBy, configured: { minSample: configured.minSample, timeZone: configured.timeZone } };
}
