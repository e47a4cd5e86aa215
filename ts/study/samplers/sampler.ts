import type { Distribution, FrozenTrial, Storage, StudyDirection, TransferSource } from '../types.js';

/** What a sampler sees when it proposes: the study's stored history and the trial being sampled. */
export interface SamplerContext {
  storage: Storage;
  studyId: number;
  directions: readonly StudyDirection[];
  /**
   * The study's trials as read when the trial was asked for, in number order
   * (the new trial included, RUNNING). Every method of a sampler that reads
   * the history gets them: `inferRelativeSpace`, `sampleRelative`, and
   * `sampleIndependent` when the sampler sets {@link Sampler.usesHistory} (or
   * infers a relative space); otherwise `sampleIndependent` gets an empty
   * list, so samplers that ignore the past cost no history read per trial.
   */
  trials: readonly FrozenTrial[];
  /** The trial being sampled (RUNNING). */
  trial: FrozenTrial;
  /** The space declared for this trial (`createStudy({ space })` or `ask({ space })`), if any. */
  declared?: Readonly<Record<string, Distribution>>;
  /** The old studies this study transfers from (`createStudy({ transferFrom })`), if any: the GP sampler's RGPE base models, TPE's and CMA-ES's warm start. */
  transfer?: readonly TransferSource[];
}

/** What {@link Sampler.afterTrial} sees besides the ended trial. */
export type AfterTrialContext = Pick<SamplerContext, 'storage' | 'studyId' | 'directions'>;

/** Parameters fixed before the trial is created (a grid point), or why there are none. */
export type Reservation =
  | {
      params: Record<string, unknown>;
      distributions: Record<string, Distribution>;
      systemAttrs?: Record<string, unknown>;
      /** A key the trial takes in the same transaction that creates it (no other trial of the study can hold it). */
      claim?: string;
    }
  | 'exhausted'
  | null;

/**
 * A sampler proposes parameters from the stored history plus its own options
 * and seed, so any worker that can read the storage can propose the next
 * point. The study calls it in this order for each trial:
 *
 * 1. `reserve` (optional), before the trial exists: a grid point, say;
 * 2. `inferRelativeSpace` (optional), once the trial exists: the parameters
 *    the sampler proposes jointly for it (Optuna's
 *    `infer_relative_search_space`). {@link defaultRelativeSpace} is the usual
 *    choice: the declared space if there is one, else the parameters every
 *    complete trial has with the same distribution;
 * 3. `sampleRelative` with that space (minus fixed parameters), if not empty;
 * 4. `sampleIndependent` for each parameter the objective suggests that step 3
 *    did not cover (define-by-run), synchronously;
 * 5. `afterTrial` (optional), when the study's `tell` has stored the trial's
 *    end (COMPLETE, PRUNED or FAIL), before `tell` returns. A trial another
 *    worker reaped (its heartbeat stopped) gets no call.
 *
 * A sampler keeps no state that changes what it proposes: everything it needs
 * is in the history (and in the attributes it writes to the storage).
 */
export interface Sampler {
  /** Called before a trial exists; a reservation's parameters are fixed in the new trial. */
  reserve?(ctx: Omit<SamplerContext, 'trial'>): Promise<Reservation>;
  /** The relative space of the trial being sampled; without it every parameter is sampled on its own. */
  inferRelativeSpace?(ctx: SamplerContext): Record<string, Distribution>;
  /** Values for every parameter of `space` (a relative space); may leave some out to sample them independently. */
  sampleRelative?(ctx: SamplerContext, space: Record<string, Distribution>): Promise<Record<string, unknown>>;
  /** Whether `sampleIndependent` reads `ctx.trials` (implied by `inferRelativeSpace`). @default false */
  readonly usesHistory?: boolean;
  /** One parameter on its own. */
  sampleIndependent(ctx: SamplerContext, name: string, distribution: Distribution): unknown;
  /** Called after `tell` stored the end of a trial this study object asked for; an error it throws is `tell`'s (the result stays stored). */
  afterTrial?(ctx: AfterTrialContext, trial: FrozenTrial): Promise<void> | void;
}
