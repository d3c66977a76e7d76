import { type Stage, stageIndex } from './stages';

/**
 * The stage a customer is in follows from the stage-bearing facts (touchpoint visits and
 * purchases) in `occurredAt` order, ties by arrival. Both the decider (which stage did this visit
 * leave?) and the journey view (the stage history) fold the same moves with `applyMove`, so a late
 * event lands where it happened instead of where it arrived.
 */
export interface StageMove {
  /** occurredAt in epoch milliseconds. */
  at: number;
  /** Arrival order within the stream: breaks ties in `at`. */
  seq: number;
  stage: Stage;
  kind: 'visit' | 'purchase';
  eventId: string;
  touchpoint?: string;
  channel?: string;
}

export interface StagePosition {
  stage: Stage;
  enteredAt: number;
}

export type Transition = 'entered' | 'regressed' | 'stayed';

export function compareMoves(a: StageMove, b: StageMove): number {
  return a.at - b.at || a.seq - b.seq;
}

/** A new sorted list with `move` in its place. */
export function insertMove(moves: readonly StageMove[], move: StageMove): StageMove[] {
  let i = moves.length;
  while (i > 0 && compareMoves(moves[i - 1], move) > 0) i--;
  return [...moves.slice(0, i), move, ...moves.slice(i)];
}

/**
 * Where one move takes a customer. A visit sets the stage (forwards or back); a purchase moves a
 * customer who has not yet bought forwards to `purchase` and never pulls a user or advocate back.
 */
export function applyMove(current: StagePosition | null, move: StageMove): { next: StagePosition; transition: Transition } {
  if (!current) return { next: { stage: move.stage, enteredAt: move.at }, transition: 'entered' };
  const delta = stageIndex(move.stage) - stageIndex(current.stage);
  if (delta > 0) return { next: { stage: move.stage, enteredAt: move.at }, transition: 'entered' };
  if (delta < 0 && move.kind === 'visit') return { next: { stage: move.stage, enteredAt: move.at }, transition: 'regressed' };
  return { next: current, transition: 'stayed' };
}

/** The stage at instant `at`, counting every move at or before it (a new arrival ties last). */
export function stageAt(moves: readonly StageMove[], at: number): StagePosition | null {
  let position: StagePosition | null = null;
  for (const move of moves) {
    if (move.at > at) break;
    position = applyMove(position, move).next;
  }
  return position;
}
