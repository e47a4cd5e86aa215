import { TunekitError } from '../errors.js';
import { HyperbandPruner } from '../study/pruners/hyperband.js';
import { MedianPruner, PercentilePruner } from '../study/pruners/median.js';
import { NopPruner, type Pruner } from '../study/pruners/pruner.js';
import { SuccessiveHalvingPruner } from '../study/pruners/successive_halving.js';
import { CmaEsSampler } from '../study/samplers/cmaes.js';
import { AutoSampler } from '../study/samplers/auto.js';
import { GeneticSampler } from '../study/samplers/genetic.js';
import { GPSampler } from '../study/samplers/gp.js';
import { GridSampler } from '../study/samplers/grid.js';
import { QMCSampler } from '../study/samplers/qmc.js';
import { RandomSampler } from '../study/samplers/random.js';
import { TPESampler } from '../study/samplers/tpe.js';
import { MultiFidelityTPESampler } from '../study/samplers/multifidelity_tpe.js';
import { MultiFidelityGPSampler } from '../study/samplers/multifidelity_gp.js';
import type { Sampler } from '../study/samplers/sampler.js';
import type { Distribution, StudyDirection } from '../study/types.js';
import { ConfigError, fail, positive } from './config_checks.js';

/** Checks one option's value where the CLI owns the rule (a shorthand); `path` names it in the message (`sampler.options.kappa`). */
export type OptionCheck = (value: unknown, path: string) => void;

/** The parts of a config a sampler or pruner may depend on. */
export interface RegistryContext {
  space: Readonly<Record<string, Distribution>>;
  directions: readonly StudyDirection[];
}

/**
 * What the CLI knows of one sampler or pruner: the options a config may give,
 * the checks that need the rest of the config, and how to build it. Option
 * values are checked by the constructor itself (one owner for each rule):
 * the config is validated by building the object once, and a refusal becomes
 * a config error; only options the CLI adds (shorthands) have a check here.
 * A new sampler is its file in `ts/study/samplers/` plus one entry in
 * {@link SAMPLERS}.
 */
export interface RegistryEntry<T> {
  /** Option name → null (the constructor checks it) or the CLI's own check. */
  options: Readonly<Record<string, OptionCheck | null>>;
  /** Checks of the rest of the config (a sampler that needs some kind of space, one objective, …). */
  check?(c: RegistryContext): void;
  /** Builds it; no trial exists yet when it is called. */
  create(options: Record<string, unknown>, c: RegistryContext): T;
  /** Whether the sampler stops by itself (exhausts its points), so a config needs neither nTrials nor timeout. @default false */
  finite?: boolean;
}

/** Every value the grid sampler visits for one parameter of the space. */
function gridValues(d: Distribution): unknown[] {
  if (d.type === 'categorical') return [...d.choices];
  const step = d.step ?? 1;
  const n = Math.round((d.high - d.low) / step) + 1;
  if (n > 100_000) throw new ConfigError(`the grid sampler would enumerate ${n} values of one parameter`);
  return Array.from({ length: n }, (_, i) => d.low + i * step);
}

const SAMPLER_ENTRIES = {
  auto: { options: { seed: null, gpTrials: null }, create: (o) => new AutoSampler(o) },
  random: { options: { seed: null }, create: (o) => new RandomSampler(o) },
  grid: {
    options: { seed: null },
    check: ({ space }) => {
      for (const [name, d] of Object.entries(space)) {
        if (d.type === 'float' && d.step === undefined) fail(`space.${name}`, 'the grid sampler needs categorical, int or stepped float parameters');
      }
    },
    create: (o, { space }) => new GridSampler(Object.fromEntries(Object.entries(space).map(([n, d]) => [n, gridValues(d)])), o),
    finite: true,
  },
  qmc: { options: { seed: null }, create: (o) => new QMCSampler(o) },
  gp: {
    options: {
      seed: null,
      nStartupTrials: null,
      kernel: null,
      acquisition: null,
      /** The CLI's shorthand for `acquisition: { kind: ucb, kappa }`. */
      kappa: (v, p) => void positive(v, p),
    },
    check: ({ directions }) => {
      if (directions.length > 1) fail('sampler.type', `the gp sampler optimises one objective; this config has ${directions.length} directions (use genetic)`);
    },
    create: (o) => {
      const { kappa, ...rest } = o;
      return new GPSampler(kappa === undefined ? rest : { ...rest, acquisition: { kind: 'ucb', kappa: kappa as number } });
    },
  },
  tpe: {
    options: {
      seed: null,
      nStartupTrials: null,
      nEiCandidates: null,
      multivariate: null,
      group: null,
      constantLiar: null,
      priorWeight: null,
      considerEndpoints: null,
      considerMagicClip: null,
      failureAware: null,
    },
    create: (o) => new TPESampler(o),
  },
  genetic: {
    options: { seed: null, populationSize: null, elitism: null, selection: null, crossover: null, mutation: null, init: null },
    create: (o) => new GeneticSampler(o),
  },
  cmaes: {
    options: {
      seed: null,
      sigma0: null,
      nStartupTrials: null,
      restartStrategy: null,
      incPopsize: null,
      popsize: null,
      useSeparableCma: null,
      withMargin: null,
      warmStartStudy: null,
      considerPrunedTrials: null,
      failureAware: null,
    },
    check: ({ directions }) => {
      if (directions.length > 1) fail('sampler.type', `the cmaes sampler optimises one objective; this config has ${directions.length} directions (use genetic or tpe)`);
    },
    create: (o) => new CmaEsSampler(o),
  },
  multifidelity_tpe: {
    options: { seed: null, minPointsInModel: null, randomFraction: null, nEiCandidates: null, priorWeight: null, lowerBudgetsAsBad: null },
    check: ({ directions }) => {
      if (directions.length > 1) fail('sampler.type', `the multifidelity_tpe sampler optimises one objective; this config has ${directions.length} directions (use tpe)`);
    },
    create: (o) => new MultiFidelityTPESampler(o),
  },
  multifidelity_gp: {
    options: { seed: null, nStartupTrials: null, maxBudget: null, budgetsPerTrial: null, kernel: null, acquisition: null, failureAware: null },
    check: ({ directions }) => {
      if (directions.length > 1) fail('sampler.type', `the multifidelity_gp sampler optimises one objective; this config has ${directions.length} directions (use tpe)`);
    },
    create: (o) => new MultiFidelityGPSampler(o),
  },
} satisfies Record<string, RegistryEntry<Sampler>>;

/** A sampler type a config can name. */
export type SamplerType = keyof typeof SAMPLER_ENTRIES;

/** The samplers a config can name (`sampler: { type, options }`). */
export const SAMPLERS: Readonly<Record<SamplerType, RegistryEntry<Sampler>>> = SAMPLER_ENTRIES;

const STEPS = { nStartupTrials: null, nWarmupSteps: null, intervalSteps: null, nMinTrials: null };

const PRUNER_ENTRIES = {
  none: { options: {}, create: () => new NopPruner() },
  median: { options: STEPS, create: (o) => new MedianPruner(o) },
  percentile: { options: { percentile: null, ...STEPS }, create: (o) => new PercentilePruner(o as { percentile: number }) },
  successive_halving: {
    options: { minResource: null, reductionFactor: null, minEarlyStoppingRate: null, bootstrapCount: null },
    create: (o) => new SuccessiveHalvingPruner(o),
  },
  hyperband: { options: { minResource: null, maxResource: null, reductionFactor: null, bootstrapCount: null }, create: (o) => new HyperbandPruner(o) },
} satisfies Record<string, RegistryEntry<Pruner>>;

/** A pruner type a config can name. */
export type PrunerType = keyof typeof PRUNER_ENTRIES;

/** The pruners a config can name (`pruner: { type, options }`). */
export const PRUNERS: Readonly<Record<PrunerType, RegistryEntry<Pruner>>> = PRUNER_ENTRIES;

/**
 * Builds a registered sampler or pruner; the constructor's refusal of an
 * option becomes a config error under `<kind>.options`.
 */
export function build<T>(entry: RegistryEntry<T>, kind: 'sampler' | 'pruner', options: Record<string, unknown>, c: RegistryContext): T {
  try {
    return entry.create(options, c);
  } catch (err) {
    if (err instanceof TunekitError) throw new ConfigError(`${kind}.options: ${err.message}`);
    throw err;
  }
}
