import { spawn, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPostgres, tempDir } from './storages.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const CMD = fileURLToPath(new URL('./fixtures/commands/', import.meta.url));
const tmp = tempDir();
/** PostgreSQL databases to drop at the end. */
const dropAfter: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of dropAfter) await drop();
  tmp.remove();
});

/** Runs the real CLI in the temporary directory (argument array, no shell). */
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: tmp.dir, encoding: 'utf8', timeout: 120_000 });

function config(name: string, text: string): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, text);
  return path;
}

/** Whether a process still runs (a zombie waiting to be reaped counts as gone), polling up to 2 s for it to end. */
const alive = (pid: number): boolean => {
  const running = (): boolean => {
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return true;
    }
  };
  const until = Date.now() + 2000;
  while (running()) {
    if (Date.now() > until) return true;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
  return false;
};

const trialsOf = (study: string, storage = 'sqlite:tunekit.db') => {
  const out = cli('export', study, '--format', 'json', '--storage', storage);
  expect(out.status, out.stderr).toBe(0);
  return JSON.parse(out.stdout) as Record<string, unknown>[];
};

describe('tunekit run', () => {
  it('runs a config to completion on SQLite, resumes it, and exports rows that parse', () => {
    const path = config(
      'iris.yaml',
      `study: iris
direction: maximize
sampler: { type: random, options: { seed: 3 } }
pruner: none
nTrials: 6
space:
  C: { type: float, low: 0.1, high: 100, log: true }
  kernel: { type: categorical, choices: [linear, rbf] }
objective: { builtin: svc, data: iris, cv: 5 }
`,
    );
    const first = cli('run', path);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout.match(/^trial \d+ COMPLETE value=0\.\d+/gm)).toHaveLength(6);
    expect(first.stdout).toMatch(/study "iris": 6 trials \(6 complete, 0 pruned, 0 failed\)/);
    expect(existsSync(join(tmp.dir, 'tunekit.db'))).toBe(true);
    // Same config, larger budget: resumes, numbering continues.
    writeFileSync(path, readFileSync(path, 'utf8').replace('nTrials: 6', 'nTrials: 9'));
    const second = cli('run', path, '--json');
    expect(second.status, second.stderr).toBe(0);
    const lines = second.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.number)).toEqual([6, 7, 8]);
    const rows = trialsOf('iris');
    expect(rows.map((r) => r.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const r of rows) {
      expect(r.state).toBe('COMPLETE');
      expect(r.value as number).toBeGreaterThan(0.3);
      expect(['linear', 'rbf']).toContain(r.params_kernel);
    }
    const csv = cli('export', 'iris', '--format', 'csv', '--output', join(tmp.dir, 'iris.csv'));
    expect(csv.status, csv.stderr).toBe(0);
    const table = readFileSync(join(tmp.dir, 'iris.csv'), 'utf8').trim().split('\n');
    expect(table[0]).toBe('number,state,value,params_C,params_kernel,datetime_start,datetime_complete,duration');
    expect(table).toHaveLength(10);
    const best = cli('best', 'iris');
    expect(JSON.parse(best.stdout).values[0]).toBe(Math.max(...rows.map((r) => r.value as number)));
    expect(cli('studies').stdout).toMatch(/iris\s+maximize\s+9/);
    expect(cli('trials', 'iris', '--state', 'COMPLETE').stdout.trim().split('\n')).toHaveLength(11);
    expect(cli('delete', 'iris').status).toBe(0);
    expect(cli('best', 'iris').stderr).toMatch(/STUDY_NOT_FOUND/);
  });

  it('a module objective, and a second worker joining from the stored config', () => {
    const path = config(
      'module.yaml',
      `study: module
storage: sqlite:module.db
sampler: { type: qmc, options: { seed: 1 } }
nTrials: 8
space: { x: [0, 4], k: { type: int, low: 0, high: 6 } }
objective: { module: ${join(CMD, 'objective.mjs')} }
`,
    );
    expect(cli('run', path, '--quiet').status).toBe(0);
    // A worker with a larger budget in its config works until the study has 12 trials.
    writeFileSync(path, readFileSync(path, 'utf8').replace('nTrials: 8', 'nTrials: 12'));
    const joined = cli('worker', '--config', path, '--json');
    expect(joined.status, joined.stderr).toBe(0);
    expect(
      joined.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).number),
    ).toEqual([8, 9, 10, 11]);
    // A module is code: a worker runs it only from a config file it was given, never from the database alone.
    const w = cli('worker', '--storage', 'sqlite:module.db', '--study', 'module', '--json');
    expect(w.status).toBe(2);
    expect(w.stderr).toMatch(/study "module" runs a module objective: give --config FILE/);
    expect(w.stdout).toBe('');
    // A TypeScript module: imported where Node can strip types, else a clear config error.
    writeFileSync(join(tmp.dir, 'objective.ts'), 'export default (trial: { params: Record<string, number> }): number => trial.params.x;\n');
    const ts = config('ts.yaml', readFileSync(path, 'utf8').replace(join(CMD, 'objective.mjs'), join(tmp.dir, 'objective.ts')).replace('study: module', 'study: ts'));
    const tsRun = cli('run', ts, '--quiet');
    if (tsRun.status === 0) expect(trialsOf('ts', 'sqlite:module.db').every((r) => r.value === r.params_x)).toBe(true);
    else {
      expect(tsRun.status).toBe(2);
      expect(tsRun.stderr).toMatch(/objective\.module: .*objective\.ts is TypeScript, which this Node cannot import by itself: compile it to \.mjs/);
    }
    const rows = trialsOf('module', 'sqlite:module.db');
    expect(rows).toHaveLength(12);
    for (const r of rows) expect(r.value).toBeCloseTo(((r.params_x as number) - 2) ** 2 + Math.abs((r.params_k as number) - 3), 12);
  });
});

describe('command objectives', () => {
  it("intermediate values reach the pruner; a pruned trial's process is terminated", () => {
    const path = config(
      'prune.yaml',
      `study: prune
storage: sqlite:prune.db
direction: minimize
sampler: grid
pruner: { type: median, options: { nStartupTrials: 2 } }
space: { x: { type: categorical, choices: [0, 1, 5] } }
objective:
  command: ["${process.execPath}", "${join(CMD, 'curve.mjs')}", "--x", "{x}", "--dir", "${tmp.dir}"]
  gracePeriod: 1
`,
    );
    const out = cli('run', path);
    expect(out.status, out.stderr).toBe(0);
    const rows = trialsOf('prune', 'sqlite:prune.db');
    expect(rows.map((r) => [r.params_x, r.state])).toEqual([
      [0, 'COMPLETE'],
      [1, 'COMPLETE'],
      [5, 'PRUNED'],
    ]);
    expect(rows[0]!.value).toBe(10);
    expect(rows[2]!.value).toBe(50); // the last reported value
    const pid = Number(readFileSync(join(tmp.dir, 'pid-2'), 'utf8'));
    expect(alive(pid)).toBe(false);
  });

  it('a crash, a hang past its timeout (children too), no result: each FAIL with its reason, and the study goes on', () => {
    const program = (file: string) => `["${process.execPath}", "${join(CMD, file)}", "--dir", "${tmp.dir}", "--t", "{t}"]`;
    for (const [file, extra] of [
      ['crash.mjs', ''],
      ['hang.mjs', '\n  timeoutPerTrial: 1\n  gracePeriod: 0.5'],
      ['no_number.mjs', ''],
    ] as const) {
      const study = file.replace('.mjs', '');
      const path = config(
        `${study}.yaml`,
        `study: ${study}
storage: sqlite:fail.db
sampler: random
nTrials: 2
space: { t: [0, 1] }
objective:
  command: ${program(file)}${extra}
`,
      );
      const t0 = Date.now();
      const out = cli('run', path);
      expect(out.status, out.stderr).toBe(0);
      const rows = trialsOf(study, 'sqlite:fail.db');
      expect(rows.map((r) => r.state)).toEqual(['FAIL', 'FAIL']);
      const reasons = out.stdout;
      if (file === 'crash.mjs') {
        expect(reasons).toMatch(/exited with code 3; stderr ends: .*boom: CUDA out of memory/);
        expect(rows[0]!.user_attrs_stderr_tail).toMatch(/Traceback/);
      }
      if (file === 'no_number.mjs') expect(reasons).toMatch(/printed no result/);
      if (file === 'hang.mjs') {
        expect(reasons).toMatch(/timed out after 1 s/);
        expect(Date.now() - t0).toBeLessThan(15_000);
        for (const n of [0, 1]) {
          const pids = JSON.parse(readFileSync(join(tmp.dir, `pids-${n}`), 'utf8')) as number[];
          for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
        }
      }
    }
  });

  it('parameter values with shell metacharacters arrive as one literal argument', () => {
    const evil = ['; touch pwned-1', '$(touch pwned-2)', '`touch pwned-3`', "a' && touch pwned-4 #", '| touch pwned-5'];
    const out = join(tmp.dir, 'args.json');
    const path = join(tmp.dir, 'evil.json');
    writeFileSync(
      path,
      JSON.stringify({
        study: 'evil',
        storage: 'sqlite:evil.db',
        sampler: 'grid',
        pruner: 'none',
        space: { s: { type: 'categorical', choices: evil } },
        objective: { command: [process.execPath, join(CMD, 'echo_args.mjs'), '--s', '{s}', '--out', out] },
      }),
    );
    const r = cli('run', path, '--quiet');
    expect(r.status, r.stderr).toBe(0);
    const rows = trialsOf('evil', 'sqlite:evil.db');
    expect(rows.map((r) => r.params_s).sort()).toEqual([...evil].sort());
    const last = JSON.parse(readFileSync(out, 'utf8'));
    expect(last.argv).toEqual(['--s', rows[rows.length - 1]!.params_s, '--out', out]);
    expect(last.study).toBe('evil');
    for (let i = 1; i <= 5; i++) expect(existsSync(join(tmp.dir, `pwned-${i}`))).toBe(false);
  });
});

describe('workers share one study', () => {
  /** The CLI as a child process, for several at once. */
  const cliAsync = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: tmp.dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });

  const totals: [string, () => Promise<string>][] = [
    ['sqlite', async () => 'sqlite:total.db'],
    [
      'postgres',
      async () => {
        const db = await freshPostgres();
        dropAfter.push(db.drop);
        return db.url;
      },
    ],
  ];
  it.each(totals)(
    'nTrials is the study total (%s): 5 workers with concurrency 2 on nTrials 20 make exactly 20 trials',
    async (_name, url) => {
      const storage = await url();
      writeFileSync(join(tmp.dir, 'slow.mjs'), 'export default async (trial) => { await new Promise((r) => setTimeout(r, 20)); return trial.params.x; };\n');
      const path = config(
        `total-${_name}.yaml`,
        `study: total\nstorage: ${JSON.stringify(storage)}\nsampler: { type: random, options: { seed: 1 } }\nnTrials: 20\nconcurrency: 2\nspace: { x: [0, 1] }\nobjective: { module: slow.mjs }\n`,
      );
      const runs = await Promise.all(Array.from({ length: 5 }, () => cliAsync('worker', '--config', path, '--json')));
      for (const r of runs) expect(r.status, r.stderr).toBe(0);
      const rows = trialsOf('total', storage);
      expect(rows).toHaveLength(20);
      expect(rows.every((r) => r.state === 'COMPLETE')).toBe(true);
      // Each trial was reported by exactly one worker.
      const reported = runs.flatMap((r) =>
        r.stdout
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l).number as number),
      );
      expect(reported.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    },
    120_000,
  );

  it('the stored config holds no storage URL, and a worker never runs a command read from the database', () => {
    const marker = join(tmp.dir, 'pwned-db');
    const path = config(
      'trusted.json',
      JSON.stringify({
        study: 'trusted',
        storage: 'sqlite:trusted.db',
        sampler: 'random',
        nTrials: 2,
        space: { x: [0, 1] },
        objective: { command: [process.execPath, join(CMD, 'echo_args.mjs'), '--x', '{x}', '--out', join(tmp.dir, 'trusted-args.json')] },
      }),
    );
    expect(cli('run', path, '--quiet').status).toBe(0);
    const db = new Database(join(tmp.dir, 'trusted.db'));
    const row = db.prepare("SELECT value_json FROM study_attrs WHERE kind = 'system' AND key = 'cli_config'").get() as { value_json: string };
    const stored = JSON.parse(row.value_json) as Record<string, unknown>;
    expect(Object.keys(stored)).not.toContain('storage');
    expect(row.value_json).not.toContain('trusted.db');
    // Whoever can write the row rewrites the command: a worker joining from the database refuses to run it.
    (stored.objective as { command: string[] }).command = [process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); console.log(1)`];
    db.prepare("UPDATE study_attrs SET value_json = ? WHERE kind = 'system' AND key = 'cli_config'").run(JSON.stringify(stored));
    db.close();
    const w = cli('worker', '--storage', 'sqlite:trusted.db', '--study', 'trusted');
    expect(w.status).toBe(2);
    expect(w.stderr).toMatch(/study "trusted" runs a command objective: give --config FILE \(a worker runs commands and modules only from a config file it was given, never from the database\)/);
    expect(existsSync(marker)).toBe(false);
    // A config file that runs something else than the study was started with is refused too; the same config joins.
    const other = config('other.json', readFileSync(path, 'utf8').replace('"--x"', '"--y"').replace('"nTrials":2', '"nTrials":3'));
    const refused = cli('worker', '--config', other);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/study "trusted" was started with another objective or space \(digest [0-9a-f]{12}…, this config [0-9a-f]{12}…\)/);
    const same = cli('worker', '--config', config('same.json', readFileSync(path, 'utf8').replace('"nTrials":2', '"nTrials":3')), '--json');
    expect(same.status, same.stderr).toBe(0);
    expect(trialsOf('trusted', 'sqlite:trusted.db')).toHaveLength(3);
  });
});

describe('bad configs: a precise message, exit code 2, nothing runs', () => {
  const base = {
    study: 'bad',
    storage: 'sqlite:bad.db',
    nTrials: 2,
    space: { lr: { type: 'float', low: 1e-4, high: 1e-1, log: true }, layers: { type: 'int', low: 1, high: 4 } },
    objective: { command: ['python3', 'train.py', '--lr', '{lr}', '--layers', '{layers}'] },
  };
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['unknown sampler', { sampler: { type: 'tpe2' } }, /sampler\.type: expected one of auto, random, grid, qmc, gp, tpe, genetic, cmaes, multifidelity_tpe, multifidelity_gp, got "tpe2"/],
    ['bad sampler option', { sampler: { type: 'gp', options: { kappa: -1 } } }, /sampler\.options\.kappa: expected a positive number, got -1/],
    ['wrong type', { nTrials: 'ten' }, /nTrials: expected a positive integer, got "ten"/],
    ['low ≥ high', { space: { lr: { type: 'float', low: 0.1, high: 0.01 } } }, /space\.lr: low must not exceed high, got low=0\.1, high=0\.01/],
    ['missing objective', { objective: undefined }, /objective: required/],
    ['unknown placeholder', { objective: { command: ['python3', 'train.py', '--lr', '{lrr}'] } }, /objective\.command\[3\]: unknown placeholder \{lrr\} \(the space has lr, layers\)/],
    ['unknown key', { samplr: 'gp' }, /samplr: unknown key/],
    // Option values are checked by the sampler's or pruner's own constructor (the registry builds it once while validating).
    ['bad sampler option value', { sampler: { type: 'gp', options: { nStartupTrials: -1 } } }, /sampler\.options: GPSampler: nStartupTrials must be an integer ≥ 0, got -1/],
    ['bad kernel', { sampler: { type: 'gp', options: { kernel: 'cubic' } } }, /sampler\.options: GPSampler: kernel must be "matern52", "matern32" or "rbf", got "cubic"/],
    ['bad pruner option value', { pruner: { type: 'hyperband', options: { reductionFactor: 1 } } }, /pruner\.options: HyperbandPruner: reductionFactor must be an integer ≥ 2, got 1/],
    ['percentile pruner without percentile', { pruner: 'percentile' }, /pruner\.options: PercentilePruner: percentile must be a number in \[0, 100\]/],
    [
      'unknown pruner option',
      { pruner: { type: 'median', options: { patience: 3 } } },
      /pruner\.options\.patience: unknown option for the median pruner \(expected one of nStartupTrials, nWarmupSteps, intervalSteps, nMinTrials\)/,
    ],
  ];
  for (const [what, change, message] of cases) {
    it(what, () => {
      const path = join(tmp.dir, `bad-${what.replace(/\W/g, '')}.json`);
      writeFileSync(path, JSON.stringify({ ...base, ...change }));
      const r = cli('run', path);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(join(tmp.dir, 'bad.db'))).toBe(false);
    });
  }

  it('YAML is loaded safely: a tag that would build an object or code is refused', () => {
    const path = config('tags.yaml', `study: !!js/function "function () { return 1 }"\nnTrials: 1\nspace: { C: [0.1, 1] }\nobjective: { builtin: svc }\n`);
    const r = cli('run', path);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Unresolved tag: tag:yaml.org,2002:js\/function.*custom YAML tags are refused/);
  });
});

describe('the CLI registry of samplers and pruners', () => {
  it('names every type the config takes, and builds each with default options', async () => {
    const { PRUNERS, SAMPLERS } = await import('../dist/cli/registry.js');
    const { validateConfig } = await import('../dist/cli/config.js');
    const { makePruner, makeSampler } = await import('../dist/cli/run.js');
    expect(Object.keys(SAMPLERS)).toEqual(['auto', 'random', 'grid', 'qmc', 'gp', 'tpe', 'genetic', 'cmaes', 'multifidelity_tpe', 'multifidelity_gp']);
    expect(Object.keys(PRUNERS)).toEqual(['none', 'median', 'percentile', 'successive_halving', 'hyperband']);
    const space = { k: { type: 'int', low: 1, high: 3 } };
    for (const type of Object.keys(SAMPLERS)) {
      const c = validateConfig({ study: 's', nTrials: 1, sampler: type, space, objective: { command: ['echo', '1'] } }, tmp.dir);
      expect(c.sampler.type).toBe(type);
      const made = makeSampler(c);
      expect(made.sampleIndependent).toBeTypeOf('function');
    }
    for (const type of Object.keys(PRUNERS)) {
      const options = type === 'percentile' ? { percentile: 25 } : {};
      const c = validateConfig({ study: 's', nTrials: 1, pruner: { type, options }, space, objective: { command: ['echo', '1'] } }, tmp.dir);
      expect(makePruner(c).prune).toBeTypeOf('function');
    }
  });
});
