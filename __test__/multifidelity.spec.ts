// MultiFidelityTPESampler (BOHB-style): the per-budget models, the pairing
// with HyperbandPruner and SuccessiveHalvingPruner (budgets = rungs), a CLI
// command objective's step lines, a noisy toy problem against TPE + Hyperband
// at equal total budget, and bad options.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createStudy, FINAL_BUDGET, HyperbandPruner, loadStudy, MULTIFIDELITY_BUDGET_ATTR, MultiFidelityTPESampler, observationsAt, SuccessiveHalvingPruner, TPESampler } from '../dist/index.js';
import type { FrozenTrial, TrialState } from '../dist/study/types.js';
import { rejects } from './helpers.js';
import { curveStudy, curveTrial, toy } from './curves.js';
import { sharedStorages } from './shared_storages.js';
import { tempDir } from './storages.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const CMD = fileURLToPath(new URL('./fixtures/commands/', import.meta.url));
const tmp = tempDir();
afterAll(() => tmp.remove());

/** A hand-built trial with one float parameter x. */
const mk = (number: number, state: TrialState, iv: Record<number, number>, value?: number): FrozenTrial => curveTrial(500, number, state, iv, value);

describe('the per-budget models', () => {
  const trials = [
    mk(0, 'COMPLETE', { 1: 5, 3: 4, 9: 3 }, 3),
    mk(1, 'PRUNED', { 1: 6, 3: 7 }),
    mk(2, 'PRUNED', { 1: 2 }),
    mk(3, 'RUNNING', { 1: 1, 3: 0.5 }),
    mk(4, 'FAIL', { 1: 0, 3: 0, 9: 0 }),
    mk(5, 'PRUNED', { 2: 8, 10: 9 }), // sparse steps: its value at budget 3 is the one at step 10
  ];

  it('a trial counts at every budget up to its last step, with its value at its first step ≥ the budget; FAIL trials never', () => {
    const at3 = observationsAt(trials, 3);
    expect(at3.trials.map((t) => t.number)).toEqual([0, 1, 3, 5]);
    expect(at3.values).toEqual([4, 7, 0.5, 9]);
    expect(at3.below.map((t) => t.number)).toEqual([2]); // pruned at step 1; RUNNING trials are never "below"
    const at9 = observationsAt(trials, 9);
    expect(at9.trials.map((t) => t.number)).toEqual([0, 5]);
    expect(at9.values).toEqual([3, 9]);
    expect(at9.below.map((t) => t.number)).toEqual([1, 2]);
    const final = observationsAt(trials, FINAL_BUDGET);
    expect([final.trials.map((t) => t.number), final.values]).toEqual([[0], [3]]);
    // The trial being sampled is left out.
    expect(observationsAt(trials, 3, 503).trials.map((t) => t.number)).toEqual([0, 1, 5]);
  });

  it('the model is the largest budget with minPointsInModel observations (auto: d + 2)', () => {
    const auto = new MultiFidelityTPESampler({ seed: 1 });
    // d = 1 → 3 observations: budget 3 has 4 (trials 0, 1, 3, 5), budget 9 has 2.
    expect(auto.observations(trials, 1)?.budget).toBe(3);
    // d = 2 → 4: still budget 3; d = 3 → 5: only budget 1 has 5 (0, 1, 2, 3, 5).
    expect(auto.observations(trials, 2)?.budget).toBe(3);
    expect(auto.observations(trials, 3)?.budget).toBe(1);
    expect(auto.observations(trials, 4)).toBeNull();
    const two = new MultiFidelityTPESampler({ seed: 1, minPointsInModel: 2 });
    expect(two.observations(trials, 5)?.budget).toBe(9);
    // Without trial 3 (the one being sampled) budget 3 has 3 left.
    expect(auto.observations(trials, 1, 503)?.values).toEqual([4, 7, 9]);
  });

  it('NaN values leave a budget short: the next lower budget is used', () => {
    const withNaN = [mk(0, 'PRUNED', { 1: 1, 3: NaN }), mk(1, 'PRUNED', { 1: 2, 3: 3 }), mk(2, 'PRUNED', { 1: 3, 3: 4 }), mk(3, 'PRUNED', { 1: 4 })];
    const s = new MultiFidelityTPESampler({ seed: 1, minPointsInModel: 3 });
    const obs = s.observations(withNaN, 1);
    expect(obs?.budget).toBe(1);
    expect(obs?.values).toEqual([1, 2, 3, 4]);
  });

  it('an objective that reports nothing: the COMPLETE values form the final budget (plain TPE)', () => {
    const plain = [0, 1, 2].map((n) => mk(n, 'COMPLETE', {}, n * 2));
    const s = new MultiFidelityTPESampler({ seed: 1 });
    expect(s.observations(plain, 1)?.budget).toBe(FINAL_BUDGET);
    expect(s.observations(plain, 1)?.values).toEqual([0, 2, 4]);
    expect(s.observations(plain, 2)).toBeNull();
  });

  it('randomFraction: the share of trials drawn at random, fixed by seed and trial number', () => {
    const s = new MultiFidelityTPESampler({ seed: 11 });
    const n = Array.from({ length: 2000 }, (_, i) => i).filter((i) => s.randomTrial(i)).length;
    expect(Math.abs(n / 2000 - 0.1)).toBeLessThan(0.02);
    expect(Array.from({ length: 50 }, (_, i) => s.randomTrial(i))).toEqual(Array.from({ length: 50 }, (_, i) => new MultiFidelityTPESampler({ seed: 11 }).randomTrial(i)));
    expect(new MultiFidelityTPESampler({ seed: 11, randomFraction: 0 }).randomTrial(3)).toBe(false);
    expect(new MultiFidelityTPESampler({ seed: 11, randomFraction: 1 }).randomTrial(3)).toBe(true);
  });
});

describe('pairing with the pruners: the budgets are the rungs', () => {
  for (const [name, make] of [
    ['HyperbandPruner', () => new HyperbandPruner({ minResource: 1, maxResource: 27, reductionFactor: 3 })],
    ['SuccessiveHalvingPruner', () => new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 })],
  ] as const) {
    it(`${name}: each model's budget is a rung (1, 3, 9, 27), never decreases, and pruned trials count up to their rung`, async () => {
      const trials = await (await curveStudy(new MultiFidelityTPESampler({ seed: 3, minPointsInModel: 8 }), make(), 60, 3)).trials();
      const budgets = trials.map((t) => t.systemAttrs[MULTIFIDELITY_BUDGET_ATTR]);
      const used = budgets.filter((b): b is number => typeof b === 'number');
      for (const b of used) expect([1, 3, 9, 27]).toContain(b);
      for (let i = 1; i < used.length; i++) expect(used[i]!).toBeGreaterThanOrEqual(used[i - 1]!);
      // 8 observations: the first model comes once 8 trials reported step 1.
      const first = budgets.findIndex((b) => typeof b === 'number');
      expect(first).toBeGreaterThanOrEqual(8);
      // Random trials (10%) record null.
      const s = new MultiFidelityTPESampler({ seed: 3 });
      trials.forEach((t, i) => {
        if (i > first && s.randomTrial(t.number)) expect(budgets[i]).toBeNull();
      });
      // A trial pruned at rung r is observed at every budget ≤ r and below every budget > r.
      const pruned = trials.filter((t) => t.state === 'PRUNED');
      expect(pruned.length).toBeGreaterThan(10);
      for (const t of pruned) {
        const r = Math.max(...Object.keys(t.intermediateValues).map(Number));
        expect([1, 3, 9, 27]).toContain(r);
        for (const b of [1, 3, 9, 27]) {
          const obs = observationsAt(trials, b);
          expect(obs.trials.includes(t)).toBe(b <= r);
          expect(obs.below.includes(t)).toBe(b > r);
        }
      }
      // The sequence, '·' for a random trial, '?' for the first (no relative space yet, so no record).
      expect(budgets.map((b) => (b === undefined ? '?' : b === null ? '·' : String(b))).join(' ')).toBe(EXPECTED[name]);
    });
  }
});

describe('every storage: the same proposals and budgets as in memory', () => {
  const { storages } = sharedStorages('mf.db');
  for (const [kind, url] of storages) {
    it(
      kind,
      async () => {
        const run = async (storage?: string) =>
          (await (await curveStudy(new MultiFidelityTPESampler({ seed: 9 }), new HyperbandPruner({ minResource: 1, maxResource: 27, reductionFactor: 3 }), 30, 9, storage)).trials()).map((t) => [
            t.params,
            t.state,
            t.systemAttrs[MULTIFIDELITY_BUDGET_ATTR] ?? '?',
          ]);
        const memory = await run();
        expect(memory.filter((r) => typeof r[2] === 'number').length).toBeGreaterThan(15);
        expect(await run(await url())).toEqual(memory);
      },
      60_000,
    );
  }
});

/** The budgets recorded with seed 3 and minPointsInModel 8 (defaults otherwise: BOHB's model), as computed when the default changed on 6 December: 1 → 3 → 9 → 27 as trials reach the rungs. */
const EXPECTED: Record<string, string> = {
  HyperbandPruner: '? · · · · · · · 1 1 · 1 · 1 1 3 3 · 3 3 3 3 3 9 · 9 9 9 9 9 9 9 27 27 27 27 27 27 27 27 27 27 27 27 27 27 27 27 27 27 27 27 27 27 27 27 · 27 · 27',
  // One pool of trials, every one pruned unless in the best third: fewer than 8 reach step 9 in 60 trials.
  SuccessiveHalvingPruner: '? · · · · · · · 1 1 · 1 · 1 1 1 3 · 3 3 3 3 3 3 · 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 · 3 · 3',
};

describe('a CLI command objective: its step lines are the budgets', () => {
  it('multifidelity_tpe with hyperband through `tunekit run`', async () => {
    const path = join(tmp.dir, 'mf.yaml');
    writeFileSync(
      path,
      `study: mf
storage: sqlite:mf.db
direction: minimize
nTrials: 24
sampler: { type: multifidelity_tpe, options: { seed: 5, randomFraction: 0 } }
pruner: { type: hyperband, options: { minResource: 1, maxResource: 9, reductionFactor: 3 } }
space: { x: [0.0, 1.0], y: [0.0, 1.0] }
objective:
  command: ["${process.execPath}", "${join(CMD, 'mf_curve.mjs')}", "--x", "{x}", "--y", "{y}"]
`,
    );
    const out = spawnSync(process.execPath, [CLI, 'run', path], { cwd: tmp.dir, encoding: 'utf8', timeout: 120_000 });
    expect(out.status, out.stderr).toBe(0);
    const study = await loadStudy({ name: 'mf', storage: `sqlite:${join(tmp.dir, 'mf.db')}` });
    const trials = await study.trials();
    expect(trials.length).toBe(24);
    const budgets = trials.map((t) => t.systemAttrs[MULTIFIDELITY_BUDGET_ATTR]);
    // The first trials are random (fewer than d + 2 = 4 observations), then the models take over at the rungs.
    expect(budgets.slice(0, 4)).toEqual([null, null, null, null]);
    for (const b of budgets.slice(4)) expect([1, 3, 9]).toContain(b);
    expect(trials.filter((t) => t.state === 'PRUNED').length).toBeGreaterThan(0);
    for (const t of trials) {
      const steps = Object.keys(t.intermediateValues).map(Number);
      expect(steps.length).toBeGreaterThan(0);
      expect(steps.every((s) => s >= 1 && s <= 9)).toBe(true);
    }
    // The first 4 trials ran to step 9 (nothing to compete with yet), so budget 9 has its 4 observations by trial 5.
    expect(budgets).toEqual(EXPECTED_CLI);
    expect((await study.bestTrial()).values![0]!).toBeLessThan(0.2);
  });
});

const EXPECTED_CLI = [null, null, null, null, 1, ...Array<number>(19).fill(9)];

describe('a noisy multi-fidelity toy problem', () => {
  it('with lowerBudgetsAsBad: true, beats TPE + Hyperband at equal total steps (1500) over 10 seeds: lower mean true value of the completed trials, and more seeds won', async () => {
    const mf: number[] = [];
    const tpe: number[] = [];
    for (let seed = 0; seed < 10; seed++) {
      mf.push(await toy(new MultiFidelityTPESampler({ seed, lowerBudgetsAsBad: true }), seed, 1500));
      tpe.push(await toy(new TPESampler({ seed }), seed, 1500));
    }
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const wins = mf.filter((v, i) => v < tpe[i]!).length;
    expect(mean(mf)).toBeLessThan(0.8 * mean(tpe));
    expect(wins).toBeGreaterThanOrEqual(7);
  }, 60_000);
});

describe('bad options and studies', () => {
  it('each option names the bad value', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ minPointsInModel: 1 }, /MultiFidelityTPESampler: minPointsInModel must be 'auto' or an integer ≥ 2, got 1/],
      [{ minPointsInModel: 'all' }, /MultiFidelityTPESampler: minPointsInModel must be 'auto' or an integer ≥ 2, got "all"/],
      [{ randomFraction: 1.5 }, /MultiFidelityTPESampler: randomFraction must be a number in \[0, 1\], got 1\.5/],
      [{ randomFraction: Number.NaN }, /MultiFidelityTPESampler: randomFraction must be a number in \[0, 1\], got NaN/],
      [{ nEiCandidates: 0 }, /MultiFidelityTPESampler: nEiCandidates must be an integer ≥ 1, got 0/],
      [{ priorWeight: -1 }, /MultiFidelityTPESampler: priorWeight must be a positive number, got -1/],
      [{ lowerBudgetsAsBad: 'yes' }, /MultiFidelityTPESampler: lowerBudgetsAsBad must be true or false, got "yes"/],
      [{ seed: -1 }, /MultiFidelityTPESampler: seed/],
    ];
    for (const [options, message] of cases) {
      let error: unknown;
      try {
        new MultiFidelityTPESampler(options as never);
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'INVALID_PARAMETER' });
      expect((error as Error).message).toMatch(message);
    }
  });

  it('a study with two objectives is refused when the sampler proposes', async () => {
    const study = await createStudy({ directions: ['minimize', 'minimize'], sampler: new MultiFidelityTPESampler({ seed: 1 }) });
    await rejects(
      study.optimize((t) => [t.suggestFloat('x', 0, 1), 0], { nTrials: 1 }),
      'INVALID_PARAMETER',
      /MultiFidelityTPESampler optimises one objective; this study has 2 \(use TPESampler for several\)/,
    );
  });

  it('a CLI config: an unknown option and a bad value, with the config path', async () => {
    const { validateConfig } = await import('../dist/cli/config.js');
    const base = { study: 's', nTrials: 1, space: { x: [0, 1] }, objective: { command: ['echo', '1'] } };
    expect(() => validateConfig({ ...base, sampler: { type: 'multifidelity_tpe', options: { rho: 0.2 } } }, tmp.dir)).toThrow(
      /sampler\.options\.rho: unknown option for the multifidelity_tpe sampler \(expected one of seed, minPointsInModel, randomFraction, nEiCandidates, priorWeight, lowerBudgetsAsBad\)/,
    );
    expect(() => validateConfig({ ...base, sampler: { type: 'multifidelity_tpe', options: { randomFraction: 2 } } }, tmp.dir)).toThrow(
      /sampler\.options: MultiFidelityTPESampler: randomFraction must be a number in \[0, 1\], got 2/,
    );
    expect(() => validateConfig({ ...base, directions: ['minimize', 'maximize'], sampler: 'multifidelity_tpe' }, tmp.dir)).toThrow(
      /sampler\.type: the multifidelity_tpe sampler optimises one objective; this config has 2 directions \(use tpe\)/,
    );
  });
});
