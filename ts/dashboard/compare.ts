import { isFeasible } from '../study/constraints.js';
import type { FrozenTrial, StudyDirection } from '../study/types.js';

/** Indices `0 … n-1` thinned to at most `max`, evenly, first and last kept. */
export function evenIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  if (max <= 1) return n === 0 ? [] : [n - 1];
  const out: number[] = [];
  for (let k = 0; k < max; k++) out.push(Math.round((k * (n - 1)) / (max - 1)));
  return out;
}

/** One study's series in a comparison. */
export interface CompareSeries {
  study: string;
  direction: StudyDirection;
  /** COMPLETE feasible trials with a finite value of the objective (before thinning). */
  n: number;
  /**
   * `edf`: `[value, fraction of trials with a value ≤ it]`, by value;
   * `history`: `[trial number, best value so far]`, by number, at most `maxPoints`
   * (every improvement kept first, then evenly spread points).
   */
  points: [number, number][];
}

function finiteValues(trials: readonly FrozenTrial[], objective: number): { number: number; value: number }[] {
  const out: { number: number; value: number }[] = [];
  for (const t of trials) {
    const v = t.values?.[objective];
    if (t.state === 'COMPLETE' && typeof v === 'number' && Number.isFinite(v) && isFeasible(t)) out.push({ number: t.number, value: v });
  }
  return out;
}

/** The empirical distribution of one objective's values, thinned to `maxPoints`. */
export function edfSeries(study: string, direction: StudyDirection, trials: readonly FrozenTrial[], objective: number, maxPoints: number): CompareSeries {
  const vs = finiteValues(trials, objective)
    .map((x) => x.value)
    .sort((a, b) => a - b);
  const n = vs.length;
  return { study, direction, n, points: evenIndices(n, maxPoints).map((i) => [vs[i] as number, (i + 1) / n]) };
}

/** The best value so far by trial number, thinned to `maxPoints` (improvements first). */
export function historySeries(study: string, direction: StudyDirection, trials: readonly FrozenTrial[], objective: number, maxPoints: number): CompareSeries {
  const vs = finiteValues(trials, objective);
  const sign = direction === 'maximize' ? 1 : -1;
  const all: [number, number][] = [];
  const improved: number[] = [];
  let best = -Infinity;
  for (const { number, value } of vs) {
    if (sign * value > best) {
      best = sign * value;
      improved.push(all.length);
    }
    all.push([number, sign * best]);
  }
  let keep: number[];
  if (all.length <= maxPoints) keep = all.map((_, i) => i);
  else {
    const set = new Set<number>(improved.length >= maxPoints ? evenIndices(improved.length, maxPoints - 1).map((i) => improved[i] as number) : improved);
    set.add(all.length - 1);
    for (const i of evenIndices(all.length, Math.max(0, maxPoints - set.size))) {
      if (set.size >= maxPoints) break;
      set.add(i);
    }
    keep = [...set].sort((a, b) => a - b);
  }
  return { study, direction, n: vs.length, points: keep.map((i) => all[i] as [number, number]) };
}
