import type { Distribution, FrozenTrial, Storage, StudyDirection } from '../types.js';

/** What a sampler sees when it proposes: the study's stored history and the trial being sampled. */
export interface SamplerContext {
  storage: Storage;
  studyId: number;
  directions: readonly StudyDirection[];
  /** Every trial of the study at ask time, in number order (the new trial included). */
  trials: readonly FrozenTrial[];
  /** The trial being sampled (RUNNING). */
  trial: FrozenTrial;
}

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
 * point. Define-by-run parameters are sampled one at a time
 * (`sampleIndependent`); samplers that model the joint space (GP, genetic,
 * QMC) also propose every parameter of a *relative* space at once: the
 * declared space if the trial has one, else the parameters every complete
 * trial has with the same distribution (Optuna's intersection search space).
 * A parameter outside that space falls back to independent sampling.
 */
export interface Sampler {
  /** Called before a trial exists; a reservation's parameters are fixed in the new trial. */
  reserve?(ctx: Omit<SamplerContext, 'trial'>): Promise<Reservation>;
  /** Whether this sampler models a joint space (otherwise every parameter is independent). */
  readonly relative: boolean;
  /** Values for every parameter of `space` (a relative space); may leave some out to sample them independently. */
  sampleRelative?(ctx: SamplerContext, space: Record<string, Distribution>): Promise<Record<string, unknown>>;
  /** One parameter on its own. */
  sampleIndependent(ctx: SamplerContext, name: string, distribution: Distribution): unknown;
}
