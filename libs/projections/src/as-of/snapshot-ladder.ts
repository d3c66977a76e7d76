import * as fs from 'node:fs';
import * as path from 'node:path';

/** What a snapshot of replayed read models holds, written beside it (`<position>.json`). */
export interface SnapshotMeta {
  /** Every event of the log at or before this position is applied, none after (the projector's checkpoints say the same). */
  position: number;
  /** The latest recordedAt among those events: the snapshot serves any asOf at or after it. */
  recordedUntil: string;
  /** Events of the log applied (the ladder is thinned by it). */
  events: number;
  /** Projection name → version: a snapshot of other versions is deleted, never read. */
  projections: Record<string, string>;
  /** What else the folds depend on (the time zone): the same rule. */
  settings: string;
  builtAt: string;
  /** The file's size: a file of another size is not this snapshot. */
  bytes: number;
  /** How many erased customers the vault knew when the file last forgot them (a later erasure makes the builder scrub it). */
  erasedForgotten: number;
}

export interface Snapshot {
  file: string;
  meta: SnapshotMeta;
}

/** What makes snapshots interchangeable with a replay of today's code. */
export interface SnapshotIdentity {
  projections: Record<string, string>;
  settings: string;
}

const PADDED = 15;
/** The builder's own files, beside the snapshots. */
const WORK = '.work';

/**
 * One set's snapshots in a directory of its own: `<position>.db` (the read-model SQLite file) and
 * `<position>.json` (its SnapshotMeta), the JSON written last, through a temporary name and a
 * rename, so a snapshot exists only once both are whole. Anything else found there (a temporary
 * file a crash left, a database without its JSON, a JSON that does not parse, a file of another
 * size, another identity) is deleted when the directory is listed; the builder's work files live
 * in `.work/`. Its users take turns (the replays' queue): nothing here locks.
 */
export class SnapshotLadder {
  constructor(
    readonly dir: string,
    private readonly identity: SnapshotIdentity,
  ) {}

  /** This identity's snapshots, lowest position first; deletes everything else in the directory. */
  list(): Snapshot[] {
    if (!fs.existsSync(this.dir)) return [];
    const names = new Set(fs.readdirSync(this.dir));
    const found: Snapshot[] = [];
    for (const name of names) {
      if (name === WORK) continue;
      const match = /^(\d+)\.json$/.exec(name);
      if (!match) {
        if (!/^\d+\.db$/.test(name) || !names.has(name.replace(/\.db$/, '.json'))) this.remove(name);
        continue;
      }
      const file = path.join(this.dir, `${match[1]}.db`);
      const meta = this.readMeta(path.join(this.dir, name));
      if (meta && meta.position === Number(match[1]) && this.sameIdentity(meta) && fileSize(file) === meta.bytes) found.push({ file, meta });
      else this.discardAt(match[1]);
    }
    return found.sort((a, b) => a.meta.position - b.meta.position);
  }

  /** The snapshot with the highest position whose events were all recorded by `asOf`; null when none is. */
  newestUsable(asOf: Date): Snapshot | null {
    const until = asOf.toISOString();
    const usable = this.list().filter((s) => s.meta.recordedUntil <= until);
    return usable.length === 0 ? null : usable[usable.length - 1];
  }

  /** A file for a snapshot being made, on the ladder's file system (a rename moves it in), left alone by `list`. */
  workFile(purpose: string): string {
    fs.mkdirSync(path.join(this.dir, WORK), { recursive: true });
    return path.join(this.dir, WORK, `${purpose}.db`);
  }

  /** Deletes the work files (what a builder that stopped mid-job left). */
  clearWork(): void {
    fs.rmSync(path.join(this.dir, WORK), { recursive: true, force: true });
  }

  /** Makes `file` (closed, in this directory) the snapshot at `meta.position`. */
  add(file: string, meta: Omit<SnapshotMeta, 'bytes' | 'projections' | 'settings'>): Snapshot {
    const id = String(meta.position).padStart(PADDED, '0');
    const full: SnapshotMeta = { ...meta, projections: this.identity.projections, settings: this.identity.settings, bytes: fileSize(file) };
    const target = path.join(this.dir, `${id}.db`);
    fs.renameSync(file, target);
    this.writeMeta(id, full);
    return { file: target, meta: full };
  }

  /** Replaces a snapshot's file by `file` (the same events, something forgotten), with its new metadata. */
  replace(snapshot: Snapshot, file: string, changes: Partial<Pick<SnapshotMeta, 'erasedForgotten'>>): Snapshot {
    const id = path.basename(snapshot.file, '.db');
    // the JSON goes first: between the two renames the snapshot does not exist, rather than being read with the wrong size
    fs.rmSync(path.join(this.dir, `${id}.json`), { force: true });
    fs.renameSync(file, snapshot.file);
    const meta = { ...snapshot.meta, ...changes, bytes: fileSize(snapshot.file) };
    this.writeMeta(id, meta);
    return { file: snapshot.file, meta };
  }

  discard(snapshot: Snapshot): void {
    this.discardAt(path.basename(snapshot.file, '.db'));
  }

  /**
   * Keeps at most `max` snapshots: while there are more, drops the one (never the newest) whose
   * neighbours are closest together in events, so the ladder thins evenly and the longest tail a
   * read replays grows as little as it can.
   */
  thin(max: number): void {
    const all = this.list();
    while (all.length > Math.max(1, max)) {
      let drop = 0;
      let narrowest = Number.POSITIVE_INFINITY;
      for (let i = 0; i < all.length - 1; i++) {
        const gap = all[i + 1].meta.events - (i === 0 ? 0 : all[i - 1].meta.events);
        if (gap < narrowest) [drop, narrowest] = [i, gap];
      }
      this.discard(all[drop]);
      all.splice(drop, 1);
    }
  }

  /** Every snapshot and leftover (the whole directory). */
  clear(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private writeMeta(id: string, meta: SnapshotMeta): void {
    const temporary = path.join(this.dir, `${id}.json.tmp`);
    fs.writeFileSync(temporary, JSON.stringify(meta));
    fs.renameSync(temporary, path.join(this.dir, `${id}.json`));
  }

  private readMeta(file: string): SnapshotMeta | null {
    try {
      const meta = JSON.parse(fs.readFileSync(file, 'utf8')) as SnapshotMeta;
      return typeof meta.position === 'number' && typeof meta.recordedUntil === 'string' && typeof meta.bytes === 'number' ? meta : null;
    } catch {
      return null;
    }
  }

  private sameIdentity(meta: SnapshotMeta): boolean {
    return meta.settings === this.identity.settings && sameVersions(meta.projections ?? {}, this.identity.projections);
  }

  private discardAt(id: string): void {
    // the JSON first: a database without its JSON is no snapshot
    this.remove(`${id}.json`);
    this.remove(`${id}.db`);
  }

  private remove(name: string): void {
    fs.rmSync(path.join(this.dir, name), { force: true, recursive: true });
  }
}

function sameVersions(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(b);
  return Object.keys(a).length === keys.length && keys.every((key) => a[key] === b[key]);
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return -1;
  }
}
