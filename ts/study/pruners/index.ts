export { NopPruner, type PruneContext, type Pruner } from './pruner.js';
export { MedianPruner, PercentilePruner, percentileOf, type MedianPrunerOptions, type PercentilePrunerOptions } from './median.js';
export { SuccessiveHalvingPruner, rungResources, type SuccessiveHalvingPrunerOptions } from './successive_halving.js';
export { HyperbandPruner, type HyperbandPrunerOptions } from './hyperband.js';
