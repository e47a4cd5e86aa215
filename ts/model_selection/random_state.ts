/**
 * Moved to `ts/seed.ts` (shared by the samplers, Bayesian and genetic
 * search and the splitters). Kept only until the last importers switch.
 * @deprecated import from '../seed.js'
 */
export { resolveSeed } from '../seed.js';
