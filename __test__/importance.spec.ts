// Parameter importance (issue 14, item 2): PED-ANOVA and fANOVA against
// Optuna 5.1's evaluators on the same trials (reference/importance/, made by
// reference/importance/make_fixtures.py), from a list of trials and from a
// study; invariants; errors.
//
// Tolerances: PED-ANOVA is deterministic and matches Optuna's normalised
// importances to 1e-6 relative (1e-12 absolute near 0). fANOVA's forest
// draws differ from scikit-learn's: Spearman ≥ 0.9 against the mean of
// Optuna's importances over seeds 0–4, the same top parameter, every value
// within 0.05 absolute, and the parameter without effect last.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createStudy, paramImportances, RandomSampler, type FrozenTrial, type StudyDistribution, type Trial } from '../dist/index.js';
import { tempDir } from './storages.js';

interface RefStudy {
  name: string;
  direction: 'minimize' | 'maximize';
  distributions: Record<string, StudyDistribution>;
  trials: { number: number; value: number; params: Record<string, unknown> }[];
  ped_anova: Record<string, Record<string, number>>;
  fanova: Record<string, Record<string, number>>;
}

const REF = JSON.parse(readFileSync(new URL('../reference/importance/importance_reference.json', import.meta.url), 'utf8')) as { optuna: string; studies: RefStudy[] };

function frozen(s: RefStudy): FrozenTrial[] {
  return s.trials.map((t) => ({
    id: t.number,
    number: t.number,
    state: 'COMPLETE',
    values: [t.value],
    params: t.params,
    distributions: s.distributions,
    intermediateValues: {},
    userAttrs: {},
    systemAttrs: {},
    datetimeStart: null,
    datetimeComplete: null,
  }));
}

function closeTo(got: Record<string, number>, want: Record<string, number>, rel: number, abs: number): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const [k, w] of Object.entries(want)) {
    const g = got[k]!;
    if (!(Math.abs(g - w) <= rel * Math.abs(w) + abs)) throw new Error(`${k}: got ${g}, Optuna ${w}`);
  }
}

function ranks(v: number[]): number[] {
  const idx = v.map((_, i) => i).sort((a, b) => v[a]! - v[b]!);
  const r = new Array<number>(v.length);
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && v[idx[j + 1]!] === v[idx[i]!]) j++;
    for (let k = i; k <= j; k++) r[idx[k]!] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}

function spearman(a: number[], b: number[]): number {
  const [ra, rb] = [ranks(a), ranks(b)];
  const mean = (x: number[]) => x.reduce((s, y) => s + y, 0) / x.length;
  const [ma, mb] = [mean(ra), mean(rb)];
  let cov = 0;
  let va = 0;
  let vb = 0;
  ra.forEach((x, i) => {
    cov += (x - ma) * (rb[i]! - mb);
    va += (x - ma) ** 2;
    vb += (rb[i]! - mb) ** 2;
  });
  return cov / Math.sqrt(va * vb);
}

describe('paramImportances against Optuna 5.1', () => {
  it('reads fixtures made by Optuna 5.1', () => {
    expect(REF.optuna).toBe('5.1.0');
    expect(REF.studies.map((s) => s.name)).toEqual(['numeric', 'int', 'log', 'categorical', 'mixed', 'maximize']);
  });

  for (const s of REF.studies) {
    it(`PED-ANOVA matches Optuna's to 1e-6 relative: ${s.name}`, async () => {
      const trials = frozen(s);
      closeTo(await paramImportances(trials, { direction: s.direction }), s.ped_anova['default']!, 1e-6, 1e-12);
      closeTo(await paramImportances(trials, { direction: s.direction, evaluateOnLocal: false }), s.ped_anova['global']!, 1e-6, 1e-12);
      closeTo(await paramImportances(trials, { direction: s.direction, targetQuantile: 0.2, regionQuantile: 0.5 }), s.ped_anova['q0.2_r0.5']!, 1e-6, 1e-12);
    });

    it(`fANOVA agrees with Optuna's by rank: ${s.name}`, async () => {
      const got = await paramImportances(frozen(s), { evaluator: 'fanova' });
      const names = Object.keys(s.distributions);
      const seeds = Object.values(s.fanova);
      const want = names.map((n) => seeds.reduce((acc, v) => acc + v[n]! / seeds.length, 0));
      const ours = names.map((n) => got[n]!);
      expect(spearman(ours, want)).toBeGreaterThanOrEqual(0.9);
      // the same top parameter: the first key of both orders
      expect(Object.keys(got)[0]).toBe(Object.keys(s.fanova['0']!)[0]);
      ours.forEach((g, i) => expect(Math.abs(g - want[i]!)).toBeLessThanOrEqual(0.05));
      // the parameter without effect is the least important of those that vary
      const varying = Object.keys(got).filter((n) => n !== 'fixed');
      expect(varying.at(-1)).toBe('dummy');
      expect(got['dummy']).toBeLessThan(0.02);
    });
  }

  it('returns importances summing to 1, sorted descending, a fixed parameter at 0', async () => {
    const s = REF.studies.find((x) => x.name === 'mixed')!;
    for (const evaluator of ['ped-anova', 'fanova'] as const) {
      const imp = await paramImportances(frozen(s), { evaluator });
      const values = Object.values(imp);
      expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(values.every((v) => v >= 0)).toBe(true);
      expect([...values].sort((a, b) => b - a)).toEqual(values);
      expect(imp['fixed']).toBe(0);
    }
  });

  it('fANOVA is deterministic for a seed and differs with another', async () => {
    const trials = frozen(REF.studies[4]!);
    const a = await paramImportances(trials, { evaluator: 'fanova', seed: 3 });
    expect(await paramImportances(trials, { evaluator: 'fanova', seed: 3 })).toEqual(a);
    expect(await paramImportances(trials, { evaluator: 'fanova', seed: 4 })).not.toEqual(a);
  });

  it('assesses only the params asked for', async () => {
    const s = REF.studies.find((x) => x.name === 'numeric')!;
    const imp = await paramImportances(frozen(s), { params: ['x0', 'dummy'] });
    expect(Object.keys(imp)).toEqual(['x0', 'dummy']);
    expect(imp['x0']).toBeGreaterThan(0.9);
  });
});

/** A study holding the fixture's trials, told through the study runtime. */
async function studyOf(s: RefStudy) {
  const study = await createStudy({ direction: s.direction, sampler: new RandomSampler({ seed: 1 }) });
  const suggest = (t: Trial, name: string, d: StudyDistribution) =>
    d.type === 'categorical'
      ? t.suggestCategorical(name, d.choices as string[])
      : d.type === 'int'
        ? t.suggestInt(name, d.low, d.high, { log: d.log ?? false, step: d.step ?? 1 })
        : t.suggestFloat(name, d.low, d.high, d.log ? { log: true } : d.step === undefined ? {} : { step: d.step });
  for (const tr of s.trials) {
    await study.enqueueTrial(tr.params);
    const t = await study.ask();
    for (const [name, d] of Object.entries(s.distributions)) suggest(t, name, d);
    await study.tell(t, tr.value);
  }
  return study;
}

describe('paramImportances of a study', () => {
  it("takes the study's direction (a maximised objective) and its COMPLETE trials", async () => {
    const s = REF.studies.find((x) => x.name === 'maximize')!;
    const study = await studyOf(s);
    const failed = await study.ask();
    failed.suggestFloat('x', 0, 1);
    await study.tell(failed, { state: 'FAIL' });
    closeTo(await paramImportances(study), s.ped_anova['default']!, 1e-6, 1e-12);
    // with a bare list of trials the direction is 'minimize' unless given
    const minimised = await paramImportances(await study.trials());
    expect(minimised).not.toEqual(await paramImportances(study));
  });

  it('refuses a study with several objectives without a target, and takes one with it', async () => {
    const study = await createStudy({ name: 'two', directions: ['minimize', 'minimize'], sampler: new RandomSampler({ seed: 2 }) });
    await study.optimize(
      (t) => {
        const x = t.suggestFloat('x', 0, 1);
        const y = t.suggestFloat('y', 0, 1);
        return [x, y + 0.01 * x];
      },
      { nTrials: 30 },
    );
    await expect(paramImportances(study)).rejects.toMatchObject({ code: 'INVALID_DATA', message: expect.stringContaining('study "two" has 2 objectives: give a target') });
    await expect(paramImportances(await study.trials())).rejects.toMatchObject({ code: 'INVALID_DATA', message: expect.stringContaining('trial 0 has 2 objective values: give a target') });
    const imp = await paramImportances(study, { target: (t) => t.values![1]!, evaluator: 'fanova' });
    expect(Object.keys(imp)[0]).toBe('y');
  });
});

describe('paramImportances errors', () => {
  const trials = frozen(REF.studies[0]!).slice(0, 20);

  it('names bad options', async () => {
    await expect(paramImportances(trials, { evaluator: 'mdi' as never })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
      message: "paramImportances: evaluator must be 'ped-anova' or 'fanova', got \"mdi\"",
    });
    await expect(paramImportances(trials, { nTress: 3 } as never)).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringContaining('unknown option "nTress"') });
    await expect(paramImportances(trials, { targetQuantile: 0 })).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: 'targetQuantile must be in (0, 1), got 0' });
    await expect(paramImportances(trials, { targetQuantile: 0.5, regionQuantile: 0.3 })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
      message: 'regionQuantile must be in (targetQuantile, 1], got 0.3',
    });
    await expect(paramImportances(trials, { evaluator: 'fanova', nTrees: 0 })).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: 'nTrees must be an integer ≥ 1, got 0' });
    await expect(paramImportances(trials, { evaluator: 'fanova', maxDepth: 1.5 })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
      message: 'paramImportances: maxDepth must be an integer in [0, 2^32), got 1.5',
    });
  });

  it('names bad data: a non-finite target, too few trials, an unknown parameter', async () => {
    await expect(paramImportances(trials, { target: (t) => (t.number === 7 ? Number.NaN : t.values![0]!) })).rejects.toMatchObject({
      code: 'INVALID_DATA',
      message: 'the target of trial 7 is NaN: targets must be finite numbers',
    });
    await expect(paramImportances(trials.slice(0, 1))).rejects.toMatchObject({ code: 'INVALID_DATA', message: 'parameter importance needs at least 2 COMPLETE trials, got 1' });
    await expect(paramImportances([])).rejects.toMatchObject({ code: 'INVALID_DATA', message: 'paramImportances: no parameter is common to all COMPLETE trials' });
    await expect(paramImportances(trials, { params: ['nope'] })).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: 'paramImportances: no COMPLETE trial has parameter "nope"' });
    await expect(paramImportances(trials, { evaluator: 'fanova', target: () => 1 })).rejects.toMatchObject({ code: 'INVALID_DATA', message: expect.stringContaining('zero variance in every tree') });
  });

  it('gives equal shares when nothing matters to PED-ANOVA (a constant target)', async () => {
    const imp = await paramImportances(trials, { target: () => 1 });
    expect(Object.values(imp)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});

describe('tunekit importance', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());
  const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: tmp.dir, encoding: 'utf8', timeout: 120_000 });

  it('prints the importances of a stored study as a table or JSON', async () => {
    const s = REF.studies.find((x) => x.name === 'maximize')!;
    const storage = `sqlite:${join(tmp.dir, 'imp.db')}`;
    const study = await createStudy({ name: 'imp', storage, direction: s.direction, sampler: new RandomSampler({ seed: 1 }) });
    for (const tr of s.trials) {
      const t = await study.ask();
      for (const [name, d] of Object.entries(s.distributions)) if (d.type === 'float') t.suggestFloat(name, d.low, d.high);
      await study.tell(t, tr.value);
    }
    const want = await paramImportances(study);
    const json = cli('importance', 'imp', '--storage', storage, '--json');
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(want);
    const table = cli('importance', 'imp', '--storage', storage, '--evaluator', 'fanova');
    expect(table.status, table.stderr).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^parameter\s+importance$/);
    expect(lines).toHaveLength(5); // header, rule, 3 parameters
    const fanova = await paramImportances(study, { evaluator: 'fanova' });
    expect(lines.slice(2).map((l) => l.split(/\s+/))).toEqual(Object.entries(fanova).map(([n, v]) => [n, v.toFixed(4)]));
  });

  it('refuses an unknown evaluator with the usage', () => {
    const r = cli('importance', 'imp', '--storage', 'memory', '--evaluator', 'mdi');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--evaluator: expected ped-anova or fanova, got "mdi"');
    const help = cli('importance', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage:\n {2}tunekit importance STUDY \[--evaluator ped-anova\|fanova\] \[--json\] \[--storage URL\]\n/);
  });
});
