// tunekit/plots (issue 14, item 1): the plot data on known studies (best so
// far, learning curves, axes, Pareto fronts, hypervolumes, EDFs, contour
// grids, timelines), the downsampling bound, and charts that survive JSON.
import { describe, expect, it } from 'vitest';
import { createStudy, RandomSampler, type FrozenTrial } from '../dist/index.js';
import {
  downsample,
  hypervolume,
  paretoFrontIndices,
  plotContour,
  plotEdf,
  plotHypervolumeHistory,
  plotIntermediateValues,
  plotOptimizationHistory,
  plotParallelCoordinate,
  plotParamImportances,
  plotParetoFront,
  plotRank,
  plotSlice,
  plotTimeline,
  RENDER_SCRIPT,
  type Plot,
} from '../dist/plots/index.js';
import { rejects } from './helpers.js';

const FLOAT = { type: 'float', low: 0, high: 10, log: false } as const;
const LOGF = { type: 'float', low: 1e-4, high: 1, log: true } as const;
const CAT = { type: 'categorical', choices: ['adam', 'sgd', 'rms'] } as const;

/** A stored trial built by hand. */
function mk(number: number, values: number[] | null, params: Record<string, unknown> = {}, extra: Partial<FrozenTrial> = {}): FrozenTrial {
  const distributions: Record<string, any> = {};
  for (const k of Object.keys(params)) distributions[k] = k === 'lr' ? LOGF : k === 'opt' ? CAT : FLOAT;
  return {
    id: number + 1,
    number,
    state: values === null ? 'FAIL' : 'COMPLETE',
    values,
    params,
    distributions,
    intermediateValues: {},
    userAttrs: {},
    systemAttrs: {},
    datetimeStart: 1_000_000 + number * 1000,
    datetimeComplete: 1_000_000 + number * 1000 + 500,
    ...extra,
  };
}

/** The chart survives JSON unchanged (no functions, no NaN, no undefined). */
function jsonSafe(p: Plot<unknown>): void {
  expect(JSON.parse(JSON.stringify(p.chart))).toEqual(p.chart);
  expect(JSON.stringify(p.chart)).not.toMatch(/function|=>/);
}

describe('downsample', () => {
  it('keeps everything when small, is bounded by maxPoints, keeps the given indices and the ends, and is deterministic', () => {
    expect(downsample(5, 10)).toEqual([0, 1, 2, 3, 4]);
    const idx = downsample(50_000, 100, [31_337, 7]);
    expect(idx.length).toBe(100);
    expect(idx).toContain(31_337);
    expect(idx).toContain(7);
    expect(idx[0]).toBe(0);
    expect(idx.at(-1)).toBe(49_999);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
    expect(new Set(idx).size).toBe(100);
    expect(downsample(50_000, 100, [31_337, 7])).toEqual(idx);
    // more keeps than budget: still bounded, the first keep kept
    const many = Array.from({ length: 1000 }, (_, i) => 999 - i);
    const b = downsample(2000, 50, many);
    expect(b.length).toBeLessThanOrEqual(50);
    expect(b).toContain(999);
  });
});

describe('plotOptimizationHistory', () => {
  const values = [5, 3, 4, 1, 2, 0.5, 6];
  const trials = [...values.map((v, i) => mk(i, [v])), mk(7, null)];

  it('gives the values and the best so far (minimize and maximize)', () => {
    const p = plotOptimizationHistory(trials);
    expect(p.kind).toBe('history');
    expect(p.data.numbers).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(p.data.values).toEqual(values);
    expect(p.data.best).toEqual([5, 3, 3, 1, 1, 0.5, 0.5]);
    expect(p.data.bestNumber).toBe(5);
    const q = plotOptimizationHistory(trials, { directions: ['maximize'] });
    expect(q.data.best).toEqual([5, 5, 5, 5, 5, 5, 6]);
    expect(q.data.bestNumber).toBe(6);
    expect(p.chart.series[0]!.data.length).toBe(7);
    expect(p.chart.series.at(-1)!.data).toEqual([
      [0, 5],
      [1, 3],
      [2, 3],
      [3, 1],
      [4, 1],
      [5, 0.5],
      [6, 0.5],
    ]);
    jsonSafe(p);
  });

  it('takes a target objective and leaves infeasible trials out of the best', async () => {
    const mo = [mk(0, [1, 9]), mk(1, [2, 3], {}, { systemAttrs: { constraints: { c: 1 } } }), mk(2, [3, 5])];
    const p = plotOptimizationHistory(mo, { directions: ['minimize', 'minimize'], target: 1 });
    expect(p.data.values).toEqual([9, 3, 5]);
    expect(p.data.best).toEqual([9, 9, 5]);
    expect(p.data.feasible).toEqual([true, false, true]);
    expect(p.chart.series.map((s) => s.name)).toEqual(['Objective 1', 'Infeasible', 'Best value']);
    await rejects(() => plotOptimizationHistory(mo, { directions: ['minimize', 'minimize'], target: 2 }), 'INVALID_PARAMETER', /target must be an objective index from 0 to 1, got 2/);
    await rejects(() => plotOptimizationHistory(mo, { maxPoints: 1 }), 'INVALID_PARAMETER', /maxPoints must be an integer ≥ 2, got 1/);
  });

  it('downsamples 50 000 trials to maxPoints, keeping every change of the best and the best trial', () => {
    // values fall at a few known trials, random-looking elsewhere
    const n = 50_000;
    const many = Array.from({ length: n }, (_, i) => mk(i, [i % 1000 === 999 ? 100 - i / 1000 : 200 + ((i * 7919) % 1000)]));
    const p = plotOptimizationHistory(many, { maxPoints: 500 });
    expect(p.data.nTrials).toBe(n);
    expect(p.data.numbers.length).toBe(500);
    expect(p.chart.series[0]!.data.length).toBe(500);
    const changes = [0, ...Array.from({ length: 50 }, (_, k) => k * 1000 + 999)];
    for (const c of changes) expect(p.data.numbers).toContain(c);
    expect(p.data.bestNumber).toBe(49_999);
    expect(p.data.best.at(-1)).toBeCloseTo(100 - 49.999, 10);
  });
});

describe('plotIntermediateValues', () => {
  it('gives each trial its curve, bounded in lines and points', () => {
    const t0 = mk(0, [1], {}, { intermediateValues: { 0: 3, 1: 2, 2: 1 } });
    const t1 = mk(1, null, {}, { state: 'PRUNED', intermediateValues: { 0: 4, 1: 3.5 } });
    const t2 = mk(2, [5]);
    const p = plotIntermediateValues([t0, t1, t2]);
    expect(p.data.nTrials).toBe(2);
    expect(p.data.curves).toEqual([
      { number: 0, state: 'COMPLETE', steps: [0, 1, 2], values: [3, 2, 1] },
      { number: 1, state: 'PRUNED', steps: [0, 1], values: [4, 3.5] },
    ]);
    expect(p.chart.series.map((s) => s.data.length)).toEqual([3, 2]);
    jsonSafe(p);

    const big = Array.from({ length: 1000 }, (_, i) => mk(i, [i], {}, { intermediateValues: Object.fromEntries(Array.from({ length: 100 }, (_, s) => [s, (1000 - i) / (s + 1)])) }));
    const q = plotIntermediateValues(big, { maxTrials: 50, maxPoints: 1000 });
    expect(q.data.curves.length).toBe(50);
    const points = q.chart.series.reduce((s, x) => s + x.data.length, 0);
    expect(points).toBeLessThanOrEqual(1000);
    // the best last value (trial 999: 1/100) is drawn, with its first and last step
    const best = q.data.curves.find((c) => c.number === 999)!;
    expect(best.steps[0]).toBe(0);
    expect(best.steps.at(-1)).toBe(99);
  });
});

describe('plotParallelCoordinate and plotSlice', () => {
  const trials = [
    mk(0, [0.5], { x: 1, lr: 0.01, opt: 'sgd' }),
    mk(1, [0.2], { x: 2, lr: 0.001, opt: 'adam' }),
    mk(2, [0.9], { x: 3, lr: 0.1 }), // no opt: left out of the parallel plot
    mk(3, [0.1], { x: 4, lr: 0.0001, opt: 'rms' }),
  ];

  it('parallel coordinates: objective axis first, log and category axes, one line per trial with every parameter', async () => {
    const p = plotParallelCoordinate(trials);
    expect(p.data.params).toEqual([
      { name: 'lr', scale: 'log', categories: [] },
      { name: 'opt', scale: 'category', categories: ['adam', 'sgd', 'rms'] },
      { name: 'x', scale: 'value', categories: [] },
    ]);
    expect(p.data.numbers).toEqual([0, 1, 3]);
    expect(p.data.paramValues).toEqual([
      [0.01, 'sgd', 1],
      [0.001, 'adam', 2],
      [0.0001, 'rms', 4],
    ]);
    const axes = p.chart.parallelAxis as any[];
    expect(axes.map((a) => a.type)).toEqual(['value', 'log', 'category', 'value']);
    expect(p.chart.series[0]!.data).toEqual([
      [0.5, 0.01, 1, 1],
      [0.2, 0.001, 0, 2],
      [0.1, 0.0001, 2, 4],
    ]);
    jsonSafe(p);
    await rejects(() => plotParallelCoordinate(trials, { params: ['nope'] }), 'INVALID_PARAMETER', /no trial has the parameter "nope" \(the trials have: lr, opt, x\)/);
  });

  it('slice: one panel per parameter, each with the trials that have it', () => {
    const p = plotSlice(trials, { params: ['x', 'opt'] });
    expect(p.data.panels.map((q) => [q.param, q.numbers])).toEqual([
      ['x', [0, 1, 2, 3]],
      ['opt', [0, 1, 3]],
    ]);
    expect(p.chart.series.map((s) => s.data.length)).toEqual([4, 3]);
    expect(p.chart.series[1]!.data).toEqual([
      [1, 0.5, 0],
      [0, 0.2, 1],
      [2, 0.1, 3],
    ]);
    expect((p.chart.xAxis as any[]).map((a) => a.type)).toEqual(['value', 'category']);
    jsonSafe(p);
  });

  it('draws a real study', async () => {
    const study = await createStudy({ directions: ['minimize'], sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize(
      async (t) => {
        const x = t.suggestFloat('x', -3, 3);
        const lr = t.suggestFloat('lr', 1e-4, 1, { log: true });
        return x * x + Math.log10(lr) ** 2;
      },
      { nTrials: 30 },
    );
    const trials = await study.trials();
    const h = plotOptimizationHistory(trials);
    const vals = trials.map((t) => t.values![0]!);
    expect(h.data.best.at(-1)).toBe(Math.min(...vals));
    expect(plotParallelCoordinate(trials).chart.series[0]!.data.length).toBe(30);
    expect(plotSlice(trials).chart.series.map((s) => s.data.length)).toEqual([30, 30]);
  });
});

describe('RENDER_SCRIPT', () => {
  it('is a self-contained script that defines window.tunekitCharts', () => {
    const calls: any[] = [];
    const inst = (el: any) => ({ el, setOption: (o: any) => calls.push(o), dispose() {}, resize() {} });
    const window: any = { addEventListener() {} };
    const document = { getElementById: (id: string) => ({ id }) };
    new Function('window', 'document', RENDER_SCRIPT)(window, document);
    const chart = { series: [{ type: 'custom', renderItem: 'tunekit.timeline', data: [[0, 1, 0]] }] };
    window.tunekitCharts.render({ init: inst }, [{ id: 'a', chart }]);
    expect(typeof calls[0].series[0].renderItem).toBe('function');
    expect(chart.series[0]!.renderItem).toBe('tunekit.timeline');
    expect(Object.keys(window.tunekitCharts.instances)).toEqual(['a']);
  });
});

describe('hypervolume and the Pareto front', () => {
  it('2-D: hand-computed areas', () => {
    // staircase (1,3) (2,2) (3,1) under (4,4): 3·1 + 2·1 + 1·1
    expect(
      hypervolume(
        [
          [1, 3],
          [2, 2],
          [3, 1],
        ],
        [4, 4],
      ),
    ).toBe(6);
    // a dominated point and a point outside the reference add nothing
    expect(
      hypervolume(
        [
          [1, 3],
          [2, 2],
          [3, 1],
          [3, 3],
          [5, 0],
        ],
        [4, 4],
      ),
    ).toBe(6);
    expect(hypervolume([], [4, 4])).toBe(0);
  });

  it('3-D: hand-computed volumes and a brute-force count on integer points', () => {
    expect(hypervolume([[1, 1, 1]], [2, 2, 2])).toBe(1);
    // two boxes 4 + 2 overlapping in a unit cube
    expect(
      hypervolume(
        [
          [0, 0, 1],
          [1, 1, 0],
        ],
        [2, 2, 2],
      ),
    ).toBe(5);
    // three boxes of 2, pairwise and triple overlaps of 1: 6 - 3 + 1
    expect(
      hypervolume(
        [
          [0, 1, 1],
          [1, 0, 1],
          [1, 1, 0],
        ],
        [2, 2, 2],
      ),
    ).toBe(4);
    // integer points in [0, 4]³ under (5, 5, 5): the dominated unit cells, counted one by one
    let seed = 7;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) % 5;
    for (let rep = 0; rep < 5; rep++) {
      const pts = Array.from({ length: 12 }, () => [rnd(), rnd(), rnd()]);
      let cells = 0;
      for (let a = 0; a < 5; a++) for (let b = 0; b < 5; b++) for (let c = 0; c < 5; c++) if (pts.some((p) => p[0]! <= a && p[1]! <= b && p[2]! <= c)) cells++;
      expect(hypervolume(pts, [5, 5, 5])).toBe(cells);
    }
    // 4 objectives: the unit hypercube's corner
    expect(hypervolume([[0, 0, 0, 0]], [1, 2, 1, 1])).toBe(2);
  });

  it('front indices: the 2-D sweep, the 3-D Fenwick tree and the general path agree with a brute force, equal points all kept', () => {
    let seed = 11;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) % 20;
    for (const d of [2, 3, 4]) {
      const pts = Array.from({ length: 300 }, () => Array.from({ length: d }, rnd));
      pts.push([...pts[0]!]);
      const brute = pts.map((p, i) => i).filter((i) => !pts.some((q) => q.every((v, k) => v <= pts[i]![k]!) && q.some((v, k) => v < pts[i]![k]!)));
      expect(paretoFrontIndices(pts)).toEqual(brute);
    }
  });

  it('plotParetoFront: front, dominated and infeasible trials; directions respected', async () => {
    const trials = [mk(0, [1, 5]), mk(1, [2, 3]), mk(2, [3, 4]), mk(3, [4, 1]), mk(4, [0, 0], {}, { systemAttrs: { constraints: { c: 0.5 } } }), mk(5, [5, 5])];
    const p = plotParetoFront(trials, { directions: ['minimize', 'minimize'] });
    expect(p.data.front.map((x) => x.number)).toEqual([0, 1, 3]);
    expect(p.data.dominated.map((x) => x.number)).toEqual([2, 5]);
    expect(p.data.infeasible).toEqual([{ number: 4, values: [0, 0] }]);
    expect(p.chart.series.map((s) => [s.name, s.data.length])).toEqual([
      ['Trial', 2],
      ['Best trial', 3],
      ['Infeasible trial', 1],
    ]);
    jsonSafe(p);
    const q = plotParetoFront(trials, { directions: ['maximize', 'minimize'] });
    // maximise the first: (5,5) joins (4,1); (1,5) (2,3) (3,4) are dominated by (4,1)
    expect(q.data.front.map((x) => x.number)).toEqual([3, 5]);
    const three = plotParetoFront([mk(0, [1, 2, 3]), mk(1, [2, 1, 3]), mk(2, [2, 2, 3]), mk(3, [3, 3, 0])], { directions: ['minimize', 'minimize', 'minimize'] });
    expect(three.data.front.map((x) => x.number)).toEqual([0, 1, 3]);
    expect(three.chart.series.length).toBe(9);
    await rejects(() => plotParetoFront(trials), 'INVALID_PARAMETER', /targets must be two or three different objective indices from 0 to 0, got undefined \(the study has one objective\)/);
  });

  it('plotHypervolumeHistory: the exact hypervolume after each trial, infeasible ones left out', () => {
    const trials = [mk(0, [3, 1]), mk(1, [3, 3]), mk(2, [1, 3]), mk(3, [0, 0], {}, { systemAttrs: { constraints: { c: 1 } } }), mk(4, [2, 2])];
    const p = plotHypervolumeHistory(trials, { directions: ['minimize', 'minimize'], referencePoint: [4, 4] });
    expect(p.data.numbers).toEqual([0, 1, 2, 3, 4]);
    expect(p.data.hypervolumes).toEqual([3, 3, 5, 5, 6]);
    expect([p.data.frontChanges, p.data.exact]).toEqual([3, true]);
    // a budget of 2: the first change, then the last; carried forward between (a lower bound)
    const few = plotHypervolumeHistory(trials, { directions: ['minimize', 'minimize'], referencePoint: [4, 4], maxEvaluations: 2 });
    expect(few.data.hypervolumes).toEqual([3, 3, 3, 3, 6]);
    expect([few.data.frontChanges, few.data.exact]).toEqual([3, false]);
    // maximising: the same geometry mirrored
    const m = trials.map((t) => ({ ...t, values: t.values!.map((v) => -v) }));
    expect(plotHypervolumeHistory(m, { directions: ['maximize', 'maximize'], referencePoint: [-4, -4] }).data.hypervolumes).toEqual([3, 3, 5, 5, 6]);
    // the default reference: the worst feasible value + a tenth of the range
    expect(plotHypervolumeHistory(trials, { directions: ['minimize', 'minimize'] }).data.referencePoint).toEqual([3.2, 3.2]);
  });
});

describe('plotContour, plotEdf, plotTimeline, plotRank, plotParamImportances', () => {
  const trials = Array.from({ length: 40 }, (_, i) => mk(i, [((i * 37) % 40) / 4], { x: (i * 13) % 10, opt: ['adam', 'sgd', 'rms'][i % 3] }));

  it('contour: grid shape, the interpolation stays within the values and takes a trial value at its cell', () => {
    const p = plotContour(trials, { params: ['x', 'opt'], gridSize: 10 });
    expect(p.data.x.centers.length).toBe(10);
    expect(p.data.y.centers).toEqual(['adam', 'sgd', 'rms']);
    expect(p.data.z.length).toBe(3);
    for (const row of p.data.z) expect(row.length).toBe(10);
    const vals = trials.map((t) => t.values![0]!);
    for (const v of p.data.z.flat()) {
      expect(v).toBeGreaterThanOrEqual(Math.min(...vals));
      expect(v).toBeLessThanOrEqual(Math.max(...vals));
    }
    expect(p.data.x.range).toEqual([0, 9]);
    expect(p.chart.series[0]!.data.length).toBe(30);
    expect(p.chart.series[1]!.data.length).toBe(40);
    jsonSafe(p);
    // a grid whose only trial is at one cell's centre: every cell takes its value
    const one = plotContour([mk(0, [7], { x: 1, y: 2 }), mk(1, [7], { x: 3, y: 4 })], { gridSize: 4 });
    for (const v of one.data.z.flat()) expect(v).toBeCloseTo(7, 12);
  });

  it('EDF: fractions increasing from 0 to 1 over the sorted distinct values, several studies', () => {
    const p = plotEdf([
      { name: 'a', trials: [mk(0, [3]), mk(1, [1]), mk(2, [2]), mk(3, [2]), mk(4, null)] },
      { name: 'b', trials: trials },
    ]);
    expect(p.data.curves[0]).toEqual({ name: 'a', nTrials: 4, values: [1, 2, 3], fractions: [0.25, 0.75, 1] });
    expect(p.chart.series[0]!.data).toEqual([
      [1, 0],
      [1, 0.25],
      [2, 0.75],
      [3, 1],
    ]);
    const b = p.data.curves[1]!;
    for (let i = 1; i < b.fractions.length; i++) expect(b.fractions[i]!).toBeGreaterThan(b.fractions[i - 1]!);
    expect(b.fractions.at(-1)).toBe(1);
    const small = plotEdf(trials, { maxPoints: 5 });
    // 40 distinct values 0, 0.25, …, 9.75: indices 0, 10, 20, 29, 39 (round(k·39/4))
    expect(small.data.curves[0]!.values).toEqual([0, 2.5, 5, 7.25, 9.75]);
  });

  it('timeline: durations, running trials end now, WAITING ones not drawn', () => {
    const t = [
      mk(0, [1], {}, { datetimeStart: 1000, datetimeComplete: 4000 }),
      mk(1, null, {}, { datetimeStart: 2000, datetimeComplete: 2500 }),
      mk(2, null, {}, { state: 'RUNNING', datetimeStart: 3000, datetimeComplete: null }),
      mk(3, null, {}, { state: 'WAITING', datetimeStart: null, datetimeComplete: null }),
    ];
    const p = plotTimeline(t, { now: 10_000 });
    expect(p.data.bars.map((b) => [b.number, b.state, b.durationMs, b.running])).toEqual([
      [0, 'COMPLETE', 3000, false],
      [1, 'FAIL', 500, false],
      [2, 'RUNNING', 7000, true],
    ]);
    expect(p.chart.series.map((s) => [s.name, s.data.length])).toEqual([
      ['COMPLETE', 1],
      ['PRUNED', 0],
      ['FAIL', 1],
      ['RUNNING', 1],
    ]);
    expect(p.chart.series[0]!.renderItem).toBe('tunekit.timeline');
    jsonSafe(p);
    const many = Array.from({ length: 20_000 }, (_, i) => mk(i, [i], {}, { datetimeStart: i, datetimeComplete: i + (i === 12_345 ? 99_999 : 10) }));
    const q = plotTimeline(many, { maxPoints: 300 });
    expect(q.data.bars.length).toBe(300);
    expect(q.data.bars.map((b) => b.number)).toContain(12_345);
  });

  it('rank: best 0, worst 1, ties share the lower rank, one panel per pair', () => {
    const t = [mk(0, [3], { x: 1, y: 1 }), mk(1, [1], { x: 2, y: 2 }), mk(2, [2], { x: 3, y: 3 }), mk(3, [2], { x: 4, y: 4 })];
    const p = plotRank(t, { params: ['x', 'y'] });
    expect(p.data.panels.length).toBe(1);
    expect(p.data.panels[0]!.ranks).toEqual([1, 0, 1 / 3, 1 / 3]);
    expect(p.chart.series[0]!.data.length).toBe(4);
    const three = plotRank(trials.map((x, i) => ({ ...x, params: { ...x.params, z: i }, distributions: { ...x.distributions, z: FLOAT } })));
    expect(three.data.panels.map((q) => `${q.x}×${q.y}`)).toEqual(['opt×x', 'opt×z', 'x×z']);
    jsonSafe(three);
  });

  it('importances: sorted bars, bad values refused', async () => {
    const p = plotParamImportances({ a: 0.2, b: 0.7, c: 0.1 });
    expect(p.data).toEqual({ params: ['b', 'a', 'c'], importances: [0.7, 0.2, 0.1] });
    expect(p.chart.series[0]!.data).toEqual([0.1, 0.2, 0.7]);
    await rejects(() => plotParamImportances({ a: NaN }), 'INVALID_PARAMETER', /the importance of "a" must be a finite number ≥ 0, got NaN/);
  });
});

describe('scale', () => {
  it('50 000 trials: every chart stays within maxPoints', () => {
    const n = 50_000;
    const big = Array.from({ length: n }, (_, i) =>
      mk(i, [Math.sin(i) * 10 + (i % 97), Math.cos(i) * 10 + (i % 89)], { x: (i * 7) % 1000, lr: 10 ** -((i % 400) / 100), opt: ['adam', 'sgd', 'rms'][i % 3] }),
    );
    const dirs = { directions: ['minimize', 'minimize'] as const, maxPoints: 1000 };
    const count = (p: Plot<unknown>): number => p.chart.series.reduce((s, x) => s + x.data.length, 0);
    expect(count(plotOptimizationHistory(big, dirs))).toBeLessThanOrEqual(2 * 1000 + 1000);
    expect(count(plotParallelCoordinate(big, dirs))).toBeLessThanOrEqual(1000);
    expect(count(plotSlice(big, dirs))).toBeLessThanOrEqual(1000);
    expect(count(plotRank(big, dirs))).toBeLessThanOrEqual(1000);
    expect(count(plotParetoFront(big, dirs))).toBeLessThanOrEqual(1000);
    expect(count(plotHypervolumeHistory(big, dirs))).toBeLessThanOrEqual(1000);
    expect(count(plotTimeline(big, dirs))).toBeLessThanOrEqual(1000);
    expect(plotContour(big, { ...dirs, params: ['lr', 'x'] }).chart.series[1]!.data.length).toBeLessThanOrEqual(1000);
    expect(count(plotEdf(big, dirs))).toBeLessThanOrEqual(1001);
  });
});
