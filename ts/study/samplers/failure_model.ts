import { TunekitError } from '../../errors.js';
import { guard, native } from '../../native.js';
import type { Distribution, FrozenTrial } from '../types.js';
import { searchable, searchSpaceOf, valuesOf } from './space_of.js';

/**
 * `P(not FAIL | x)` for each query point, learned from the study's trials
 * (the core's failure model, `acquisition::failure`): FAIL trials against
 * COMPLETE and PRUNED ones, on the parameters of `space` (trials lacking one
 * are left out). A kernel-weighted success rate with a prior of one trial at
 * the study's overall rate, so one flaky failure among successes barely
 * lowers its region while a region where every trial failed tends to 0;
 * bandwidths chosen by leave-one-out likelihood. All 1 when no trial failed.
 * For samplers that weigh or filter candidates by it (CMA-ES, say).
 */
export function failureProbabilities(space: Record<string, Distribution>, trials: readonly FrozenTrial[], queries: readonly Record<string, unknown>[]): Float64Array {
  const part = searchable(space);
  const names = Object.keys(part);
  if (names.length === 0) return new Float64Array(queries.length).fill(1);
  const ok: number[] = [];
  const failed: number[] = [];
  for (const t of trials) {
    if (t.state !== 'COMPLETE' && t.state !== 'PRUNED' && t.state !== 'FAIL') continue;
    const v = valuesOf(part, t.params);
    if (v !== null) (t.state === 'FAIL' ? failed : ok).push(...v);
  }
  if (failed.length === 0) return new Float64Array(queries.length).fill(1);
  const q: number[] = [];
  for (const [i, p] of queries.entries()) {
    const v = valuesOf(part, p);
    if (v === null) throw new TunekitError('INVALID_PARAMETER', `failureProbabilities: queries[${i}] lacks a parameter of the space or has a value outside it`);
    q.push(...v);
  }
  const s = searchSpaceOf(part);
  return guard(() => native.failureProbability({ space: s.native, ok: Float64Array.from(ok), failed: Float64Array.from(failed), queries: Float64Array.from(q) }));
}
