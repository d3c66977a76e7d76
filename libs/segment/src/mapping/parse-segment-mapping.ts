import { DEFAULT_SCALE_OF_KIND, FEEDBACK_KINDS, SCALES, SCALES_BY_KIND, STAGES, type FeedbackKind, type Scale, type Stage } from '@journeyline/journey';
import { isISO4217CurrencyCode } from 'class-validator';
import { readLocated, SegmentMappingError, type Located, type LocatedMap } from './located-document';
import { namePattern, type NamePattern } from './name-pattern';
import {
  BUILT_IN_MAPPING,
  PORTRAIT_TRAITS,
  TARGET_FIXED,
  TARGET_SOURCES,
  TRACK_TARGETS,
  type FixedValues,
  type PageRule,
  type PortraitTrait,
  type PropertyPath,
  type SegmentMapping,
  type TrackRule,
  type TraitMap,
} from './segment-mapping';

/**
 * Reads and validates a mapping file (YAML, or JSON, which YAML 1.2 reads), once at start. Every
 * problem is reported at once with its line (`line 12: track[3].stage "evalution" is not a
 * journey stage (awareness, ...)`); unknown fields are problems too, since a misspelt field would
 * otherwise be silently ignored. Throws SegmentMappingError. An empty file is the built-in mapping.
 */
export function parseSegmentMapping(text: string): SegmentMapping {
  const root = readLocated(text);
  if (root === null) return BUILT_IN_MAPPING;
  const issues = new Issues();
  if (root.kind !== 'map') throw new SegmentMappingError([`line ${root.line}: the mapping file must be a map with some of: ${TOP_LEVEL.join(', ')}`]);
  issues.unknownKeys(root, '', TOP_LEVEL);
  const mapping: SegmentMapping = {
    defaults: readDefaults(field(root, 'defaults'), issues),
    track: listOf(root, 'track', issues).flatMap((item, i) => readTrackRule(item, `track[${i}]`, issues) ?? []),
    page: listOf(root, 'page', issues).flatMap((item, i) => readPageRule(item, `page[${i}]`, ['name', 'path', 'url'], issues) ?? []),
    screen: listOf(root, 'screen', issues).flatMap((item, i) => readPageRule(item, `screen[${i}]`, ['name'], issues) ?? []),
    identify: root.entries.has('identify') ? readTraitMap(field(root, 'identify'), 'identify', issues) : BUILT_IN_MAPPING.identify,
    group: readTraitMap(field(root, 'group'), 'group', issues),
  };
  issues.throwIfAny();
  return mapping;
}

const TOP_LEVEL = ['defaults', 'track', 'page', 'screen', 'identify', 'group'];
const MAX_TEXT = 200;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

class Issues {
  readonly list: string[] = [];

  add(line: number, at: string, problem: string): void {
    this.list.push(`line ${line}: ${at ? `${at} ` : ''}${problem}`);
  }

  unknownKeys(map: LocatedMap, at: string, known: readonly string[]): void {
    for (const [key, { keyLine }] of map.entries) {
      if (!known.includes(key)) this.add(keyLine, `${at}${at ? '.' : ''}${shown(key)}`, `is not a field here (fields: ${known.join(', ')})`);
    }
  }

  /** In the order of the file's lines. */
  throwIfAny(): void {
    const line = (issue: string) => Number(/^line (\d+)/.exec(issue)?.[1] ?? 0);
    if (this.list.length > 0) throw new SegmentMappingError([...this.list].sort((a, b) => line(a) - line(b)));
  }
}

function shown(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function field(map: LocatedMap, key: string): Located | undefined {
  return map.entries.get(key)?.value;
}

function listOf(map: LocatedMap, key: string, issues: Issues): Located[] {
  const value = field(map, key);
  if (value === undefined || (value.kind === 'scalar' && value.value === null)) return [];
  if (value.kind !== 'list') {
    issues.add(value.line, key, 'must be a list of rules (each starting with "- ")');
    return [];
  }
  return value.items;
}

/** Text as the file gives it (a number written bare counts as its digits). */
function text(value: Located | undefined, at: string, issues: Issues, max = MAX_TEXT): string | undefined {
  if (value === undefined) return undefined;
  if (value.kind === 'scalar' && (typeof value.value === 'string' || typeof value.value === 'number')) {
    const result = String(value.value);
    if (result.trim() === '') issues.add(value.line, at, 'must not be empty');
    else if (result.length > max) issues.add(value.line, at, `is longer than ${max} characters`);
    else if (CONTROL.test(result)) issues.add(value.line, at, 'must not contain control characters');
    else return result;
    return undefined;
  }
  issues.add(value.line, at, 'must be text');
  return undefined;
}

function oneOf<T extends string>(value: Located | undefined, at: string, allowed: readonly T[], what: string, issues: Issues): T | undefined {
  const result = text(value, at, issues);
  if (result === undefined) return undefined;
  if ((allowed as readonly string[]).includes(result)) return result as T;
  issues.add(value!.line, at, `"${shown(result)}" is not ${what} (${allowed.join(', ')})`);
  return undefined;
}

function pattern(value: Located | undefined, at: string, issues: Issues): NamePattern | undefined {
  const result = text(value, at, issues, 2000);
  return result === undefined ? undefined : namePattern(result);
}

function propertyPath(value: Located, at: string, issues: Issues): PropertyPath | undefined {
  const result = text(value, at, issues);
  if (result === undefined) return undefined;
  const path = result.split('.');
  if (path.some((part) => part === '') || path.length > 8) {
    issues.add(value.line, at, `"${shown(result)}" is not a property path (names joined by dots, at most 8: address.city)`);
    return undefined;
  }
  return path;
}

/** A property path, or a list of them (the first present wins). */
function propertyPaths(value: Located, at: string, issues: Issues): PropertyPath[] | undefined {
  if (value.kind === 'list') {
    const paths = value.items.map((item, i) => propertyPath(item, `${at}[${i}]`, issues));
    if (paths.length === 0) issues.add(value.line, at, 'must name at least one property');
    return paths.every((p) => p !== undefined) && paths.length > 0 ? (paths as PropertyPath[]) : undefined;
  }
  const path = propertyPath(value, at, issues);
  return path ? [path] : undefined;
}

function asMap(value: Located | undefined, at: string, what: string, issues: Issues): LocatedMap | undefined {
  if (value === undefined || (value.kind === 'scalar' && value.value === null)) return undefined;
  if (value.kind === 'map') return value;
  issues.add(value.line, at, `must be ${what}`);
  return undefined;
}

function readDefaults(value: Located | undefined, issues: Issues): SegmentMapping['defaults'] {
  const map = asMap(value, 'defaults', 'a map with stage and/or channel', issues);
  if (!map) return {};
  issues.unknownKeys(map, 'defaults', ['stage', 'channel']);
  const stage = oneOf(field(map, 'stage'), 'defaults.stage', STAGES, 'a journey stage', issues);
  const channel = text(field(map, 'channel'), 'defaults.channel', issues);
  return { ...(stage ? { stage } : {}), ...(channel ? { channel } : {}) };
}

const TRACK_COMMON = ['event', 'as', 'from'];

function readTrackRule(value: Located, at: string, issues: Issues): TrackRule | null {
  const map = asMap(value, at, 'a rule (a map with at least event)', issues);
  if (!map) return null;
  const before = issues.list.length;
  const target =
    field(map, 'as') === undefined ? 'touchpoint.visited' : oneOf(field(map, 'as'), `${at}.as`, TRACK_TARGETS, 'what a track event can record', issues);
  if (target === undefined) return null;
  const fixedFields = TARGET_FIXED[target];
  issues.unknownKeys(map, at, [...TRACK_COMMON, ...fixedFields, ...(target === 'touchpoint.visited' ? ['properties'] : [])]);
  const event = field(map, 'event');
  if (event === undefined) issues.add(map.line, at, 'needs event: the track event name (exact, or with * for any characters)');
  const rule: TrackRule = {
    line: map.line,
    event: pattern(event, `${at}.event`, issues) ?? namePattern(''),
    as: target,
    fixed: readFixed(map, at, fixedFields, issues),
    from: readFrom(field(map, 'from'), `${at}.from`, Object.keys(TARGET_SOURCES[target]), issues),
    keep: readKeep(field(map, 'properties'), `${at}.properties`, issues),
  };
  if (target === 'feedback.given') checkFeedback(rule, map, at, issues);
  return issues.list.length > before ? null : rule;
}

function checkFeedback(rule: TrackRule, map: LocatedMap, at: string, issues: Issues): void {
  if (rule.fixed.kind === undefined && rule.from.kind === undefined) {
    issues.add(map.line, at, `records feedback.given: it needs kind (${FEEDBACK_KINDS.join(', ')}) or from.kind`);
  }
  const { kind, scale } = rule.fixed;
  if (kind !== undefined && scale !== undefined && !SCALES_BY_KIND[kind].includes(scale)) {
    issues.add(map.entries.get('scale')!.keyLine, `${at}.scale`, `${scale} is not a scale of ${kind} (${SCALES_BY_KIND[kind].join(', ')})`);
  }
  // NPS is always 0-10 and a review 1-5 stars; a comment has no scale
  if (kind !== undefined && DEFAULT_SCALE_OF_KIND[kind] === undefined && kind !== 'comment' && scale === undefined && rule.from.scale === undefined) {
    issues.add(map.line, at, `records ${kind} answers: it needs scale (${SCALES_BY_KIND[kind].join(', ')}) or from.scale`);
  }
}

function readFixed(map: LocatedMap, at: string, fields: readonly (keyof FixedValues)[], issues: Issues): FixedValues {
  const fixed: FixedValues = {};
  for (const name of fields) {
    const value = field(map, name);
    if (value === undefined) continue;
    const where = `${at}.${name}`;
    if (name === 'stage') fixed.stage = oneOf<Stage>(value, where, STAGES, 'a journey stage', issues);
    else if (name === 'kind') fixed.kind = oneOf<FeedbackKind>(value, where, FEEDBACK_KINDS, 'a feedback kind', issues);
    else if (name === 'scale') fixed.scale = oneOf<Scale>(value, where, SCALES, 'a scale', issues);
    else if (name === 'reason') fixed.reason = text(value, where, issues, 1000);
    else if (name === 'currency') {
      const currency = text(value, where, issues);
      if (currency !== undefined && !isISO4217CurrencyCode(currency))
        issues.add(value.line, where, `"${shown(currency)}" is not an ISO 4217 currency code (VND, USD, ...)`);
      else fixed.currency = currency;
    } else fixed[name] = text(value, where, issues);
  }
  for (const key of Object.keys(fixed) as (keyof FixedValues)[]) if (fixed[key] === undefined) delete fixed[key];
  return fixed;
}

function readFrom(value: Located | undefined, at: string, allowed: readonly string[], issues: Issues): Partial<Record<string, PropertyPath[]>> {
  const map = asMap(value, at, `a map from a field (${allowed.join(', ') || 'none here'}) to the property it is read from`, issues);
  const from: Partial<Record<string, PropertyPath[]>> = {};
  if (!map) return from;
  if (allowed.length === 0) {
    issues.add(map.line, at, 'is not used by this rule: it reads no properties');
    return from;
  }
  issues.unknownKeys(map, at, allowed);
  for (const [key, entry] of map.entries) {
    if (!allowed.includes(key)) continue;
    const paths = propertyPaths(entry.value, `${at}.${key}`, issues);
    if (paths) from[key] = paths;
  }
  return from;
}

function readKeep(value: Located | undefined, at: string, issues: Issues): string[] {
  if (value === undefined) return [];
  if (value.kind !== 'list') {
    issues.add(value.line, at, 'must be a list of property names to keep on the touchpoint');
    return [];
  }
  return value.items.flatMap((item, i) => text(item, `${at}[${i}]`, issues) ?? []);
}

function readPageRule(value: Located, at: string, matchers: readonly ('name' | 'path' | 'url')[], issues: Issues): PageRule | null {
  const map = asMap(value, at, `a rule (a map with ${matchers.join(' or ')})`, issues);
  if (!map) return null;
  const before = issues.list.length;
  issues.unknownKeys(map, at, [...matchers, 'touchpoint', 'channel', 'stage', 'from', 'properties']);
  const rule: PageRule = {
    line: map.line,
    fixed: readFixed(map, at, ['touchpoint', 'channel', 'stage'], issues),
    from: readFrom(field(map, 'from'), `${at}.from`, ['touchpoint', 'channel', 'stage'], issues),
    keep: readKeep(field(map, 'properties'), `${at}.properties`, issues),
  };
  for (const matcher of matchers) {
    const found = pattern(field(map, matcher), `${at}.${matcher}`, issues);
    if (found) rule[matcher] = found;
  }
  if (!matchers.some((m) => rule[m] !== undefined) && issues.list.length === before) {
    issues.add(map.line, at, `needs ${matchers.join(' or ')} to say which ${at.startsWith('screen') ? 'screens' : 'pages'} it maps`);
  }
  return issues.list.length > before ? null : rule;
}

function readTraitMap(value: Located | undefined, at: string, issues: Issues): TraitMap {
  const map = asMap(value, at, `a map from portrait fields (${PORTRAIT_TRAITS.join(', ')}) to the traits that fill them`, issues);
  const traits: TraitMap = {};
  if (!map) return traits;
  issues.unknownKeys(map, at, PORTRAIT_TRAITS);
  for (const [key, entry] of map.entries) {
    if (!(PORTRAIT_TRAITS as readonly string[]).includes(key)) continue;
    const paths = propertyPaths(entry.value, `${at}.${key}`, issues);
    if (paths) traits[key as PortraitTrait] = paths;
  }
  return traits;
}
