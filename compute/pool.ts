// The worker pool (issue 25, "Threads"): where the page cannot be cross-origin isolated, wasm runs one
// thread, so the compute worker starts N − 1 more workers (copies of itself, each with the single-threaded
// build and its own copy of the model) and splits a job's independent forward passes between them and
// itself. A job is a list of tasks claimed one at a time by whoever is free, the compute worker included;
// a member that fails or goes silent is dropped and its task goes back to be run by someone else.
import type { FromMember, JobContext, ModelSpec, TaskResult, TaskSpec, ToMember } from './poolProtocol.ts';

/** A member as the pool sees it: a Worker in the browser, an in-process stand-in in tests. */
export interface MemberPort {
  post(msg: ToMember): void;
  /** Messages, and a failure (an error event, a crash) with its reason. */
  listen(onMessage: (msg: FromMember) => void, onFail: (why: string) => void): void;
  terminate(): void;
}

/** Why a member was dropped: it failed (an error, a failed load or task) or went silent on a task. */
export interface PoolNotice {
  reason: 'failed' | 'silent';
  detail: string;
}

let nextJobId = 1;

/**
 * Tasks 0…total − 1, each run once: claimed by the compute worker or a member, completed, or given back
 * when a member is dropped (then claimed again first). Paused or cancelled, nothing is handed out.
 */
export class PoolJob<R extends TaskResult> {
  readonly id = nextJobId++;
  private next = 0;
  private readonly retry: number[] = [];
  private completed = 0;
  private readonly waiters = new Set<() => void>();
  /** Tasks held by members (given out, not yet completed). */
  readonly held = new Set<number>();
  /** The worker that ran each task ('self' or a member's number), for the status and the tests. */
  readonly ranBy = new Map<number, string>();
  paused = false;
  cancelled = false;

  constructor(
    readonly total: number,
    private readonly onResult: (index: number, value: R) => void,
  ) {}

  get finished(): boolean {
    return this.completed === this.total;
  }

  /** The next task to run, or null (none left to hand out now, paused, cancelled). */
  claim(): number | null {
    if (this.paused || this.cancelled) return null;
    if (this.retry.length) return this.retry.shift()!;
    return this.next < this.total ? this.next++ : null;
  }

  complete(index: number, value: R, by = 'self'): void {
    if (this.cancelled || this.ranBy.has(index)) return;
    this.held.delete(index);
    this.ranBy.set(index, by);
    this.completed++;
    this.onResult(index, value);
    this.signal();
  }

  /** A dropped member's task: the next claim takes it. */
  giveBack(index: number): void {
    this.held.delete(index);
    if (!this.ranBy.has(index)) this.retry.push(index);
    this.signal();
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    this.signal();
  }

  cancel(): void {
    this.cancelled = true;
    this.signal();
  }

  /** Resolves at the next change: a task completed or given back, a pause, a resume, a cancel. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.add(resolve));
  }

  /** Called on every change, until it returns false (the pool feeds its idle members from here). */
  watch(fn: () => boolean): void {
    const again = () => {
      if (fn()) this.changed().then(again, () => undefined);
    };
    this.changed().then(again, () => undefined);
  }

  private signal(): void {
    const ws = [...this.waiters];
    this.waiters.clear();
    ws.forEach((w) => w());
  }
}

/** A job as the pool runs it: what members need, and how a task is written for them. */
export interface SharedJob<R extends TaskResult> {
  job: PoolJob<R>;
  model: ModelSpec;
  context: JobContext;
  task(index: number): TaskSpec;
}

interface Member {
  no: number;
  port: MemberPort;
  /** The model it has loaded (or is loading), by key; ready once it said so. */
  model: string | null;
  ready: boolean;
  /** The job whose context it has. */
  contextOf: number | null;
  task: { job: PoolJob<TaskResult>; index: number; timer: ReturnType<typeof setTimeout>; started: number } | null;
}

export interface PoolOptions {
  /** A member with a task is dropped after this long without an answer, at least (ms). */
  minSilentMs?: number;
  /** … and at least this many times the longest task seen so far. */
  silentFactor?: number;
}

/**
 * Members of the compute worker's pool. `resize(n)` keeps n of them (started lazily); `share(job)` lets
 * every member holding the job's model claim its tasks until none is left (a member without the model
 * loads it first and joins when ready). One job at a time: sharing a second replaces the first for the
 * members (the first still runs on its own claimer).
 */
export class WorkerPool {
  private members: Member[] = [];
  private shared: SharedJob<TaskResult> | null = null;
  private nextNo = 1;
  private longestTask = 0;
  private readonly minSilentMs: number;
  private readonly silentFactor: number;

  constructor(
    private readonly spawn: () => MemberPort,
    private readonly notify: (n: PoolNotice) => void,
    opts: PoolOptions = {},
  ) {
    this.minSilentMs = opts.minSilentMs ?? 120_000;
    this.silentFactor = opts.silentFactor ?? 20;
  }

  /** Members now (the compute worker not counted). */
  get size(): number {
    return this.members.length;
  }

  /** Keeps `n` members: starts the missing ones, ends the extra (idle ones first). */
  resize(n: number): void {
    const want = Math.max(0, Math.floor(n));
    while (this.members.length < want) this.members.push(this.start());
    while (this.members.length > want) {
      const idle = this.members.findIndex((m) => !m.task);
      this.drop(this.members[idle >= 0 ? idle : this.members.length - 1], null);
    }
  }

  /** Lets the members run `shared`'s tasks (the caller claims and runs tasks too, see PoolJob). */
  share<R extends TaskResult>(shared: SharedJob<R>): void {
    this.shared = shared as unknown as SharedJob<TaskResult>;
    const job = this.shared.job;
    for (const m of this.members) this.prepare(m);
    job.watch(() => {
      if (this.shared?.job !== job) return false;
      this.feedAll();
      return !job.finished && !job.cancelled;
    });
  }

  /** Ends every member. */
  close(): void {
    this.resize(0);
    this.shared = null;
  }

  /** Records how long a task took here, for the silence budget. */
  timed(ms: number): void {
    this.longestTask = Math.max(this.longestTask, ms);
  }

  private start(): Member {
    const m: Member = { no: this.nextNo++, port: this.spawn(), model: null, ready: false, contextOf: null, task: null };
    m.port.listen(
      (msg) => this.onMessage(m, msg),
      (why) => this.fail(m, 'failed', why),
    );
    this.prepare(m);
    return m;
  }

  /** Gives a member the shared job's model (when it lacks it) and feeds it. */
  private prepare(m: Member): void {
    const s = this.shared;
    if (!s || s.job.finished || s.job.cancelled) return;
    if (m.model !== s.model.key) {
      m.model = s.model.key;
      m.ready = false;
      m.port.post({ type: 'model', model: s.model });
      return;
    }
    this.feed(m);
  }

  private feedAll(): void {
    for (const m of [...this.members]) this.feed(m);
  }

  private feed(m: Member): void {
    const s = this.shared;
    if (!s || m.task || !m.ready || m.model !== s.model.key) return;
    const index = s.job.claim();
    if (index === null) return;
    if (m.contextOf !== s.job.id) {
      m.port.post({ type: 'context', job: s.job.id, context: s.context });
      m.contextOf = s.job.id;
    }
    const budget = Math.max(this.minSilentMs, this.silentFactor * this.longestTask);
    m.task = { job: s.job, index, started: performance.now(), timer: setTimeout(() => this.fail(m, 'silent', `no answer in ${Math.round(budget / 1000)} s`), budget) };
    s.job.held.add(index);
    try {
      m.port.post({ type: 'task', job: s.job.id, index, task: s.task(index) });
    } catch (e) {
      this.fail(m, 'failed', e instanceof Error ? e.message : String(e));
    }
  }

  private onMessage(m: Member, msg: FromMember): void {
    if (!this.members.includes(m)) return;
    if (msg.type === 'ready') {
      if (msg.key === m.model) m.ready = true;
      this.feed(m);
    } else if (msg.type === 'load-failed') this.fail(m, 'failed', msg.message);
    else if (msg.type === 'task-failed') this.fail(m, 'failed', msg.message);
    else if (msg.type === 'result') {
      const t = m.task;
      if (!t || t.job.id !== msg.job || t.index !== msg.index) return;
      clearTimeout(t.timer);
      m.task = null;
      this.timed(performance.now() - t.started);
      t.job.complete(msg.index, msg.value, `member ${m.no}`);
      this.feed(m);
    }
  }

  /** Drops a member that failed or went silent: its task goes back, a new member takes its place later. */
  private fail(m: Member, reason: PoolNotice['reason'], detail: string): void {
    if (!this.members.includes(m)) return;
    this.drop(m, { reason, detail });
  }

  private drop(m: Member, notice: PoolNotice | null): void {
    this.members = this.members.filter((x) => x !== m);
    if (m.task) {
      clearTimeout(m.task.timer);
      m.task.job.giveBack(m.task.index);
      m.task = null;
    }
    m.port.terminate();
    if (notice) this.notify(notice);
  }
}

/** Callbacks waiting for the next turn of the event loop (one channel for all: a port nobody holds may be collected with its message). */
const waitingTurn: (() => void)[] = [];
let turns: MessageChannel | null = null;

/**
 * Lets the worker read its messages (the members' answers, a cancel) before going on: a forward pass on wasm
 * resolves in microtasks only, so a loop of them would read none until it ends. A MessageChannel turn is not
 * clamped as nested timers are; Node (the tests) has setImmediate.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') {
      setImmediate(resolve);
      return;
    }
    if (!turns) {
      turns = new MessageChannel();
      turns.port1.onmessage = () => waitingTurn.shift()?.();
    }
    waitingTurn.push(resolve);
    turns.port2.postMessage(null);
  });
}

/**
 * Runs a job's tasks here until every one is done: claims the next (members claim theirs meanwhile), or
 * waits for a member's answer or a task given back. `stop` (checked before each task) cancels the job.
 */
export async function runShared<R extends TaskResult>(job: PoolJob<R>, local: (index: number) => Promise<R>, pool: WorkerPool | null, stop: () => boolean = () => false): Promise<void> {
  for (;;) {
    // Read the members' answers first: they may finish the job.
    await nextTurn();
    if (job.finished || job.cancelled) return;
    if (stop()) {
      job.cancel();
      return;
    }
    const index = job.claim();
    if (index === null) {
      await job.changed();
      continue;
    }
    const t0 = performance.now();
    const value = await local(index);
    pool?.timed(performance.now() - t0);
    job.complete(index, value);
  }
}
