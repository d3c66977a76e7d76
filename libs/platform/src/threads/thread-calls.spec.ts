import { Worker } from 'node:worker_threads';
import { ThreadCalls, type CallAnswer, type CallProgress } from './thread-calls';

/** What the test thread is told: the messages to post back at once (any call's answers), or to exit. */
type Say = { say: Array<CallAnswer<string> | CallProgress<number>> } | { exit: number };

/** A thread that says what it is told, when it is told: a call it is sent without its answer stays in flight. */
const echo = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (told) => {
  if ('exit' in told) process.exit(told.exit);
  for (const message of told.say) parentPort.postMessage(message);
});`;

describe('the calls in flight to a worker thread', () => {
  let worker: Worker;
  let calls: ThreadCalls<string, number>;
  let idle: Worker[];
  let refs: Array<'ref' | 'unref'>;
  beforeEach(() => {
    worker = new Worker(echo, { eval: true });
    worker.unref();
    idle = [];
    calls = new ThreadCalls<string, number>({ onIdle: (w) => idle.push(w) });
    worker.on('message', (message: CallAnswer<string> | CallProgress<number>) => calls.received(message));
    worker.on('exit', (code) => calls.failAll(new Error(`exited with code ${code}`)));
    // what keeps the process alive, in the order it was asked
    refs = [];
    for (const kind of ['ref', 'unref'] as const) {
      const original = worker[kind].bind(worker);
      jest.spyOn(worker, kind).mockImplementation(() => {
        refs.push(kind);
        original();
      });
    }
  });
  afterEach(() => worker.terminate());

  /** Sends a call the thread leaves unanswered (until told): its id, and its answer to come. */
  const held = (onProgress?: (progress: number) => void) => {
    let id = 0;
    const answer = calls.send(
      worker,
      (given) => {
        id = given;
        return { say: [] } satisfies Say;
      },
      onProgress,
    );
    return { id, answer };
  };
  const say = (...messages: Array<CallAnswer<string> | CallProgress<number>>) => worker.postMessage({ say: messages } satisfies Say);

  it('settles each call with the answer carrying its id, in whatever order they come', async () => {
    const first = held();
    const second = held();
    const third = held();
    const answers = Promise.allSettled([first.answer, second.answer, third.answer]);
    say({ id: third.id, done: 'three' }, { id: first.id, failed: 'Error: no' }, { id: second.id, done: 'two' });
    expect(await answers).toEqual([
      { status: 'rejected', reason: new Error('Error: no') },
      { status: 'fulfilled', value: 'two' },
      { status: 'fulfilled', value: 'three' },
    ]);
    expect(calls.inFlight).toBe(0);
  });

  it('sends a call the request built with its id', async () => {
    await expect(calls.send(worker, (id) => ({ say: [{ id, done: `answered ${id}` }] }) satisfies Say)).resolves.toBe('answered 1');
    await expect(calls.send(worker, (id) => ({ say: [{ id, done: `answered ${id}` }] }) satisfies Say)).resolves.toBe('answered 2');
  });

  it('keeps the thread referenced from the first call sent until the last one is answered, then says it is idle', async () => {
    const first = held();
    const second = held();
    expect(refs).toEqual(['ref']);
    say({ id: first.id, done: 'one' });
    await first.answer;
    expect(refs).toEqual(['ref']);
    expect(idle).toEqual([]);
    say({ id: second.id, done: 'two' });
    await second.answer;
    expect(refs).toEqual(['ref', 'unref']);
    expect(idle).toEqual([worker]);
    // the next call references it again
    const third = held();
    expect(refs).toEqual(['ref', 'unref', 'ref']);
    say({ id: third.id, failed: 'Error: no' });
    await expect(third.answer).rejects.toThrow('Error: no');
    expect(refs).toEqual(['ref', 'unref', 'ref', 'unref']);
    expect(idle).toEqual([worker, worker]);
  });

  it('tells a call how far it is, and drops what is said of no call in flight', async () => {
    const seen: number[] = [];
    const call = held((progress) => seen.push(progress));
    const quiet = held();
    say({ id: call.id, progress: 1 }, { id: quiet.id, progress: 5 }, { id: call.id, progress: 2 }, { id: 99, done: 'nobody asked' });
    say({ id: quiet.id, done: 'quiet' });
    await quiet.answer;
    expect(seen).toEqual([1, 2]);
    expect(calls.inFlight).toBe(1);
    expect(refs).toEqual(['ref']);
    say({ id: call.id, done: 'done' }, { id: call.id, done: 'again' }, { id: call.id, progress: 3 });
    await expect(call.answer).resolves.toBe('done');
    expect(seen).toEqual([1, 2]);
    expect(refs).toEqual(['ref', 'unref']);
    expect(idle).toHaveLength(1);
  });

  it('fails every call in flight with why when the thread is lost, and none after', async () => {
    const first = held();
    const second = held();
    const answered = calls.send(worker, (id) => ({ say: [{ id, done: 'before' }] }) satisfies Say);
    await expect(answered).resolves.toBe('before');
    const lost = Promise.allSettled([first.answer, second.answer]);
    worker.postMessage({ exit: 3 } satisfies Say);
    const why = { status: 'rejected', reason: new Error('exited with code 3') };
    expect(await lost).toEqual([why, why]);
    expect(calls.inFlight).toBe(0);
    // failed, not answered: no one is told the thread is idle
    expect(idle).toEqual([]);

    // the next thread takes calls under ids of its own
    const next = new Worker(echo, { eval: true });
    try {
      next.on('message', (message: CallAnswer<string>) => calls.received(message));
      const answer = calls.send(next, (id) => ({ say: [{ id, done: `answered ${id}` }] }) satisfies Say);
      await expect(answer).resolves.toBe('answered 4');
      expect(idle).toEqual([next]);
    } finally {
      await next.terminate();
    }
  });
});
