// How the single-objective GA defaults were chosen: median final regret over
// seeds of GeneticAlgorithm variants (population, tournament size, elitism)
// on the six functions of the quality benchmark, at several budgets. The
// first row is session 2's defaults, the second today's.
//
//   node bench/ga_defaults.mjs [--budgets 300,1000,3000] [--seeds 10]
import { GeneticAlgorithm } from '../dist/index.js';
import { FUNCTIONS } from './functions.mjs';
import { flags, fmt, median, table } from './peers.mjs';

const opts = flags();
const BUDGETS = String(opts.budgets ?? '300,1000,3000')
  .split(',')
  .map(Number);
const SEEDS = Number(opts.seeds ?? 10);
/** @type {(size: number) => import('../dist/index.js').SelectionOptions} */
const tournament = (size) => ({ kind: 'tournament', size });
/** @type {[string, Partial<import('../dist/index.js').GeneticAlgorithmOptions>][]} */
const VARIANTS = [
  ['population 50, tournament 2, elitism 1 (session 2)', { populationSize: 50, selection: tournament(2), elitism: 1 }],
  ['population 30, tournament 3, elitism 2 (default)', {}],
  ['population 50, tournament 3, elitism 2', { populationSize: 50, selection: tournament(3), elitism: 2 }],
  ['population 30, tournament 4, elitism 2', { populationSize: 30, selection: tournament(4), elitism: 2 }],
];
const NAMES = ['branin', 'hartmann6', 'ackley5', 'rosenbrock4', 'levy6', 'styblinski_tang4'];

for (const budget of BUDGETS) {
  const rows = [];
  for (const [label, variant] of VARIANTS) {
    const row = [label];
    for (const name of NAMES) {
      const fn = FUNCTIONS[name];
      const names = fn.bounds.map((_, i) => `x${i}`);
      const space = Object.fromEntries(names.map((n, i) => [n, fn.bounds[i]]));
      const regrets = [];
      for (let seed = 0; seed < SEEDS; seed++) {
        const ga = new GeneticAlgorithm({ space, maxEvaluations: budget, seed, directions: 'minimize', concurrency: 1, ...variant });
        const r = await ga.run((p) => fn.f(names.map((n) => p[n])));
        regrets.push(r.best.value - fn.optimum);
      }
      row.push(fmt(median(regrets)));
    }
    rows.push(row);
  }
  console.log(`\nmedian regret after ${budget} evaluations (${SEEDS} seeds)\n`);
  console.log(table(['variant', ...NAMES], rows));
}
