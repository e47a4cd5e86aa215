import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DATA_DIR, reference, type SvcReference } from './helpers.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('tunekit cv', () => {
  it('prints per-fold scores equal to scikit-learn\'s, as JSON', () => {
    const ref = reference<SvcReference>('svc_cv_wine.json');
    const r = ref.results.find((c) => c.params.kernel === 'rbf' && c.params.C === 10 && c.params.gamma === 'scale')!;
    const out = run('cv', '--data', `${DATA_DIR}wine.csv`, '--target', 'target', '--params', '{"C":10,"kernel":"rbf"}', '--cv', '5', '--json');
    expect(out.status, out.stderr).toBe(0);
    const res = JSON.parse(out.stdout);
    expect(res.scores).toEqual(r.fold_scores);
    expect(res.mean).toBeCloseTo(r.mean, 12);
  });

  it('prints a readable summary for a bundled data set', () => {
    const out = run('cv', '--data', 'iris', '--params', '{"kernel":"linear"}');
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/fold 0: 0\.9667/);
    expect(out.stdout).toMatch(/mean: 0\.9800/);
  });

  it('exits 2 with a clear message on bad input', () => {
    const bad = run('cv', '--data', 'iris', '--params', '{"C":-1}');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/INVALID_PARAMETER: .*C must be .*-1/);
    const unknown = run('cv', '--data', 'iris', '--params', '{"Cc":1}');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown parameter "Cc"/);
    expect(run('cv').status).toBe(2);
    expect(run('frobnicate').stderr).toMatch(/unknown command "frobnicate"/);
  });
});

describe('tunekit demo', () => {
  it('prints the walkthrough table with scikit-learn\'s best grid parameters', () => {
    const out = run('demo');
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/120 training rows, 30 test rows/);
    expect(out.stdout).toMatch(/grid search\s+C=1, gamma=scale, kernel=linear\s+0\.9583\s+1\.0000\s+16/);
    expect(out.stdout).toMatch(/random search\s+C=21\.2339\s+0\.9667\s+1\.0000\s+50/);
    // Bayesian and genetic steps: 30 and 50 evaluations, CV scores as good as the grid's best
    expect(out.stdout).toMatch(/Bayesian optimisation\s+C=[\d.]+, gamma=[\d.e-]+\s+0\.9[5-9]\d\d\s+\d\.\d{4}\s+30\s/);
    expect(out.stdout).toMatch(/genetic algorithm\s+C=[\d.]+, gamma=[\d.e-]+\s+0\.9[5-9]\d\d\s+\d\.\d{4}\s+50\s/);
  });
});
