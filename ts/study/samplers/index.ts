export type { AfterTrialContext, Sampler, SamplerContext, Reservation } from './sampler.js';
export { RandomSampler, type RandomSamplerOptions } from './random.js';
export { GridSampler, type GridSamplerOptions } from './grid.js';
export { QMCSampler, type QMCSamplerOptions } from './qmc.js';
export { GPSampler, type GPSamplerOptions } from './gp.js';
export { GeneticSampler, type GeneticSamplerOptions } from './genetic.js';
export { CmaEsSampler, type CmaEsSamplerOptions, type CmaGenerationRecord, type CmaTrialRecord } from './cmaes.js';
export { TPESampler, groupsOf, type TPESamplerOptions } from './tpe.js';
export {
  MultiFidelityGPSampler,
  MULTIFIDELITY_GP_BUDGET_ATTR,
  MULTIFIDELITY_GP_HYPER_ATTR,
  MULTIFIDELITY_GP_OBSERVATIONS,
  type MultiFidelityGPSamplerOptions,
  type FidelityObservation,
} from './multifidelity_gp.js';
export { MultiFidelityTPESampler, MULTIFIDELITY_BUDGET_ATTR, FINAL_BUDGET, observationsAt, type MultiFidelityTPESamplerOptions, type Budget, type BudgetObservations } from './multifidelity_tpe.js';
export { AutoSampler, AUTO_SAMPLER_ATTR, type AutoChoice, type AutoSamplerOptions } from './auto.js';
export { defaultRelativeSpace, intersectionSpace } from './intersection.js';
export { failureProbabilities } from './failure_model.js';
