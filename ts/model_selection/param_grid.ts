import { TunekitError } from '../errors.js';

/** Values to try for each parameter: every combination is a candidate. */
export type ParamGrid = Readonly<Record<string, readonly unknown[]>>;
/** A candidate: one value per parameter. */
export type Params = Record<string, unknown>;

/**
 * Every combination of a grid (or of each grid in a list, one after the other),
 * in scikit-learn's `ParameterGrid` order: keys sorted, the last key varying fastest.
 */
export function expandGrid(grid: ParamGrid | readonly ParamGrid[]): Params[] {
  const grids = Array.isArray(grid) ? (grid as readonly ParamGrid[]) : [grid as ParamGrid];
  const out: Params[] = [];
  grids.forEach((g, gi) => {
    if (typeof g !== 'object' || g === null) {
      throw new TunekitError('INVALID_PARAMETER', `paramGrid[${gi}] must be an object of value lists`);
    }
    const keys = Object.keys(g).sort();
    for (const k of keys) {
      const values = g[k];
      if (!Array.isArray(values) || values.length === 0) {
        throw new TunekitError('INVALID_PARAMETER', `the grid for parameter ${JSON.stringify(k)} must be a non-empty array, got ${JSON.stringify(values)}`);
      }
    }
    let combos: Params[] = [{}];
    for (const k of keys) {
      const next: Params[] = [];
      for (const c of combos) for (const v of g[k] as readonly unknown[]) next.push({ ...c, [k]: v });
      combos = next;
    }
    out.push(...combos);
  });
  return out;
}
