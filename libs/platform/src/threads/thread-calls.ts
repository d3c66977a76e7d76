import type { Worker } from 'node:worker_threads';

/** A thread's answer to a call: what it returned, or why it failed (the error's name and message). */
export type CallAnswer<Result> = { id: number; done: Result } | { id: number; failed: string };

/** What a thread says of a call it is still running (the projector's progress while it starts). */
export type CallProgress<Progress> = { id: number; progress: Progress };

export interface ThreadCallsOptions {
  /** The last call in flight was answered: `worker` has nothing left to do (the replay thread retires an idle one). */
  onIdle?: (worker: Worker) => void;
}

interface Waiting<Result, Progress> {
  worker: Worker;
  resolve(result: Result): void;
  reject(error: Error): void;
  onProgress?: (progress: Progress) => void;
}

/**
 * The calls in flight to a worker thread (the replay thread's steps, the projector thread's
 * calls), each under an id its answer carries back. A call in flight keeps the process alive (a
 * server still starting has nothing else to: the projector's start); an idle thread does not, so
 * a worker is referenced from the first call sent to it until the last one is answered. The
 * owner starts the thread, hands this its messages, and fails every call in flight when the
 * thread is lost, before it sends to the next one.
 */
export class ThreadCalls<Result, Progress = never> {
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting<Result, Progress>>();

  constructor(private readonly options: ThreadCallsOptions = {}) {}

  /** How many calls wait for their answer. */
  get inFlight(): number {
    return this.waiting.size;
  }

  /** Posts `request(id)` to `worker` under a new id; settles with the thread's answer to it. */
  send(worker: Worker, request: (id: number) => unknown, onProgress?: (progress: Progress) => void): Promise<Result> {
    const id = ++this.nextId;
    if (this.waiting.size === 0) worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { worker, resolve, reject, onProgress });
      worker.postMessage(request(id));
    });
  }

  /** Settles the call `message` answers, or tells it how far it is; a message for no call in flight (one failed already) is dropped. */
  received(message: CallAnswer<Result> | CallProgress<Progress>): void {
    const call = this.waiting.get(message.id);
    if (!call) return;
    if ('progress' in message) return call.onProgress?.(message.progress);
    this.waiting.delete(message.id);
    if (this.waiting.size === 0) {
      call.worker.unref();
      this.options.onIdle?.(call.worker);
    }
    if ('failed' in message) call.reject(new Error(message.failed));
    else call.resolve(message.done);
  }

  /** Fails every call in flight with `error` (their thread was lost, or closed). */
  failAll(error: Error): void {
    for (const call of this.waiting.values()) call.reject(error);
    this.waiting.clear();
  }
}
