import { spawnSync } from 'node:child_process';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DATA_DIR, reference, type SvcReference } from './helpers.js';
import { tempDir } from './storages.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('tunekit cv', () => {
  it("prints per-fold scores equal to scikit-learn's, as JSON", () => {
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
  it("prints the walkthrough table with scikit-learn's best grid parameters", () => {
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

describe('tunekit: hostile names, limits and errors without stacks', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());
  /** The CLI run in the temporary directory (no file there is named like a bundled set). */
  const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: tmp.dir, encoding: 'utf8', timeout: 120_000 });
  const write = (name: string, text: string): string => {
    const path = join(tmp.dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('cv --data __proto__ / toString / constructor are file names, not bundled sets', () => {
    for (const name of ['__proto__', 'toString', 'constructor']) {
      const out = cli('cv', '--data', name);
      expect(out.status, out.stderr).toBe(2);
      expect(out.stderr).toContain(`tunekit: CSV_ERROR: ${name}: cannot be read (ENOENT)`);
      expect(out.stderr).not.toMatch(/TypeError/);
    }
  });

  it('a config whose builtin data is "toString" reads a file of that name', () => {
    const path = write('svc_tostring.yaml', 'study: ts\nstorage: memory\nnTrials: 1\nsampler: random\nspace:\n  C: [0.1, 10]\nobjective: { builtin: svc, data: toString }\n');
    const out = cli('run', path);
    expect(out.status, out.stderr).toBe(2);
    expect(out.stderr).toMatch(/CSV_ERROR: .*toString: cannot be read \(ENOENT\)/);
  });

  it('a YAML config with constructor, toString and valueOf parameters runs to COMPLETE (no RUNNING trial left)', () => {
    const path = write(
      'ctor.yaml',
      `study: ctor
storage: sqlite:ctor.db
direction: minimize
sampler: { type: random, options: { seed: 2 } }
pruner: none
nTrials: 3
space:
  constructor: { type: float, low: 0, high: 1 }
  toString: { type: categorical, choices: [a, b] }
  valueOf: { type: int, low: 1, high: 3 }
objective:
  command: [${JSON.stringify(process.execPath)}, -e, "console.log(Number(process.argv[1]) + Number(process.argv[2]))", "{constructor}", "{valueOf}"]
`,
    );
    const out = cli('run', path, '--json');
    expect(out.status, out.stderr).toBe(0);
    const exported = cli('export', 'ctor', '--format', 'json', '--storage', 'sqlite:ctor.db');
    expect(exported.status, exported.stderr).toBe(0);
    const rows = JSON.parse(exported.stdout) as Record<string, unknown>[];
    expect(rows.map((r) => r.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE']);
    for (const r of rows) {
      expect(typeof r.params_constructor).toBe('number');
      expect(['a', 'b']).toContain(r.params_toString);
      expect(r.value).toBeCloseTo((r.params_constructor as number) + (r.params_valueOf as number), 12);
    }
  });

  it('config checks do not take inherited names: a {constructor} placeholder or a sampler option "constructor"', () => {
    const placeholder = write('ph.yaml', `study: ph\nstorage: memory\nnTrials: 1\nspace:\n  x: [0, 1]\nobjective: { command: [echo, "{constructor}"] }\n`);
    const a = cli('run', placeholder);
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/config error: objective\.command\[1\]: unknown placeholder \{constructor\}/);
    const option = write('opt.yaml', `study: opt\nstorage: memory\nnTrials: 1\nsampler: { type: random, options: { toString: 1 } }\nspace:\n  x: [0, 1]\nobjective: { command: [echo, "1"] }\n`);
    const b = cli('run', option);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/config error: sampler\.options\.toString: unknown option for the random sampler/);
  });

  it('names NaN and infinite config values as such, not as null', () => {
    const path = write('inf.yaml', `study: inf\nstorage: memory\nnTrials: 1\ntimeout: .inf\nspace:\n  x: [0, 1]\nobjective: { command: [echo, "1"] }\n`);
    const out = cli('run', path);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/config error: timeout: expected a positive number, got Infinity/);
    writeFileSync(path, `study: inf\nstorage: memory\nnTrials: .nan\nspace:\n  x: [0, 1]\nobjective: { command: [echo, "1"] }\n`);
    expect(cli('run', path).stderr).toMatch(/config error: nTrials: expected a positive integer, got NaN/);
  });

  it('export --output to a missing folder: exit 1, one line "cannot write", no stack', () => {
    const path = write(
      'exp.yaml',
      `study: exp\nstorage: sqlite:exp.db\nnTrials: 1\nsampler: random\nspace:\n  x: [0, 1]\nobjective: { command: [${JSON.stringify(process.execPath)}, -e, "console.log(1)"] }\n`,
    );
    expect(cli('run', path, '--quiet').status).toBe(0);
    for (const format of ['csv', 'json']) {
      const out = cli('export', 'exp', '--format', format, '--storage', 'sqlite:exp.db', '--output', '/nonexistent/dir/f.csv');
      expect(out.status).toBe(1);
      expect(out.stderr).toBe('tunekit: cannot write /nonexistent/dir/f.csv: ENOENT: no such file or directory\n');
    }
  });

  it('every command takes -h/--help: prints its usage, exit 0', () => {
    for (const command of ['run', 'worker', 'studies', 'trials', 'best', 'export', 'delete', 'demo', 'cv']) {
      for (const flag of ['--help', '-h']) {
        const out = cli(command, flag);
        expect(out.status, `${command} ${flag}: ${out.stderr}`).toBe(0);
        expect(out.stdout).toMatch(/^usage:\n/);
        expect(out.stdout).toContain(`tunekit ${command}`);
        expect(out.stderr).toBe('');
      }
    }
    // extra arguments around the flag do not matter
    expect(cli('trials', 'some-study', '--help').status).toBe(0);
  });

  it('a CSV error names line and column, never the data', () => {
    const cases: [string, string, RegExp][] = [
      ['semi.csv', 'a;b;t\n1;2;secret-row\n', /line 2, column "a;b;t" is not a number/],
      ['text.csv', 'a,b,t\n1,2,0\n1,secret42,1\n', /line 3, column "b" is not a number/],
      ['inf.csv', 'a,b,t\n1,1e999,0\n', /line 2, column "b" is infinite: values must be finite/],
      ['ragged.csv', 'a,b,t\n1,2,0\n9,secret\n', /line 3 has 2 fields but the header has 3/],
    ];
    for (const [name, text, message] of cases) {
      const out = cli('cv', '--data', write(name, text));
      expect(out.status).toBe(2);
      expect(out.stderr).toMatch(message);
      expect(out.stderr).not.toMatch(/secret|1e999/);
    }
  });

  it('refuses a CSV file over the size limit without reading it, and /dev/zero without reading forever', () => {
    const big = join(tmp.dir, 'big.csv');
    writeFileSync(big, 'a,t\n');
    truncateSync(big, 256 * 1024 * 1024 + 1); // sparse: no disk used
    const over = cli('cv', '--data', big);
    expect(over.status).toBe(2);
    expect(over.stderr).toMatch(/big\.csv: is 268435457 bytes, over the 268435456-byte limit of a CSV file/);
    const zero = cli('cv', '--data', '/dev/zero');
    expect(zero.status).toBe(2);
    expect(zero.stderr).toMatch(/CSV_ERROR: \/dev\/zero: contains a NUL byte: not a text CSV file/);
  });

  it('caps what it reads from an endless pipe', () => {
    const script = `import { readNumericCsv } from ${JSON.stringify(new URL('../dist/csv.js', import.meta.url).href)};
try { readNumericCsv('/dev/stdin', { maxBytes: 1000 }); } catch (e) { console.log(e.code, e.message); }`;
    // `yes` never ends: only the cap stops the read
    const out = spawnSync('/bin/sh', ['-c', 'yes 1,0 | "$NODE" --input-type=module -e "$SCRIPT"'], {
      env: { ...process.env, NODE: process.execPath, SCRIPT: script },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(out.stdout.trim(), out.stderr).toBe('CSV_ERROR /dev/stdin: has more than 1000 bytes: over the limit of a CSV file');
  });
});
