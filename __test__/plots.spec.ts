// tunekit/plots (issue 14, item 1): the plot data on known studies (best so
// far, learning curves, axes, Pareto fronts, hypervolumes, EDFs, contour
// grids, timelines), the downsampling bound, and charts that survive JSON.
import { describe, expect, it } from 'vitest';
import { createStudy, type FrozenTrial } from '../dist/index.js';
import { downsample, plotIntermediateValues, plotOptimizationHistory, plotParallelCoordinate, plotSlice, RENDER_SCRIPT, type Plot } from '../dist/plots/index.js';
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
    const study = await createStudy({ directions: ['minimize'] });
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
