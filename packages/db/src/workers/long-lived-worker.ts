// One long-lived worker thread that many callers share: each call is a request pending by id, at most
// `concurrency` run in the worker at once and at most `maxWaiting` wait behind them (past that a call is refused
// as busy), the worker is unref'd while idle so it never keeps the process alive, and it starts again on the next
// call after it died (the calls it was running fail, the waiting ones go to the new worker). Starting a worker
// costs its caller's thread tens of ms (issue 13, item 3), hence one kept for the process's life. close()
// terminates it: an App closes every worker it owns, so a closed App leaves nothing running.
import type { Transferable, Worker } from 'node:worker_threads';
import { startModuleWorker } from '../datasets/module-worker';

/** A worker's message for one call: the answer (either way), or `undefined` while more come (progress). */
export type CallOutcome<T> = { value: T } | { error: Error } | undefined;

/** Posts one of a call's messages to the worker; `transfer` hands buffers over instead of copying them. */
export type PostToWorker<In> = (message: In, transfer?: readonly Transferable[]) => void;

export interface WorkerCall<In, Out, T> {
  /**
   * Posts the call's messages, each carrying `id`: all at once, or as they come (a request body streamed). A
   * throw (or a rejection) ends the call with that error; telling the worker to drop what it got is the call's.
   */
  send(post: PostToWorker<In>, id: number): void | Promise<void>;
  /** One of the worker's messages for this call. */
  receive(message: Out): CallOutcome<T>;
}

export interface LongLivedWorkerOptions {
  /** Said in errors: "upload worker exited with code 1". */
  name: string;
  /** The worker's .ts entry (startModuleWorker). */
  entry: URL;
  workerData?: unknown;
  /** Calls running in the worker at once; more wait. Default: no limit. */
  concurrency?: number;
  /** Calls that may wait for a free place; past it `busy` refuses the call. Default: no limit. */
  maxWaiting?: number;
  /** The refusal of a call that finds `waiting` calls already waiting. */
  busy?: (waiting: number) => Error;
  /** A worker's message that belongs to no running call (news it sends unasked, e.g. its own work's progress). */
  unsolicited?: (message: unknown) => void;
  /** Called as each worker starts (the first, or one after a death), before any call: e.g. to `tell` it to resume work. */
  onStart?: () => void;
}

interface Call {
  id: number;
  send: (post: PostToWorker<unknown>, id: number) => void | Promise<void>;
  receive: (message: { id: number }) => CallOutcome<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class LongLivedWorker<In extends { id: number }, Out extends { id: number }> {
  readonly #options: LongLivedWorkerOptions;
  readonly #running = new Map<number, Call>();
  readonly #waiting: Call[] = [];
  #worker: Worker | null = null;
  #nextId = 1;
  #started = 0;
  #closed = false;

  constructor(options: LongLivedWorkerOptions) {
    this.#options = options;
  }

  /** Workers started so far: one for any number of calls, unless one died. */
  get workersStarted(): number {
    return this.#started;
  }

  /** Calls running or waiting now. */
  get pending(): number {
    return this.#running.size + this.#waiting.length;
  }

  /**
   * Starts the worker now, before any call (idle, it never keeps the process alive): the first call then does
   * not pay the start on its caller's thread. Does nothing when one runs or after close().
   */
  start(): void {
    if (this.#closed || this.#worker) return;
    this.#current();
    this.#next();
  }

  /**
   * Posts a message that asks for no answer (a command), starting the worker if none runs; its id is a fresh one.
   * Nothing waits for it, so it never keeps the worker (or the process) busy. Ignored after close().
   */
  tell(message: (id: number) => In, transfer?: readonly Transferable[]): void {
    if (this.#closed) return;
    const worker = this.#current();
    worker.postMessage(message(this.#nextId++), transfer);
    this.#next();
  }

  /** Runs one call in the worker: queued behind others when the worker is at its concurrency. */
  call<T>(call: WorkerCall<In, Out, T>): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closedError());
    const { concurrency = Number.POSITIVE_INFINITY, maxWaiting = Number.POSITIVE_INFINITY } = this.#options;
    const mustWait = this.#running.size >= concurrency;
    if (mustWait && this.#waiting.length >= maxWaiting) {
      const busy = this.#options.busy?.(this.#waiting.length) ?? new Error(`${this.#options.name} is busy`);
      return Promise.reject(busy);
    }
    return new Promise<T>((resolve, reject) => {
      const queued: Call = {
        id: this.#nextId++,
        send: call.send as Call['send'],
        receive: call.receive as Call['receive'],
        resolve: resolve as (value: unknown) => void,
        reject,
      };
      if (mustWait) this.#waiting.push(queued);
      else this.#run(queued);
    });
  }

  /** Terminates the worker; calls running or waiting fail. Later calls are refused. */
  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = null;
    this.#failAll(this.#closedError());
    if (worker) {
      worker.removeAllListeners();
      await worker.terminate();
    }
  }

  #run(call: Call): void {
    const worker = this.#current();
    this.#running.set(call.id, call);
    worker.ref();
    const post: PostToWorker<unknown> = (message, transfer) => worker.postMessage(message, transfer);
    Promise.resolve()
      .then(() => call.send(post, call.id))
      .catch((error: unknown) => this.#settle(call, { error: asError(error) }));
  }

  /** The running worker, or a new one (the first call, or the first after one died). */
  #current(): Worker {
    if (this.#worker) return this.#worker;
    const worker = startModuleWorker(this.#options.entry, this.#options.workerData ?? null);
    this.#started++;
    worker.on('message', (message: Out) => {
      const call = this.#running.get(message.id);
      if (!call) {
        this.#options.unsolicited?.(message);
        return;
      }
      const outcome = call.receive(message);
      if (outcome) this.#settle(call, outcome);
    });
    const died = (error: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = null;
      const running = [...this.#running.values()];
      this.#running.clear();
      for (const call of running) call.reject(error);
      this.#next();
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`${this.#options.name} exited with code ${code}`)));
    this.#worker = worker;
    this.#options.onStart?.();
    return worker;
  }

  #settle(call: Call, outcome: { value: unknown } | { error: Error }): void {
    if (this.#running.get(call.id) !== call) return;
    this.#running.delete(call.id);
    if ('error' in outcome) call.reject(outcome.error);
    else call.resolve(outcome.value);
    this.#next();
  }

  /** Starts waiting calls while there is room; idle, the worker never keeps the process alive. */
  #next(): void {
    const concurrency = this.#options.concurrency ?? Number.POSITIVE_INFINITY;
    while (this.#running.size < concurrency && this.#waiting.length > 0) this.#run(this.#waiting.shift()!);
    if (this.#running.size === 0) this.#worker?.unref();
  }

  #failAll(error: Error): void {
    const calls = [...this.#running.values(), ...this.#waiting.splice(0)];
    this.#running.clear();
    for (const call of calls) call.reject(error);
  }

  #closedError(): Error {
    return new Error(`${this.#options.name} closed`);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
