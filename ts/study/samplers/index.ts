export type { AfterTrialContext, Sampler, SamplerContext, Reservation } from './sampler.js';
export { RandomSampler, type RandomSamplerOptions } from './random.js';
export { GridSampler, type GridSamplerOptions } from './grid.js';
export { QMCSampler, type QMCSamplerOptions } from './qmc.js';
export { GPSampler, type GPSamplerOptions } from './gp.js';
export { GeneticSampler, type GeneticSamplerOptions } from './genetic.js';
export { CmaEsSampler, type CmaEsSamplerOptions, type CmaGenerationRecord, type CmaTrialRecord } from './cmaes.js';
export { TPESampler, groupsOf, type TPESamplerOptions } from './tpe.js';
export { defaultRelativeSpace, intersectionSpace } from './intersection.js';
