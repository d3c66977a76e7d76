import { AUDIT_STREAM, auditEvent, type Actor } from '@journeyline/access';
import type { EventStore } from '@journeyline/event-store';
import {
  CHURN_RULES_CHANGED,
  CHURN_RULES_STREAM,
  churnRuleRevisions,
  decideChurnRules,
  evolveChurnRules,
  initialChurnRulesState,
  readChurnRulesChanged,
  type ChurnRule,
  type ChurnRulesChanged,
  type ChurnRulesCommand,
  type ChurnRulesVersioning,
} from '@journeyline/journey';
import type { DefinitionsChange } from './metric-definitions.registry';
import { VersionedStream, type Recorded } from './versioned-stream';

/** One version of the churn-risk rules, as the history lists it. */
export type ChurnRulesVersion = Recorded<ChurnRulesChanged>;

/** The rules a flag is judged by: a version, its rules, and each rule's revisions (its episodes' ids depend on them). */
export interface ChurnRulesInForce extends ChurnRulesVersioning {
  rules: readonly ChurnRule[];
  recordedAt: string;
}

/** Where the churn-risk process gets the rules in force (a registry; a fixed list in tests and benchmarks). */
export interface ChurnRulesSource {
  current(): Promise<ChurnRulesInForce>;
}

/**
 * The churn-risk rules in force and their history (`definitions-churn-rules`): the configured
 * rules (JOURNEYLINE_CHURN_RULES or the built-in ones) are recorded before they are first used,
 * as version 1 on a new store and as a new version when the configuration changed; an admin's
 * rules are appended with their audit entry (`definitions.changed`, subject `churn-rules`).
 */
export class ChurnRulesRegistry implements ChurnRulesSource {
  private readonly stream: VersionedStream<ChurnRulesChanged>;
  private configuredOnce: Promise<void> | null = null;

  constructor(
    store: EventStore,
    private readonly configured: readonly ChurnRule[],
    options: { refreshMs?: number } = {},
  ) {
    this.stream = new VersionedStream(store, {
      streamId: CHURN_RULES_STREAM,
      eventType: CHURN_RULES_CHANGED,
      read: readChurnRulesChanged,
      refreshMs: options.refreshMs,
    });
  }

  async current(): Promise<ChurnRulesInForce> {
    await this.ready();
    await this.stream.refresh();
    return this.inForce(this.stream.known.length - 1);
  }

  /** Version `n` with the revisions its rules had then, or null when there is none (yet). */
  async version(n: number): Promise<ChurnRulesInForce | null> {
    await this.ready();
    if (!this.stream.known.some((v) => v.version === n)) await this.stream.refresh(true);
    const index = this.stream.known.findIndex((v) => v.version === n);
    return index < 0 ? null : this.inForce(index);
  }

  async history(): Promise<ChurnRulesVersion[]> {
    await this.ready();
    await this.stream.refresh(true);
    return [...this.stream.known];
  }

  /** An admin's rules (`{"rules": [...]}` or a bare list): throws DefinitionsRuleViolation naming each bad field. */
  async change(rules: unknown, actor: Actor): Promise<DefinitionsChange<ChurnRulesVersion>> {
    await this.ready();
    const { recorded, position } = await this.stream.record(
      (versions) => this.decide({ type: 'ChangeChurnRules', rules, changedBy: actor.name, configured: this.configured }, versions),
      (decided) => [{ streamId: AUDIT_STREAM, events: [auditEvent('definitions.changed', actor, 'churn-rules', { version: decided.version })] }],
    );
    return { entry: recorded ?? this.stream.known[this.stream.known.length - 1], changed: recorded !== null, position };
  }

  private inForce(index: number): ChurnRulesInForce {
    const versions = this.stream.known.slice(0, index + 1);
    const { version, rules, recordedAt } = versions[versions.length - 1];
    return { version, rules, recordedAt, revisions: churnRuleRevisions(versions) };
  }

  private ready(): Promise<void> {
    this.configuredOnce ??= this.stream
      .record((versions) => this.decide({ type: 'RecordConfiguredChurnRules', configured: this.configured, changedBy: 'configuration' }, versions))
      .then(() => undefined)
      .catch((error: unknown) => {
        this.configuredOnce = null;
        throw error;
      });
    return this.configuredOnce;
  }

  private decide(command: ChurnRulesCommand, versions: readonly ChurnRulesChanged[]): ChurnRulesChanged[] {
    return decideChurnRules(command, versions.reduce(evolveChurnRules, initialChurnRulesState()));
  }
}

/** A fixed list of rules as an unversioned source (tests, benchmarks): flags name no version, as before rules were versioned. */
export function fixedChurnRules(rules: readonly ChurnRule[]): ChurnRulesSource & { fixed: true } {
  const inForce: ChurnRulesInForce = { version: 0, rules, revisions: new Map(), recordedAt: new Date(0).toISOString() };
  return { fixed: true, current: async () => inForce };
}
