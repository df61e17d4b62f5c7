// The compute worker runs one request at a time on one thread: a step that never ends (a tokenizer whose
// regular expression backtracks for hours, a forward pass on a model too big for the machine) blocks every
// later message, Cancel included. The worker says which step it is in ('step' messages); the page replaces
// the worker when a step goes without any sign of life (no message at all) for longer than that step may.
import { t } from '../i18n/index.ts';

/** The steps of the worker's requests, as it announces them. */
export const WORK_STEPS = ['start', 'download', 'build', 'tokenizer', 'tokenize', 'forward', 'analysis', 'compute', 'sweep'] as const;
export type WorkStep = (typeof WORK_STEPS)[number];

/**
 * How long each step may go without a message before the worker is replaced. Generous: a slow phone on a
 * large checkpoint must not be cut off; steps that report progress (downloads, conversion, sweeps) restart
 * their clock with every report. Tokenizing is the short one: it is linear in the text for every real
 * tokenizer, and it is where a hostile pattern hangs.
 */
export const STEP_BUDGET_MS: Record<WorkStep, number> = {
  start: 60_000,
  download: 180_000,
  build: 120_000,
  tokenizer: 30_000,
  tokenize: 20_000,
  forward: 300_000,
  analysis: 120_000,
  compute: 60_000,
  sweep: 180_000,
};

/** A step name from the worker (untrusted only in the sense of a version mismatch), or null when unknown. */
export function asWorkStep(value: unknown): WorkStep | null {
  return (WORK_STEPS as readonly unknown[]).includes(value) ? (value as WorkStep) : null;
}

/** A step as the user reads it ("tokenizing the text"); an unknown name as it is. */
export function stepText(step: string): string {
  const known = asWorkStep(step);
  return known ? t(`step.${known}`) : step;
}

/** Fires `onExpire(step)` once a step has gone its budget without a beat; idle (step null) never fires. */
export class Watchdog {
  private current: WorkStep | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly onExpire: (step: WorkStep) => void,
    private readonly budgets: Record<WorkStep, number> = STEP_BUDGET_MS,
  ) {}

  /** The step the worker last announced (null: idle). */
  get running(): WorkStep | null {
    return this.current;
  }

  /** The worker entered `step` (null: it has nothing to do). */
  step(step: WorkStep | null): void {
    this.current = step;
    this.beat();
  }

  /** A sign of life: the current step's clock starts again. */
  beat(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const step = this.current;
    if (step === null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.current = null;
      this.onExpire(step);
    }, this.budgets[step]);
  }

  stop(): void {
    this.step(null);
  }
}
