// Pruners: hand-built trials, hand-computed expectations.
import { describe, expect, it } from 'vitest';
import { TunekitError } from '../dist/errors.js';
import { HyperbandPruner, MedianPruner, NopPruner, PercentilePruner, percentileOf, rungResources, SuccessiveHalvingPruner, type PruneContext } from '../dist/study/pruners/index.js';
import type { FrozenTrial, StudyDirection, TrialState } from '../dist/study/types.js';

/** A trial; `iv` is an array (index = step) or a step → value record. */
function mk(number: number, iv: number[] | Record<number, number>, state: TrialState = 'COMPLETE'): FrozenTrial {
  const intermediateValues: Record<number, number> = Array.isArray(iv) ? Object.fromEntries(iv.map((v, s) => [s, v])) : iv;
  return {
    id: 1000 + number,
    number,
    state,
    values: state === 'COMPLETE' ? [0] : null,
    params: {},
    distributions: {},
    intermediateValues,
    userAttrs: {},
    systemAttrs: {},
    datetimeStart: null,
    datetimeComplete: null,
  };
}

/** Context for `current` (RUNNING) among `others`; the snapshot includes the current trial. */
function ctx(current: FrozenTrial, others: FrozenTrial[], direction: StudyDirection = 'minimize'): PruneContext {
  return { trial: current, trials: [...others, current], direction };
}

const running = (number: number, iv: number[] | Record<number, number>) => mk(number, iv, 'RUNNING');

function expectInvalid(fn: () => unknown, message: RegExp): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(TunekitError);
  expect((err as TunekitError).code).toBe('INVALID_PARAMETER');
  expect((err as TunekitError).message).toMatch(message);
}

// Five COMPLETE trials; at every step 0..4 their values are 1, 2, 3, 4, 5 (median 3).
const five = [1, 2, 3, 4, 5].map((v, i) => mk(i, [v, v, v, v, v]));

describe('NopPruner', () => {
  it('never prunes', () => {
    expect(new NopPruner().prune()).toBe(false);
  });
});

describe('MedianPruner', () => {
  const median = new MedianPruner();

  it('prunes a trial worse than the median at its step and keeps a better one', () => {
    expect(median.prune(ctx(running(5, [4, 4, 4]), five))).toBe(true);
    expect(median.prune(ctx(running(5, [2.5, 2.5, 2.5]), five))).toBe(false);
    expect(median.prune(ctx(running(5, [3, 3, 3]), five))).toBe(false); // equal to the median: kept
  });

  it("compares the trial's best value so far, not its latest one", () => {
    expect(median.prune(ctx(running(5, [2, 5, 5]), five))).toBe(false);
    expect(median.prune(ctx(running(5, [5, 5, 5]), five))).toBe(true);
  });

  it('uses only COMPLETE trials, and only their values at the same step', () => {
    const others = [...five, mk(6, [0, 0, 0], 'PRUNED'), mk(7, [0, 0, 0], 'RUNNING'), mk(8, [0, 0, 0], 'FAIL')];
    expect(median.prune(ctx(running(9, [4, 4, 4]), others))).toBe(true);
    // At step 2 only trials 0 and 1 (values 1, 2) have a value: median 1.5.
    const sparse = [mk(0, [9, 9, 1]), mk(1, [9, 9, 2]), mk(2, [0, 0]), mk(3, [0, 0]), mk(4, [0, 0])];
    expect(median.prune(ctx(running(5, [9, 9, 1.6]), sparse))).toBe(true);
    expect(median.prune(ctx(running(5, [9, 9, 1.4]), sparse))).toBe(false);
  });

  it('waits for nStartupTrials COMPLETE trials', () => {
    const four = five.slice(0, 4).concat(mk(4, [5, 5, 5, 5, 5], 'PRUNED'));
    expect(median.prune(ctx(running(5, [100]), four))).toBe(false);
    expect(new MedianPruner({ nStartupTrials: 4 }).prune(ctx(running(5, [100]), four))).toBe(true);
    // Never before the first COMPLETE trial, even with nStartupTrials 0.
    expect(new MedianPruner({ nStartupTrials: 0 }).prune(ctx(running(1, [100]), [mk(0, [1], 'RUNNING')]))).toBe(false);
  });

  it('respects nWarmupSteps', () => {
    const p = new MedianPruner({ nWarmupSteps: 3 });
    expect(p.prune(ctx(running(5, [9, 9, 9]), five))).toBe(false); // step 2 < 3
    expect(p.prune(ctx(running(5, [9, 9, 9, 9]), five))).toBe(true); // step 3
  });

  it('respects intervalSteps, counted from nWarmupSteps', () => {
    const p = new MedianPruner({ nWarmupSteps: 1, intervalSteps: 2 }); // checks at steps 1, 3, 5, …
    expect(p.prune(ctx(running(5, [9]), five))).toBe(false); // step 0: warmup
    expect(p.prune(ctx(running(5, [9, 9]), five))).toBe(true); // step 1
    expect(p.prune(ctx(running(5, [9, 9, 9]), five))).toBe(false); // step 2
    expect(p.prune(ctx(running(5, [9, 9, 9, 9]), five))).toBe(true); // step 3
    // A check point that was not reported (step 1) is checked at the next report (step 2) …
    expect(p.prune(ctx(running(5, { 0: 9, 2: 9 }), five))).toBe(true);
    // … but only once per interval: step 4 follows step 3 in the same interval.
    expect(p.prune(ctx(running(5, { 0: 9, 2: 9, 3: 9, 4: 9 }), five))).toBe(false);
  });

  it('maximize: prunes a trial below the median, keeps one above', () => {
    expect(median.prune(ctx(running(5, [2, 2, 2]), five, 'maximize'))).toBe(true);
    expect(median.prune(ctx(running(5, [4, 4, 4]), five, 'maximize'))).toBe(false);
    expect(median.prune(ctx(running(5, [4, 1, 1]), five, 'maximize'))).toBe(false); // best so far is 4
    // The same trials minimizing: the decisions flip.
    expect(median.prune(ctx(running(5, [2, 2, 2]), five, 'minimize'))).toBe(false);
    expect(median.prune(ctx(running(5, [4, 4, 4]), five, 'minimize'))).toBe(true);
  });

  it('nMinTrials: no pruning with fewer COMPLETE trials having a value at the step', () => {
    const others = [mk(0, [1, 1]), mk(1, [2, 2]), mk(2, [3]), mk(3, [3]), mk(4, [3])];
    const current = running(5, [9, 9]);
    expect(new MedianPruner({ nMinTrials: 3 }).prune(ctx(current, others))).toBe(false);
    expect(new MedianPruner({ nMinTrials: 2 }).prune(ctx(current, others))).toBe(true);
  });
});

describe('PercentilePruner', () => {
  // Values at step 0: 1, 2, 4, 10. 25th percentile: position 0.75 → 1.75; 75th: position 2.25 → 5.5.
  const four = [mk(0, [10]), mk(1, [1]), mk(2, [4]), mk(3, [2])];
  const opts = { nStartupTrials: 0 };

  it('interpolates linearly between ranks (numpy default)', () => {
    expect(percentileOf([10, 1, 4, 2], 25)).toBeCloseTo(1.75, 12);
    expect(percentileOf([10, 1, 4, 2], 75)).toBeCloseTo(5.5, 12);
    expect(percentileOf([10, 1, 4, 2], 0)).toBe(1);
    expect(percentileOf([10, 1, 4, 2], 100)).toBe(10);
    expect(percentileOf([7], 30)).toBe(7);
  });

  it('25th percentile, minimize: threshold 1.75', () => {
    const p = new PercentilePruner({ percentile: 25, ...opts });
    expect(p.prune(ctx(running(4, [1.8]), four))).toBe(true);
    expect(p.prune(ctx(running(4, [1.7]), four))).toBe(false);
  });

  it('75th percentile, minimize: threshold 5.5', () => {
    const p = new PercentilePruner({ percentile: 75, ...opts });
    expect(p.prune(ctx(running(4, [5.6]), four))).toBe(true);
    expect(p.prune(ctx(running(4, [5.4]), four))).toBe(false);
  });

  it('maximize counts from the top: 25 keeps the best quarter (threshold 5.5), 75 uses 1.75', () => {
    const p25 = new PercentilePruner({ percentile: 25, ...opts });
    expect(p25.prune(ctx(running(4, [5.4]), four, 'maximize'))).toBe(true);
    expect(p25.prune(ctx(running(4, [5.6]), four, 'maximize'))).toBe(false);
    const p75 = new PercentilePruner({ percentile: 75, ...opts });
    expect(p75.prune(ctx(running(4, [1.7]), four, 'maximize'))).toBe(true);
    expect(p75.prune(ctx(running(4, [1.8]), four, 'maximize'))).toBe(false);
  });
});

describe('NaN intermediate values', () => {
  const p = new MedianPruner({ nStartupTrials: 0 });

  it("other trials' NaN values are ignored", () => {
    // Valid values at step 0: 1 and 3 → median 2.
    const others = [mk(0, [1]), mk(1, [NaN]), mk(2, [NaN]), mk(3, [NaN]), mk(4, [3])];
    expect(p.prune(ctx(running(5, [2.5]), others))).toBe(true);
    expect(p.prune(ctx(running(5, [1.5]), others))).toBe(false);
    expect(p.prune(ctx(running(5, [2.5]), others, 'maximize'))).toBe(false);
    // NaN values do not count towards nMinTrials.
    expect(new MedianPruner({ nStartupTrials: 0, nMinTrials: 3 }).prune(ctx(running(5, [100]), others))).toBe(false);
    // Only NaN at the step: nothing to compare with.
    expect(p.prune(ctx(running(2, [100]), [mk(0, [NaN]), mk(1, [NaN])]))).toBe(false);
  });

  it('a trial whose latest value is NaN is pruned once the pruner is active', () => {
    expect(p.prune(ctx(running(5, [0.1, NaN]), five))).toBe(true);
    expect(p.prune(ctx(running(5, [NaN]), [mk(0, [NaN])]))).toBe(true); // even with nothing to compare with
    expect(new MedianPruner({ nWarmupSteps: 5 }).prune(ctx(running(5, [NaN]), five))).toBe(false); // warmup
    expect(new MedianPruner().prune(ctx(running(1, [NaN]), [mk(0, [1])]))).toBe(false); // startup
    // An earlier NaN does not matter: the best value so far ignores it.
    expect(p.prune(ctx(running(5, [NaN, 2]), five))).toBe(false);
  });
});

describe('SuccessiveHalvingPruner', () => {
  // η = 2, minResource 1: rungs at steps 1, 2, 4. Minimize.
  // Rung values (first reported step ≥ rung):    rung0  rung1  rung2
  const A = mk(0, { 1: 5, 2: 4, 3: 3, 4: 2 }); //    5      4      2
  const B = mk(1, { 1: 9 }, 'PRUNED'); //            9      –      –
  const C = mk(2, { 1: 3, 2: 2, 3: 1.5, 4: 1 }); //  3      2      1
  const D = mk(3, { 1: 4, 2: 3.5 }, 'RUNNING'); //   4      3.5    –
  const others = [A, B, C, D];
  const sh = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
  const E = (iv: Record<number, number>) => running(4, iv);

  it('rung resources', () => {
    expect(rungResources(1, 2, 0, 4)).toEqual([1, 2, 4]);
    expect(rungResources(1, 3, 1, 30)).toEqual([3, 9, 27]);
    expect(rungResources(2, 4, 0, 31)).toEqual([2, 8]);
  });

  it('does not prune before the first rung', () => {
    expect(sh.prune(ctx(E({ 0: 100 }), others))).toBe(false);
  });

  it('rung 0: 5 competitors [6|4|3.5, 5, 9, 3, 4], the best floor(5/2) = 2 go on (ties kept)', () => {
    expect(sh.prune(ctx(E({ 1: 6 }), others))).toBe(true);
    expect(sh.prune(ctx(E({ 1: 4 }), others))).toBe(false); // ties with D's 4
    expect(sh.prune(ctx(E({ 1: 3.5 }), others))).toBe(false);
  });

  it('rung 1: competitors A, C, D (B never reached it) and the trial; best 2 go on', () => {
    expect(sh.prune(ctx(E({ 1: 3.5, 2: 3.8 }), others))).toBe(true); // [2, 3.5, 3.8, 4]
    expect(sh.prune(ctx(E({ 1: 3.5, 2: 3.0 }), others))).toBe(false); // [2, 3, 3.5, 4]
  });

  it('a report that reaches no new rung never prunes', () => {
    expect(sh.prune(ctx(E({ 1: 3.5, 2: 3.0, 3: 10 }), others))).toBe(false);
  });

  it('rung 2: competitors A, C and the trial; the best floor(3/2) = 1 goes on', () => {
    expect(sh.prune(ctx(E({ 1: 3.5, 2: 3.0, 4: 1.2 }), others))).toBe(true);
    expect(sh.prune(ctx(E({ 1: 3.5, 2: 3.0, 4: 0.9 }), others))).toBe(false);
  });

  it('a report that skips rungs is checked at each rung it reaches', () => {
    // Step 5 reaches rungs 1 and 2 at once with value 3: rung 1 [2, 3, 3.5, 4] keeps it, rung 2 [1, 2, 3] does not.
    expect(sh.prune(ctx(E({ 1: 3.5, 5: 3 }), others))).toBe(true);
    expect(sh.prune(ctx(E({ 1: 3.5, 5: 0.5 }), others))).toBe(false);
  });

  it('promotions are final: later, better trials at a lower rung do not prune the trial', () => {
    const late = [...others, mk(5, { 1: 0.1 }, 'RUNNING'), mk(6, { 1: 0.2 }, 'RUNNING'), mk(7, { 1: 0.3 }, 'RUNNING')];
    // E's rung-0 value 4 would now be outside the best 4 of 8, but rung 0 is not re-checked.
    expect(sh.prune(ctx(E({ 1: 4, 2: 3, 4: 0.5 }), late))).toBe(false);
  });

  it('maximize keeps the largest values', () => {
    const peers = [mk(0, { 1: 1 }), mk(1, { 1: 2 }), mk(2, { 1: 4 })];
    // [1, 2, 4] and the trial: the best floor(4/2) = 2 go on.
    expect(sh.prune(ctx(running(3, { 1: 1.5 }), peers, 'maximize'))).toBe(true);
    expect(sh.prune(ctx(running(3, { 1: 2 }), peers, 'maximize'))).toBe(false); // ties with 2
    expect(sh.prune(ctx(running(3, { 1: 3 }), peers, 'maximize'))).toBe(false);
    expect(sh.prune(ctx(running(3, { 1: 3 }), peers, 'minimize'))).toBe(true);
  });

  it('NaN: the trial is pruned at a rung with a NaN value; NaN values of others do not compete', () => {
    expect(sh.prune(ctx(E({ 1: NaN }), others))).toBe(true);
    const nanPeers = [mk(0, { 1: NaN }), mk(1, { 1: NaN }), mk(2, { 1: 5 })];
    expect(sh.prune(ctx(running(3, { 1: 6 }), nanPeers))).toBe(true); // [5, 6]: keep 1
    expect(sh.prune(ctx(running(3, { 1: 4 }), nanPeers))).toBe(false);
    expect(sh.prune(ctx(running(3, { 1: 6 }), nanPeers.slice(0, 2)))).toBe(false); // alone: kept
  });

  it('bootstrapCount: pruned while at most that many trials reached the rung', () => {
    const p = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2, bootstrapCount: 2 });
    expect(p.prune(ctx(running(0, { 1: 0 }), []))).toBe(true); // 1 ≤ 2
    expect(p.prune(ctx(running(1, { 1: 0 }), [mk(0, { 1: 5 })]))).toBe(true); // 2 ≤ 2
    expect(p.prune(ctx(running(2, { 1: 0 }), [mk(0, { 1: 5 }), mk(1, { 1: 6 })]))).toBe(false); // 3 > 2, best
    expect(p.prune(ctx(running(2, { 1: 7 }), [mk(0, { 1: 5 }), mk(1, { 1: 6 })]))).toBe(true); // 3 > 2, worst
  });

  it("'auto' minResource: nothing pruned before a trial completes, then max(1, floor(last step / 100))", () => {
    const p = new SuccessiveHalvingPruner({ reductionFactor: 2 });
    const peers = [mk(0, { 3: 1, 6: 1 }, 'RUNNING'), mk(1, { 3: 1, 6: 1 }, 'RUNNING')];
    expect(p.resolveMinResource(peers)).toBeNull();
    expect(p.prune(ctx(running(3, { 3: 9 }), peers))).toBe(false);

    // Lowest-numbered COMPLETE trial (#2, last step 399) → minResource 3, rungs 3, 6, 12, …
    const done = [...peers, mk(2, { 3: 1, 399: 1 }), mk(5, { 999: 1 })];
    expect(p.resolveMinResource(done)).toBe(3);
    expect(p.prune(ctx(running(3, { 2: 9 }), done))).toBe(false); // step 2 < 3
    expect(p.prune(ctx(running(3, { 2: 9, 3: 9 }), done))).toBe(true); // [1, 1, 1, 1, 9]: keep 2
    expect(p.resolveMinResource([mk(0, [1, 2, 3])])).toBe(1);
    expect(p.resolveMinResource([mk(0, {}), mk(1, { 250: 1 })])).toBe(2); // a COMPLETE trial without reports is skipped
  });
});

describe('HyperbandPruner', () => {
  it('number of brackets is floor(log_η(max / min)) + 1', () => {
    expect(new HyperbandPruner({ minResource: 1, maxResource: 27, reductionFactor: 3 }).bracketCount()).toBe(4);
    expect(new HyperbandPruner({ minResource: 1, maxResource: 26, reductionFactor: 3 }).bracketCount()).toBe(3);
    expect(new HyperbandPruner({ minResource: 2, maxResource: 16, reductionFactor: 2 }).bracketCount()).toBe(4);
    expect(new HyperbandPruner({ minResource: 5, maxResource: 5 }).bracketCount()).toBe(1);
  });

  it('bracketOf is deterministic and uses every bracket, weighted by budget (27:12:6:4)', () => {
    const a = new HyperbandPruner({ minResource: 1, maxResource: 27, reductionFactor: 3 });
    const b = new HyperbandPruner({ minResource: 1, maxResource: 27, reductionFactor: 3 });
    const counts = [0, 0, 0, 0];
    for (let n = 0; n < 4900; n++) {
      const k = a.bracketOf(n);
      expect(b.bracketOf(n)).toBe(k);
      expect(a.bracketOf(n)).toBe(k);
      counts[k]! += 1;
    }
    expect(counts.every((c) => c > 0)).toBe(true);
    // Expected 2700, 1200, 600, 400.
    expect(counts[0]!).toBeGreaterThan(counts[1]!);
    expect(counts[1]!).toBeGreaterThan(counts[2]!);
    expect(counts[2]!).toBeGreaterThan(counts[3]!);
    expect(Math.abs(counts[0]! - 2700)).toBeLessThan(200);
  });

  it('trials compete only within their bracket', () => {
    // η = 2, min 1, max 4: 3 brackets; bracket 0 has rungs 1, 2, 4.
    const hb = new HyperbandPruner({ minResource: 1, maxResource: 4, reductionFactor: 2 });
    expect(hb.bracketCount()).toBe(3);
    const inBracket = (k: number) => Array.from({ length: 200 }, (_, n) => n).filter((n) => hb.bracketOf(n) === k);
    const [cur, mate, mate2] = inBracket(0) as [number, number, number];
    const strangers = [...inBracket(1), ...inBracket(2)].slice(0, 3);
    expect(strangers.length).toBe(3);

    const trials = [mk(mate, { 1: 9 }), ...strangers.map((n, i) => mk(n, { 1: 0.1 * (i + 1) }))];
    const current = running(cur, { 1: 5 });
    // Bracket 0 alone: [5, 9] → the best 1 goes on: kept.
    expect(hb.prune(ctx(current, trials))).toBe(false);
    // The same trials in one successive-halving pool: [5, 9, .1, .2, .3] → pruned.
    expect(new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }).prune(ctx(current, trials))).toBe(true);
    // A better trial in the same bracket: [1, 5, 9] → pruned.
    expect(hb.prune(ctx(current, [...trials, mk(mate2, { 1: 1 })]))).toBe(true);
  });

  it("'auto' maxResource: last step + 1 of the first COMPLETE trial; nothing pruned before", () => {
    const hb = new HyperbandPruner({ reductionFactor: 3 });
    const pending = [mk(0, [1, 1, 1], 'RUNNING')];
    expect(hb.bracketCount(pending)).toBeNull();
    expect(hb.bracketOf(7, pending)).toBe(0);
    expect(hb.prune(ctx(running(1, [100, 100]), pending))).toBe(false);
    const done = [
      mk(
        0,
        Array.from({ length: 27 }, () => 1),
      ),
      mk(
        1,
        Array.from({ length: 3 }, () => 1),
      ),
    ]; // steps 0..26
    expect(hb.bracketCount(done)).toBe(4);
  });
});

describe('bad settings', () => {
  it('throw INVALID_PARAMETER naming the value', () => {
    expectInvalid(() => new SuccessiveHalvingPruner({ reductionFactor: 1 }), /SuccessiveHalvingPruner: reductionFactor must be an integer ≥ 2, got 1/);
    expectInvalid(() => new SuccessiveHalvingPruner({ minResource: 0 }), /SuccessiveHalvingPruner: minResource must be an integer ≥ 1, got 0/);
    expectInvalid(() => new SuccessiveHalvingPruner({ bootstrapCount: 2 }), /bootstrapCount must be 0 when minResource is 'auto', got 2/);
    expectInvalid(() => new SuccessiveHalvingPruner({ minEarlyStoppingRate: 1.5 }), /minEarlyStoppingRate .* got 1.5/);
    expectInvalid(() => new HyperbandPruner({ reductionFactor: 1 }), /HyperbandPruner: reductionFactor must be an integer ≥ 2, got 1/);
    expectInvalid(() => new HyperbandPruner({ minResource: 0 }), /HyperbandPruner: minResource must be an integer ≥ 1, got 0/);
    expectInvalid(() => new HyperbandPruner({ minResource: 4, maxResource: 3 }), /maxResource must be ≥ minResource \(4\), got 3/);
    expectInvalid(() => new PercentilePruner({ percentile: 120 }), /PercentilePruner: percentile must be a number in \[0, 100\], got 120/);
    expectInvalid(() => new PercentilePruner({ percentile: NaN }), /percentile .* got NaN/);
    expectInvalid(() => new MedianPruner({ nStartupTrials: -1 }), /MedianPruner: nStartupTrials must be an integer ≥ 0, got -1/);
    expectInvalid(() => new MedianPruner({ intervalSteps: 0 }), /MedianPruner: intervalSteps must be an integer ≥ 1, got 0/);
    expectInvalid(() => new MedianPruner({ nMinTrials: 0 }), /nMinTrials must be an integer ≥ 1, got 0/);
  });
});
