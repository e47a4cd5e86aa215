// Optuna interoperability (issue 14, item 5): the fixtures Optuna 5.1 wrote
// (reference/optuna_interop/, bench/make_optuna_interop_fixtures.py) read as
// Optuna reads them, imported into every backend, exported back as journal
// lines equal to Optuna's own records, round trips, conflicts, bad files and
// the CLI. No Python here: expected.json is what Optuna itself read back.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  createStudy,
  distributionFromOptuna,
  exportOptunaJournal,
  importOptunaJournal,
  importOptunaRdb,
  loadStudy,
  MemoryStorage,
  openStorage,
  OptunaJournalReader,
  optunaJournalLines,
  readOptunaJournal,
  readOptunaRdb,
  RandomSampler,
  type FrozenTrial,
  type OptunaStudyData,
  type Storage,
} from '../dist/index.js';
import { REFERENCE_DIR, rejects } from './helpers.js';
import { sharedStorages } from './shared_storages.js';

const DIR = join(REFERENCE_DIR, 'optuna_interop');
const JOURNAL = join(DIR, 'journal.log');
const RDB = join(DIR, 'optuna.db');
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { optuna: string; journal: any[]; rdb: any[] };

const { storages, dir } = sharedStorages('optuna_interop.db');
const backends: [string, () => Promise<Storage | string>][] = [['memory', async () => new MemoryStorage()], ...storages];

/** expected.json writes ±inf as strings. */
const num = (v: unknown): unknown => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : v);

/** Python's json.loads of a journal line (no string in these files holds "Infinity"). */
const pyLoads = (line: string): any => JSON.parse(line.replace(/([:,[])(-?)Infinity/g, (_m, p: string, s: string) => `${p}${s}1e999`));

/** What Optuna read back, in the shape the importers give (tunekit directions). */
function expectStudiesMatch(got: OptunaStudyData[], want: any[]): void {
  expect(got.map((s) => s.name)).toEqual(want.map((s) => s.name));
  for (const [i, s] of got.entries()) {
    const w = want[i];
    expect(s.directions).toEqual(w.directions.map((d: string) => d.toLowerCase()));
    expect({ ...s.userAttrs }).toEqual(w.user_attrs);
    expect({ ...s.systemAttrs }).toEqual(w.system_attrs);
    expect(s.trials.length).toBe(w.trials.length);
    for (const [j, t] of s.trials.entries()) {
      const wt = w.trials[j];
      expect(t.number).toBe(wt.number);
      expect(t.state).toBe(wt.state);
      // external values with their JSON types (null, bool, number, string choices)
      expect({ ...t.params }).toStrictEqual(wt.params);
      expect(Object.keys(t.distributions).sort()).toEqual(Object.keys(wt.distributions).sort());
      for (const [name, d] of Object.entries(t.distributions)) expect(d).toEqual(distributionFromOptuna(wt.distributions[name], name));
      expect(t.values).toEqual(wt.values === null ? null : wt.values.map(num));
      expect(Object.fromEntries([...t.intermediateValues].map(([k, v]) => [String(k), v]))).toEqual(Object.fromEntries(Object.entries(wt.intermediate_values).map(([k, v]) => [k, num(v)])));
      expect({ ...t.userAttrs }).toEqual(wt.user_attrs);
      expect({ ...t.systemAttrs }).toEqual(wt.system_attrs);
      expect(t.datetimeStart).toBe(wt.datetime_start);
      expect(t.datetimeComplete).toBe(wt.datetime_complete);
    }
  }
}

describe('reading what Optuna 5.1 wrote', () => {
  it(`the fixtures come from Optuna ${expected.optuna} and hold every state, distribution and value kind`, () => {
    expect(expected.optuna).toBe('5.1.0');
    const single = expected.journal.find((s) => s.name === 'single');
    expect(new Set(single.trials.map((t: any) => t.state))).toEqual(new Set(['COMPLETE', 'PRUNED', 'FAIL', 'RUNNING', 'WAITING']));
    expect(expected.journal.map((s) => s.name)).toEqual(['single', 'multi']); // "gone" was deleted
  });

  it('the journal file gives exactly the studies and trials Optuna reads from it', async () => {
    expectStudiesMatch(await readOptunaJournal(JOURNAL), expected.journal);
  });

  it('the SQLite RDB file gives exactly the studies and trials Optuna reads from it', () => {
    expectStudiesMatch(readOptunaRdb(RDB), expected.rdb);
  });

  it('decodes each distribution kind and internal value: categorical index → choice, int, log, step', async () => {
    const [single] = await readOptunaJournal(JOURNAL);
    const t0 = single!.trials[0]!;
    expect(t0.distributions).toMatchObject({
      x: { type: 'float', low: -5, high: 5, log: false },
      lr: { type: 'float', low: 1e-5, high: 0.1, log: true },
      frac: { type: 'float', low: 0, high: 1, log: false, step: 0.25 },
      n: { type: 'int', low: 1, high: 10, log: false, step: 1 },
      width: { type: 'int', low: 1, high: 1024, log: true, step: 1 },
      k: { type: 'int', low: 0, high: 20, log: false, step: 5 },
      c: { type: 'categorical', choices: [null, true, 3, 2.5, 'adam'] },
    });
    expect(single!.trials.map((t) => t.params.c)).toEqual(['adam', 'adam', null, 2.5, null, null, null, null, null, null, null, undefined]);
    expect(single!.trials[6]!.values).toEqual([Infinity]);
    expect(single!.trials[7]!.values).toEqual([-Infinity]);
    expect(single!.trials[4]!.intermediateValues.get(1)).toBe(Infinity);
  });
});

describe.each(backends)('importing into %s', (kind, open) => {
  it('stores every trial with its number, state, params, values, intermediate values and attributes', async () => {
    const spec = await open();
    const storage = typeof spec === 'string' ? openStorage(spec) : spec;
    const done = await importOptunaJournal(JOURNAL, storage);
    expect(done).toEqual([
      { source: 'single', study: 'single', trials: 12, merged: false },
      { source: 'multi', study: 'multi', trials: 6, merged: false },
    ]);
    const study = (await storage.getStudy('single'))!;
    expect(study.directions).toEqual(['minimize']);
    expect(study.userAttrs).toEqual({ owner: 'team-a', notes: { dataset: 'iris', folds: [1, 2, 3] } });
    expect(study.systemAttrs).toEqual({ 'optuna:study:metric_names': ['loss'] });
    const trials = await storage.getTrials(study.id);
    const want = expected.journal[0].trials;
    expect(trials.map((t) => t.number)).toEqual(want.map((t: any) => t.number));
    expect(trials.map((t) => t.state)).toEqual(want.map((t: any) => t.state));
    for (const [i, t] of trials.entries()) {
      // the enqueued trial (Optuna: fixed_params only) in tunekit's enqueueTrial form
      expect({ ...t.params }).toStrictEqual(i === 11 ? { x: 0.5, n: 3, c: 'adam' } : want[i].params);
      expect(t.values).toEqual(want[i].values === null ? null : want[i].values.map(num));
      expect({ ...t.intermediateValues }).toEqual(Object.fromEntries(Object.entries(want[i].intermediate_values).map(([k, v]) => [k, num(v)])));
      expect({ ...t.userAttrs }).toEqual(want[i].user_attrs);
      expect(t.systemAttrs['optuna:datetime_start']).toBe(want[i].datetime_start ?? undefined);
      expect(t.systemAttrs['optuna:datetime_complete']).toBe(want[i].datetime_complete ?? undefined);
    }
    // constraints in tunekit's form (name → value), Optuna-only keys prefixed, fixed_params shared
    expect(trials[0]!.systemAttrs['constraints']).toEqual({ x_limit: want[0].system_attrs['constraints:x_limit'], n_limit: -4 });
    expect(trials[4]!.systemAttrs['optuna:tpe:relative_params:0']).toBe(want[4].system_attrs['tpe:relative_params:0']);
    expect(trials[11]!.systemAttrs['fixed_params']).toEqual({ x: 0.5, n: 3, c: 'adam' });
    const multi = (await storage.getTrials((await storage.getStudy('multi'))!.id))!;
    expect(multi[0]!.systemAttrs['constraints']).toEqual({ '0': expected.journal[1].trials[0].system_attrs.constraints[0] });
    expect(multi[4]!.values).toEqual([expected.journal[1].trials[4].values[0], -Infinity]);
    // the study works as a tunekit study: best trial among feasible ones, as Optuna says (trial 8)
    const loaded = await loadStudy({ name: 'single', storage });
    expect((await loaded.bestTrial()).number).toBe(8);
    if (kind !== 'memory') for (const s of ['single', 'multi']) await storage.deleteStudy(s);
  });
});

describe('exporting', () => {
  it("the exported journal of the imported fixture equals Optuna's records field for field (op codes, params, distributions, values, states)", async () => {
    const storage = new MemoryStorage();
    await importOptunaJournal(JOURNAL, storage);
    const ours = [];
    for await (const line of optunaJournalLines(storage)) ours.push(pyLoads(line));
    // Optuna's records, gathered per trial from its operation stream
    const theirs = readFileSync(JOURNAL, 'utf8').trim().split('\n').map(pyLoads);
    const studyNames = new Map<number, string>();
    const byTrial = new Map<
      number,
      { study: string; params: Record<string, number>; distributions: Record<string, any>; state: number; values: number[] | null; iv: Record<string, number>; user: Record<string, unknown> }
    >();
    let nextStudy = 0;
    let nextTrial = 0;
    for (const r of theirs) {
      if (r.op_code === 0) studyNames.set(nextStudy++, r.study_name);
      if (r.op_code === 4) {
        byTrial.set(nextTrial++, {
          study: studyNames.get(r.study_id)!,
          params: { ...(r.params ?? {}) },
          distributions: Object.fromEntries(Object.entries(r.distributions ?? {}).map(([k, v]) => [k, JSON.parse(v as string)])),
          state: r.state ?? 0,
          values: r.values ?? (r.value === undefined || r.value === null ? null : [r.value]),
          iv: {},
          user: { ...(r.user_attrs ?? {}) },
        });
      }
      const t = byTrial.get(r.trial_id);
      if (t === undefined) continue;
      if (r.op_code === 5) {
        t.params[r.param_name] = r.param_value_internal;
        t.distributions[r.param_name] = JSON.parse(r.distribution);
      }
      if (r.op_code === 6) [t.state, t.values] = [r.state, r.values ?? t.values];
      if (r.op_code === 7) t.iv[String(r.step)] = r.intermediate_value;
      if (r.op_code === 8) Object.assign(t.user, r.user_attr);
    }
    const kept = [...byTrial.values()].filter((t) => t.study !== 'gone');
    expect(ours.map((r) => r.op_code)).toEqual([0, 2, 2, 3, ...Array(12).fill(4), 0, 2, ...Array(6).fill(4)]);
    expect(ours[0]).toEqual({ op_code: 0, worker_id: 'tunekit-export', study_name: 'single', directions: [1] });
    expect(ours.find((r) => r.op_code === 0 && r.study_name === 'multi').directions).toEqual([1, 2]);
    expect(ours[3].system_attr).toEqual({ 'study:metric_names': ['loss'] });
    const created = ours.filter((r) => r.op_code === 4);
    expect(created.length).toBe(kept.length);
    for (const [i, r] of created.entries()) {
      const t = kept[i]!;
      expect(r.state).toBe(t.state);
      expect(r.params).toEqual(t.params);
      expect(Object.fromEntries(Object.entries(r.distributions).map(([k, v]) => [k, JSON.parse(v as string)]))).toEqual(t.distributions);
      expect(r.values ?? (r.value === null ? null : [r.value])).toEqual(t.values);
      expect(r.intermediate_values).toEqual(t.iv);
      expect(r.user_attrs).toEqual(t.user);
    }
    // datetimes and system attributes as Optuna wrote them
    const want = expected.journal[0].trials;
    expect(created[0].datetime_start).toBe(want[0].datetime_start);
    expect(created[0].datetime_complete).toBe(want[0].datetime_complete);
    expect(created[0].system_attrs).toEqual(want[0].system_attrs);
    expect(created[11].system_attrs).toEqual(want[11].system_attrs);
    expect(created[11]).not.toHaveProperty('datetime_complete');
    expect(created[11].datetime_start).toBeNull();
  });

  it('a tunekit study round-trips through the journal: numbers, states, params, distributions, values, attributes', async () => {
    const storage = new MemoryStorage();
    const study = await createStudy({ name: 'native', storage, directions: ['maximize'], sampler: new RandomSampler({ seed: 3 }) });
    for (let i = 0; i < 6; i++) {
      const t = await study.ask();
      const x = t.suggestFloat('x', -1, 1);
      t.suggestFloat('lr', 1e-4, 1, { log: true });
      t.suggestFloat('q', 0, 1, { step: 0.5 });
      t.suggestInt('n', 1, 100, { log: true });
      t.suggestInt('k', 0, 10, { step: 2 });
      t.suggestCategorical('opt', ['adam', false, null, 7]);
      await t.setUserAttr('i', { i, tag: 'tk' });
      await t.report(x * 2, 0);
      await t.report(-Infinity, 1);
      if (i === 2) await study.tell(t, { state: 'PRUNED' });
      else if (i === 3) await study.tell(t, { state: 'FAIL', reason: 'boom' });
      else await study.tell(t, i === 4 ? Infinity : x, { constraints: { a: x, b: -1 } });
    }
    await study.enqueueTrial({ x: 0.25 });
    await study.setUserAttr('owner', 'me');
    const file = join(dir, 'native.log');
    const lines = await exportOptunaJournal(storage, file);
    expect(lines).toBe(1 + 1 + 7 + Object.keys((await storage.getStudy('native'))!.systemAttrs).length);
    const records = readFileSync(file, 'utf8').trim().split('\n').map(pyLoads);
    expect(records[0].directions).toEqual([2]);
    const first = records.find((r) => r.op_code === 4);
    expect(first.params.opt).toBe(['adam' as unknown, false, null, 7].indexOf((await storage.getTrials(1))[0]!.params.opt));
    expect(first.system_attrs).toMatchObject({ 'constraints:a': expect.any(Number), 'constraints:b': -1 });
    expect(readFileSync(file, 'utf8')).toMatch(/"1":-Infinity/);
    const again = new MemoryStorage();
    await importOptunaJournal(file, again);
    const a = await storage.getTrials(1);
    const b = await again.getTrials(1);
    expect(b.map((t) => [t.number, t.state])).toEqual(a.map((t) => [t.number, t.state]));
    for (const [i, t] of a.entries()) {
      const u = b[i] as FrozenTrial;
      expect({ ...u.params }).toStrictEqual({ ...t.params });
      expect({ ...u.distributions }).toEqual({ ...t.distributions });
      expect(u.values).toEqual(t.values);
      expect({ ...u.intermediateValues }).toEqual({ ...t.intermediateValues });
      expect({ ...u.userAttrs }).toEqual({ ...t.userAttrs });
      const { 'optuna:datetime_start': s, 'optuna:datetime_complete': c, ...rest } = u.systemAttrs;
      expect(rest).toEqual({ ...t.systemAttrs });
      expect(s).toBe(t.datetimeStart === null ? undefined : new Date(t.datetimeStart).toISOString().replace('Z', '000+00:00'));
      expect(c).toBe(t.datetimeComplete === null ? undefined : new Date(t.datetimeComplete).toISOString().replace('Z', '000+00:00'));
    }
    expect((await again.getStudy('native'))!.userAttrs).toEqual({ owner: 'me' });
    expect((await again.getStudy('native'))!.systemAttrs).toEqual((await storage.getStudy('native'))!.systemAttrs);
    // and the second export equals the first, line for line (datetimes kept through the attributes)
    const second = [];
    for await (const line of optunaJournalLines(again)) second.push(line);
    expect(second.join('\n')).toBe(readFileSync(file, 'utf8').trim());
  });
});

describe('conflicts and bad files', () => {
  it('refuses an existing study name before writing anything; rename and merge', async () => {
    const storage = new MemoryStorage();
    await storage.createStudy('multi', ['minimize', 'maximize']);
    await rejects(importOptunaJournal(JOURNAL, storage), 'DUPLICATE_STUDY', /already has a study named "multi": nothing imported/);
    expect(await storage.getStudy('single')).toBeNull();
    const renamed = await importOptunaJournal(JOURNAL, storage, { ifExists: 'rename' });
    expect(renamed.map((r) => r.study)).toEqual(['single', 'multi-imported']);
    const merged = await importOptunaRdb(RDB, storage, { ifExists: 'merge', study: 'single' });
    expect(merged).toEqual([{ source: 'single', study: 'single', trials: 12, merged: true }]);
    const trials = await storage.getTrials((await storage.getStudy('single'))!.id);
    expect(trials.map((t) => t.number)).toEqual([...Array(24).keys()]);
    await storage.createStudy('other', ['maximize']);
    await rejects(importOptunaRdb(RDB, new MemoryStorage(), { study: 'nope' }), 'STUDY_NOT_FOUND', /no study "nope" in the file \(it has "single", "multi"\)/);
    const s2 = new MemoryStorage();
    await s2.createStudy('single', ['maximize']);
    await rejects(importOptunaJournal(JOURNAL, s2, { ifExists: 'merge' }), 'INVALID_PARAMETER', /cannot merge "single": the stored study's directions are maximize, the file's minimize/);
  });

  it('a bad line names its line number and field', async () => {
    const lines = readFileSync(JOURNAL, 'utf8').split('\n').slice(0, 5);
    const bad = (replace: (l: string[]) => void): string => {
      const copy = [...lines];
      replace(copy);
      const f = join(dir, 'bad.log');
      writeFileSync(f, copy.join('\n'));
      return f;
    };
    await rejects(
      readOptunaJournal(bad((l) => (l[2] = '{"op_code": 2, "study_id": "zero", "user_attr": {"a": 1}}'))),
      'INVALID_DATA',
      /^line 3, field "study_id": must be an integer ≥ 0, got "zero"$/,
    );
    await rejects(readOptunaJournal(bad((l) => (l[1] = '{"op_code": 2, "study_id": 0, '))), 'INVALID_DATA', /^line 2: not a JSON object: /);
    await rejects(readOptunaJournal(bad((l) => (l[4] = '{"op_code": 42}'))), 'INVALID_DATA', /^line 5, field "op_code": expected an operation code 0–10, got 42$/);
    await rejects(
      readOptunaJournal(
        bad((l) => l.push('{"op_code":5,"worker_id":"w","trial_id":0,"param_name":"y","param_value_internal":1,"distribution":"{\\"name\\": \\"BetaDistribution\\", \\"attributes\\": {}}"}')),
      ),
      'INVALID_DATA',
      /^line 6, field "distribution": unknown distribution class "BetaDistribution"$/,
    );
    await rejects(
      readOptunaJournal(
        bad((l) =>
          l.push(
            '{"op_code":5,"worker_id":"w","trial_id":0,"param_name":"y","param_value_internal":1,"distribution":"{\\"name\\": \\"FloatDistribution\\", \\"attributes\\": {\\"low\\": 2, \\"high\\": 1}}"}',
          ),
        ),
      ),
      'INVALID_DATA',
      /^line 6, field "distribution": .*low/,
    );
    await rejects(
      readOptunaJournal(bad((l) => (l[0] = '{"op_code":0,"worker_id":"w","study_name":"s","directions":[0]}'))),
      'INVALID_DATA',
      /^line 1, field "directions": each direction must be 1 \(minimize\) or 2 \(maximize\), got 0$/,
    );
    await rejects(readOptunaJournal(join(dir, 'missing.log')), 'INVALID_PARAMETER', /cannot read .*missing\.log: ENOENT/);
    await rejects(() => readOptunaRdb(JOURNAL), 'INVALID_DATA', /journal\.log: not an Optuna RDB file \(no alembic_version table: file is not a database\)$/);
  });

  it('a bad RDB row names its table, row and field; an old schema is refused with the upgrade advice', () => {
    const copy = (name: string, sql: string[]): string => {
      const f = join(dir, name);
      copyFileSync(RDB, f);
      const db = new Database(f);
      for (const q of sql) db.exec(q);
      db.close();
      return f;
    };
    expect(() => readOptunaRdb(copy('old.db', ["UPDATE alembic_version SET version_num = 'v2.6.0.a'", 'ALTER TABLE trial_values DROP COLUMN value_type']))).toThrow(
      /table trial_values lacks value_type: schema version "v2\.6\.0\.a" is not one this reader knows \(v3\.0\.0\.a, .*\); upgrade it with `optuna storage upgrade --storage sqlite:\/\/\/.*old\.db`/,
    );
    expect(() =>
      readOptunaRdb(
        copy('baddist.db', ['UPDATE trial_params SET distribution_json = \'{"name": "IntDistribution", "attributes": {"low": "one", "high": 3}}\' WHERE trial_id = 2 AND param_name = \'n\'']),
      ),
    ).toThrow(/^trial_params, trial_id 2, param_name "n", field "distribution_json": distribution IntDistribution: "low" must be a number, got "one"$/);
    expect(() => readOptunaRdb(copy('badstate.db', ["UPDATE trials SET state = 'DONE' WHERE trial_id = 3"]))).toThrow(
      /^trials, trial_id 3, field "state": expected RUNNING, COMPLETE, PRUNED, FAIL or WAITING, got "DONE"$/,
    );
    expect(() => readOptunaRdb(copy('badindex.db', ["UPDATE trial_params SET param_value = 9 WHERE trial_id = 1 AND param_name = 'c'"]))).toThrow(
      /^trial_params, trial_id 1, param_name "c", field "param_value": category index 9 is outside the 5 choices$/,
    );
  });

  it('replays as Optuna does: a deleted study is dropped, updates of a finished trial are ignored', () => {
    const r = new OptunaJournalReader();
    r.apply('{"op_code":0,"worker_id":"w","study_name":"a","directions":[2]}');
    r.apply('{"op_code":4,"worker_id":"w","study_id":0,"datetime_start":"2024-01-31T12:00:00.5+01:00"}');
    r.apply('{"op_code":6,"worker_id":"w","trial_id":0,"state":1,"values":[NaN],"datetime_complete":"2024-01-31T11:00:01.000001+00:00"}');
    r.apply('{"op_code":6,"worker_id":"w","trial_id":0,"state":3,"values":null,"datetime_complete":"2024-01-31T11:00:02+00:00"}');
    r.apply('{"op_code":8,"worker_id":"w","trial_id":0,"user_attr":{"late":true}}');
    r.apply('');
    r.apply('{"op_code":0,"worker_id":"w","study_name":"b","directions":[1]}');
    r.apply('{"op_code":0,"worker_id":"w","study_name":"a","directions":[1]}');
    r.apply('{"op_code":4,"worker_id":"w","study_id":1}'.replace('}', ',"datetime_start":null}'));
    r.apply('{"op_code":1,"worker_id":"w","study_id":1}');
    r.apply('{"op_code":10,"worker_id":"w"}');
    const [a, ...rest] = r.result();
    expect(rest).toEqual([]);
    expect(a!.directions).toEqual(['maximize']);
    expect(a!.trials.map((t) => [t.state, t.values, { ...t.userAttrs }, t.datetimeStart, t.datetimeComplete])).toEqual([
      ['COMPLETE', [NaN], {}, '2024-01-31T11:00:00.500000+00:00', '2024-01-31T11:00:01.000001+00:00'],
    ]);
  });
});

describe('the CLI', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });

  it('tunekit import detects the format; export --format optuna-journal writes what import reads; errors are one line', () => {
    const storage = `sqlite:${join(dir, 'cli.db')}`;
    let r = cli('import', JOURNAL, '--storage', storage);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, 'imported study "single": 12 trials\nimported study "multi": 6 trials\n', '']);
    r = cli('import', RDB, '--storage', storage, '--study', 'multi', '--if-exists', 'rename');
    expect([r.status, r.stdout]).toEqual([0, 'imported study "multi" as "multi-imported": 6 trials\n']);
    r = cli('import', RDB, '--storage', storage, '--format', 'optuna-sqlite');
    expect([r.status, r.stderr]).toEqual([
      2,
      'tunekit: DUPLICATE_STUDY: the storage already has a study named "single": nothing imported (merge into it or import under another name with ifExists "merge" or "rename")\n',
    ]);
    r = cli('export', 'single', '--format', 'optuna-journal', '--output', 'single.log', '--storage', storage);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
    const file = readFileSync(join(dir, 'single.log'), 'utf8');
    expect(file.split('\n').length).toBe(1 + 2 + 1 + 12 + 1);
    r = cli('export', 'multi', '--format', 'optuna-journal', '--storage', storage);
    expect(
      r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l.replace(/-Infinity/g, '-1e999')).op_code),
    ).toEqual([0, 2, 4, 4, 4, 4, 4, 4]);
    r = cli('export', 'multi', '--format', 'csv', '--storage', storage);
    expect(r.stdout.split('\n')[0]).toBe('number,state,values_0,values_1,params_a,params_b,datetime_start,datetime_complete,duration');
    r = cli('import', join(dir, 'single.log'), '--storage', `sqlite:${join(dir, 'cli2.db')}`);
    expect([r.status, r.stdout]).toEqual([0, 'imported study "single": 12 trials\n']);
    writeFileSync(join(dir, 'broken.log'), '{"op_code":0,"worker_id":"w","study_name":"s","directions":[1]}\n{"op_code":4,"study_id":0,"datetime_start":"yesterday"}\n');
    r = cli('import', 'broken.log', '--storage', storage);
    expect([r.status, r.stderr]).toEqual([2, 'tunekit: INVALID_DATA: line 2, field "datetime_start": a datetime must be ISO 8601 (2024-01-31T12:00:00.000000+00:00), got "yesterday"\n']);
    r = cli('import', 'nothing.log', '--storage', storage);
    expect([r.status, r.stderr]).toEqual([1, 'tunekit: cannot read nothing.log: ENOENT: no such file or directory\n']);
    r = cli('import', 'nothing.log', '--format', 'optuna-journal', '--storage', storage);
    expect([r.status, r.stderr]).toEqual([1, 'tunekit: cannot read nothing.log: ENOENT: no such file or directory\n']);
    r = cli('export', 'single', '--format', 'optuna-journal', '--storage', storage, '--output', '/nonexistent/dir/j.log');
    expect([r.status, r.stderr]).toEqual([1, 'tunekit: cannot write /nonexistent/dir/j.log: ENOENT: no such file or directory\n']);
    r = cli('import', JOURNAL, '--if-exists', 'overwrite');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('tunekit: --if-exists: expected error, rename or merge, got "overwrite"');
    r = cli('import', '--help');
    expect(r.stdout).toMatch(/tunekit import FILE \[--format optuna-journal\|optuna-sqlite\]/);
    r = cli('export', 'single', '--format', 'xml', '--storage', storage);
    expect(r.stderr.split('\n')[0]).toBe('tunekit: --format: expected csv, json or optuna-journal, got "xml"');
  });
});
