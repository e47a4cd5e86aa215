// Keys that are also Object.prototype members (`constructor`, `toString`, …,
// `__proto__`) as parameter names and attribute keys, on the memory and
// SQLite and PostgreSQL storages; BigInt attributes; suggest after tell; readable values in
// error messages.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudy, GPSampler, MemoryStorage, PostgresStorage, RandomSampler, rowsOf, SqliteStorage, toCsv, type Storage } from '../dist/index.js';
import { rejects } from './helpers.js';
import { freshPostgres, tempDir } from './storages.js';

const NAMES = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__'];
const sorted = [...NAMES].sort();

const tmp = tempDir();
const opened: Storage[] = [];
let pg: Awaited<ReturnType<typeof freshPostgres>> | undefined;
beforeAll(async () => {
  pg = await freshPostgres();
});
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await pg?.drop();
  tmp.remove();
});

const backends: [string, () => Storage][] = [
  ['memory', () => new MemoryStorage()],
  ['sqlite', () => new SqliteStorage(join(tmp.dir, `hostile-${opened.length}.db`))],
  ['postgres', () => new PostgresStorage((pg as { url: string }).url)],
];

let n = 0;
/** A fresh study on a fresh storage of this backend. */
async function studyOn(make: () => Storage, options: Parameters<typeof createStudy>[0] = {}) {
  const storage = make();
  opened.push(storage);
  return createStudy({ name: `hostile-${n++}`, storage, sampler: new RandomSampler({ seed: 7 }), ...options });
}

describe.each(backends)('built-in property names as keys: %s', (_backend, make) => {
  it('suggests floats and categoricals under every built-in name; params, distributions and user attrs read back', async () => {
    const study = await studyOn(make);
    const told: Record<string, unknown>[] = [];
    for (let i = 0; i < 2; i++) {
      const t = await study.ask();
      const values: Record<string, unknown> = Object.create(null);
      NAMES.forEach((name, j) => {
        // trial 0: floats at even positions, categoricals at odd ones; trial 1 the other way round
        const v = (i + j) % 2 === 0 ? t.suggestFloat(name, 0, 1) : t.suggestCategorical(name, ['a', 'b', 'c']);
        // asked again: the same value, not "suggested with undefined"
        expect((i + j) % 2 === 0 ? t.suggestFloat(name, 0, 1) : t.suggestCategorical(name, ['a', 'b', 'c'])).toBe(v);
        values[name] = v;
      });
      expect(Object.keys(t.params).sort()).toEqual(sorted);
      for (const name of NAMES) expect(t.params[name]).toBe(values[name]);
      for (const name of NAMES) await t.setUserAttr(name, { trial: i, key: name });
      await study.tell(t, i);
      told.push(values);
    }
    const trials = await study.trials();
    expect(trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE']);
    trials.forEach((t, i) => {
      expect(Object.keys(t.params).sort()).toEqual(sorted);
      expect(Object.keys(t.distributions).sort()).toEqual(sorted);
      expect(Object.keys(t.userAttrs).sort()).toEqual(sorted);
      for (const name of NAMES) {
        expect(Object.hasOwn(t.params, name)).toBe(true);
        expect(t.params[name]).toBe(told[i]![name]);
        expect(t.distributions[name]!.type).toBe((i + NAMES.indexOf(name)) % 2 === 0 ? 'float' : 'categorical');
        expect(t.userAttrs[name]).toEqual({ trial: i, key: name });
      }
    });
    const rows = await study.exportRows();
    for (const name of NAMES) {
      expect(rows[0]).toHaveProperty([`params_${name}`]);
      expect(rows[0]![`user_attrs_${name}`]).toBe(JSON.stringify({ trial: 0, key: name }));
    }
  });

  it('takes enqueued (fixed) values under built-in names', async () => {
    const study = await studyOn(make);
    await study.enqueueTrial({ constructor: 0.25, toString: 'b' });
    const t = await study.ask();
    expect(t.suggestFloat('constructor', 0, 1)).toBe(0.25);
    expect(t.suggestCategorical('toString', ['a', 'b'])).toBe('b');
    expect(typeof t.suggestFloat('valueOf', 0, 1)).toBe('number');
    await study.tell(t, 0);
    const [stored] = await study.trials();
    expect(stored!.params).toEqual({ constructor: 0.25, toString: 'b', valueOf: t.params.valueOf });
  });

  it('a relative sampler (GP) proposes built-in names jointly after its startup trials', async () => {
    const study = await studyOn(make, { sampler: new GPSampler({ seed: 1, nStartupTrials: 3 }) });
    await study.optimize(
      (t) => {
        let s = 0;
        for (const name of NAMES) s += (t.suggestFloat(name, 0, 1) - 0.5) ** 2;
        return s;
      },
      { nTrials: 5 },
    );
    const trials = await study.trials();
    expect(trials.map((t) => t.state)).toEqual(Array(5).fill('COMPLETE'));
    for (const t of trials) expect(Object.keys(t.params).sort()).toEqual(sorted);
    // the GP proposed the trials after the startup ones (every name but __proto__, which it leaves to independent draws)
    const relative = trials[4]!.systemAttrs['relative_params'] as Record<string, unknown>;
    expect(Object.keys(relative).sort()).toEqual(sorted.filter((k) => k !== '__proto__'));
  });

  it('refuses a BigInt user attribute with INVALID_PARAMETER naming the key, before anything is written', async () => {
    const study = await studyOn(make);
    const t = await study.ask();
    await rejects(t.setUserAttr('big', 10n as unknown), 'INVALID_PARAMETER', /trial 0: user attribute "big": .*10n/);
    await rejects(t.setUserAttr('nested', { a: [1, 2n] } as unknown), 'INVALID_PARAMETER', /"nested".*nested\.a\[1\].*2n/);
    await t.setUserAttr('ok', 1);
    await study.tell(t, 0);
    const [stored] = await study.trials();
    expect(stored!.userAttrs).toEqual({ ok: 1 });
  });
});

describe('MemoryStorage: attributes', () => {
  it('refuses a BigInt attribute value with INVALID_PARAMETER naming the key', async () => {
    const s = new MemoryStorage();
    const study = await s.createStudy('big', ['minimize']);
    const t = await s.createTrial(study.id, { state: 'RUNNING' });
    await rejects(s.setTrialAttr(t.id, 'user', 'k', 3n), 'INVALID_PARAMETER', /"k".*3n/);
    await rejects(s.setStudyAttr(study.id, 'user', 'k', 3n), 'INVALID_PARAMETER', /"k".*3n/);
    expect((await s.getTrial(t.id)).userAttrs).toEqual({});
  });

  it('keeps a __proto__ study attribute as an own key', async () => {
    const s = new MemoryStorage();
    const r = await s.createStudy('attrs', ['minimize']);
    await s.setStudyAttr(r.id, 'user', '__proto__', { a: 1 });
    await s.setStudyAttr(r.id, 'user', 'constructor', 2);
    expect(await s.setStudySystemAttrIfAbsent(r.id, 'toString', 3)).toBe(3);
    const back = (await s.getStudy('attrs'))!;
    expect(Object.keys(back.userAttrs).sort()).toEqual(['__proto__', 'constructor']);
    expect(back.userAttrs['__proto__']).toEqual({ a: 1 });
    expect(back.systemAttrs).toEqual({ toString: 3 });
  });
});

describe('a finished trial', () => {
  it('refuses suggest once ended (Trial.end, what Study.tell calls)', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }) });
    const t = await study.ask();
    const x = t.suggestFloat('x', 0, 1);
    t.end();
    expect(() => t.suggestFloat('y', 0, 1)).toThrow(/trial 0 is finished: cannot suggest "y"/);
    expect(() => t.suggestFloat('x', 0, 1)).toThrow(/cannot suggest "x"/);
    expect(t.params).toEqual({ x });
  });

  it('refuses suggest after study.tell with TRIAL_FINISHED naming the trial and the parameter', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }) });
    const t = await study.ask();
    t.suggestFloat('x', 0, 1);
    await study.tell(t, 1);
    await rejects(() => t.suggestFloat('y', 0, 1), 'TRIAL_FINISHED', /trial 0 is finished: cannot suggest "y"/);
    await rejects(() => t.suggestCategorical('x', [1, 2]), 'TRIAL_FINISHED', /trial 0 is finished: cannot suggest "x"/);
    expect(Object.keys((await study.trials())[0]!.params)).toEqual(['x']);
  });
});

describe('describeValue', () => {
  it('prints values JSON.stringify would print as null, drop or throw on', async () => {
    const { describeValue } = (await import('../dist/errors.js')) as { describeValue: (v: unknown) => string };
    expect(describeValue(NaN)).toBe('NaN');
    expect(describeValue(Infinity)).toBe('Infinity');
    expect(describeValue(-Infinity)).toBe('-Infinity');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(10n)).toBe('10n');
    expect(describeValue(function named() {})).toBe('[function named]');
    expect(describeValue(Symbol('s'))).toBe('Symbol(s)');
    expect(describeValue([1, NaN, { a: -Infinity, b: undefined }])).toBe('[1,NaN,{"a":-Infinity,"b":undefined}]');
    expect(describeValue({ low: 0, high: 1, log: false })).toBe('{"low":0,"high":1,"log":false}');
    expect(describeValue('x"y')).toBe('"x\\"y"');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(describeValue(cyclic)).toBe('{"a":1,"self":[circular]}');
  });

  it('is what trial errors use: a BigInt or NaN report value is named, not a TypeError', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }) });
    const t = await study.ask();
    await rejects(t.report(10n as unknown as number, 0), 'INVALID_PARAMETER', /report value must be a number, got 10n/);
    await rejects(t.report('1' as unknown as number, 0), 'INVALID_PARAMETER', /got "1"/);
    await rejects(t.report(1, NaN), 'INVALID_PARAMETER', /step must be an integer ≥ 0, got NaN/);
    await rejects(() => t.suggest(undefined as unknown as string, { type: 'float', low: 0, high: 1 }), 'INVALID_PARAMETER', /got undefined/);
  });
});

describe('rowsOf (export)', () => {
  it('a trial without a parameter named like an Object.prototype member exports null, not the inherited member', () => {
    const base = { state: 'COMPLETE' as const, values: [1], distributions: {}, intermediateValues: {}, systemAttrs: {}, datetimeStart: null, datetimeComplete: null };
    const rows = rowsOf(
      [
        { ...base, id: 1, number: 0, params: { constructor: 1, toString: 'a' }, userAttrs: { valueOf: 2 } },
        { ...base, id: 2, number: 1, params: {}, userAttrs: {} },
      ],
      1,
    );
    expect(rows[1]).toMatchObject({ params_constructor: null, params_toString: null, user_attrs_valueOf: null });
    expect(toCsv(rows).split('\n')[2]).toBe('1,COMPLETE,1,,,,,,');
  });
});

describe('keyed records (dist/keyed.js)', () => {
  it('hold every name as an own data key, inherit nothing, and stay out of V8 dictionary mode', async () => {
    const { keyed, keyedRecord } = await import('../dist/keyed.js');
    const r = keyedRecord<number>();
    for (const [i, name] of NAMES.entries()) r[name] = i;
    expect(Object.keys(r)).toEqual(NAMES);
    expect(Object.hasOwn(r, '__proto__')).toBe(true);
    expect(r['__proto__']).toBe(4);
    const empty = keyedRecord<unknown>();
    for (const name of NAMES) expect(empty[name]).toBeUndefined();
    expect({ ...keyed(r, { toString: 9 }) }).toEqual({ constructor: 0, toString: 9, hasOwnProperty: 2, valueOf: 3, ['__proto__']: 4 });
    // Fast properties are what makes building and freezing them cheap (Object.create(null) objects are hash tables).
    const script = `import { keyed } from ${JSON.stringify(new URL('../dist/keyed.js', import.meta.url).href)};
      const r = Object.freeze(keyed({ x: 1, k: 2, c: 'a' }));
      process.stdout.write(String(%HasFastProperties(r)) + ' ' + String(%HasFastProperties(Object.assign(Object.create(null), { x: 1 }))));`;
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(out).toBe('true false');
  });
});
