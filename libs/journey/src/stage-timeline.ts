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
  const transition = transitionFrom(current.stage, move);
  return { next: transition === 'stayed' ? current : { stage: move.stage, enteredAt: move.at }, transition };
}

function transitionFrom(stage: Stage, move: StageMove): Transition {
  const delta = stageIndex(move.stage) - stageIndex(stage);
  if (delta > 0) return 'entered';
  if (delta < 0 && move.kind === 'visit') return 'regressed';
  return 'stayed';
}

/**
 * The stage at instant `at`, counting every move at or before it (a new arrival ties last): the
 * fold of applyMove, kept as the last move that changed the stage, so that the decider's question
 * for every command allocates nothing per move.
 */
export function stageAt(moves: readonly StageMove[], at: number): StagePosition | null {
  let setBy: StageMove | null = null;
  for (const move of moves) {
    if (move.at > at) break;
    if (setBy === null || transitionFrom(setBy.stage, move) !== 'stayed') setBy = move;
  }
  return setBy && { stage: setBy.stage, enteredAt: setBy.at };
}
