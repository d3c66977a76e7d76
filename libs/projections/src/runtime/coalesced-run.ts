/**
 * Runs a pass on demand and on a timer, one at a time: a wake-up during a pass schedules exactly
 * one more, so a burst of appends costs at most two passes. A failed pass is reported and waits
 * for the next wake-up (or tick) to try again. Shared by the projector, the churn-risk process and
 * the outbound publisher.
 */
export interface RunFailure {
  /** The latest failure's text. */
  error: string;
  /** When the passes started failing (the first failure of the streak). */
  since: Date;
}

export class CoalescedRun {
  private running: Promise<void> | null = null;
  private failure: RunFailure | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Set while passes keep failing (for `/health`): cleared by the next pass, or step of one, that succeeds. */
  get lastFailure(): RunFailure | null {
    return this.failure;
  }

  /** A step of a pass committed: the follower works again, even before its pass ends. */
  succeeded(): void {
    this.failure = null;
  }

  /** Also wakes every `intervalMs` (the timer does not keep the process alive). */
  every(intervalMs: number): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => this.wake(), intervalMs);
    this.timer.unref();
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  /** No more passes; resolves when the one under way has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.pass();
        this.failure = null;
      } catch (error) {
        const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.failure = { error: text, since: this.failure?.since ?? new Date() };
        this.onError(error);
        return;
      }
    } while (this.again && !this.stopped);
  }
}
