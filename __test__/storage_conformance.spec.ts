import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStorage, PostgresStorage, SqliteStorage, type Storage } from '../dist/index.js';
import { freshPostgres, tempDir } from './storages.js';
import { rejects } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const tmp = tempDir();
let pgDb: Awaited<ReturnType<typeof freshPostgres>> | undefined;
const opened: Storage[] = [];

const backends: [string, () => Promise<Storage>][] = [
  ['memory', async () => new MemoryStorage()],
  ['sqlite', async () => new SqliteStorage(join(tmp.dir, `s${opened.length}.db`))],
  [
    'postgres',
    async () => {
      pgDb ??= await freshPostgres();
      return new PostgresStorage(pgDb.url);
    },
  ],
];

afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await pgDb?.drop();
  tmp.remove();
});

describe.each(backends)('storage conformance: %s', (_name, make) => {
  let s: Storage;
  let n = 0;
  const fresh = () => `study-${n++}`;
  beforeAll(async () => {
    s = await make();
    opened.push(s);
  });

  it('creates, finds, lists and deletes studies; names round-trip; duplicates are refused', async () => {
    const names = ['plain', 'with "double" and \'single\' quotes', "'; DROP TABLE trials; --", 'ünïcödé ✓ 学习率 🚀', 'x'.repeat(600)];
    for (const name of names) {
      const r = await s.createStudy(name, ['maximize']);
      expect(r.name).toBe(name);
      expect((await s.getStudy(name))?.directions).toEqual(['maximize']);
    }
    await rejects(s.createStudy('plain', ['minimize']), 'DUPLICATE_STUDY', /"plain" already exists/);
    const listed = await s.listStudies();
    for (const name of names) expect(listed.map((x) => x.name)).toContain(name);
    const t = await s.createTrial((await s.getStudy('plain'))!.id, { state: 'RUNNING' });
    expect(await s.deleteStudy('plain')).toBe(true);
    expect(await s.deleteStudy('plain')).toBe(false);
    expect(await s.getStudy('plain')).toBeNull();
    await rejects(s.getTrial(t.id), 'STORAGE_ERROR', /no trial/);
    // the other studies are untouched
    expect(await s.getStudy("'; DROP TABLE trials; --")).not.toBeNull();
  });

  it('numbers trials 0, 1, 2, … per study, also under concurrent creation', async () => {
    const a = await s.createStudy(fresh(), ['minimize']);
    const b = await s.createStudy(fresh(), ['minimize']);
    const made = await Promise.all(Array.from({ length: 40 }, (_, i) => s.createTrial(i % 2 ? a.id : b.id, { state: 'RUNNING' })));
    const numbers = (id: number) =>
      made
        .filter((_, i) => (i % 2 ? a.id : b.id) === id)
        .map((t) => t.number)
        .sort((x, y) => x - y);
    expect(numbers(a.id)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(numbers(b.id)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect((await s.getTrials(a.id)).map((t) => t.number)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('round-trips parameters, distributions, values (±Infinity, NaN), intermediate values and attributes', async () => {
    const st = await s.createStudy(fresh(), ['minimize', 'maximize']);
    const t = await s.createTrial(st.id, { state: 'RUNNING', systemAttrs: { seed: 7 } });
    expect(t.state).toBe('RUNNING');
    expect(t.datetimeStart).toBeGreaterThan(0);
    await s.setTrialParam(t.id, 'lr', 0.001234, { type: 'float', low: 1e-5, high: 1, log: true });
    await s.setTrialParam(t.id, 'layers', 3, { type: 'int', low: 1, high: 8, log: false, step: 1 });
    await s.setTrialParam(t.id, 'opt', null, { type: 'categorical', choices: ['adam', null, true, 2.5] });
    await s.setTrialParam(t.id, 'name "q"', 'ü ✓', { type: 'categorical', choices: ['ü ✓'] });
    await s.setTrialIntermediateValue(t.id, 0, 0.5);
    await s.setTrialIntermediateValue(t.id, 1, NaN);
    await s.setTrialIntermediateValue(t.id, 2, -Infinity);
    await s.setTrialIntermediateValue(t.id, 0, 0.25); // overwrite
    await s.setTrialAttr(t.id, 'user', 'note', { nested: [1, 'two', null], é: true });
    expect(await s.finishTrial(t.id, 'COMPLETE', [Infinity, -Infinity])).toBe(true);
    expect(await s.finishTrial(t.id, 'FAIL', null)).toBe(false);
    const got = await s.getTrial(t.id);
    expect(got.state).toBe('COMPLETE');
    expect(got.values).toEqual([Infinity, -Infinity]);
    expect(got.params).toEqual({ lr: 0.001234, layers: 3, opt: null, 'name "q"': 'ü ✓' });
    expect(got.distributions.lr).toEqual({ type: 'float', low: 1e-5, high: 1, log: true });
    expect(got.distributions.opt).toEqual({ type: 'categorical', choices: ['adam', null, true, 2.5] });
    expect(got.intermediateValues[0]).toBe(0.25);
    expect(got.intermediateValues[1]).toBeNaN();
    expect(got.intermediateValues[2]).toBe(-Infinity);
    expect(got.userAttrs).toEqual({ note: { nested: [1, 'two', null], é: true } });
    expect(got.systemAttrs).toEqual({ seed: 7 });
    expect(got.datetimeComplete).toBeGreaterThanOrEqual(got.datetimeStart!);
    const t2 = await s.createTrial(st.id, { state: 'RUNNING' });
    await s.finishTrial(t2.id, 'COMPLETE', [NaN, 1.5]);
    const v = (await s.getTrial(t2.id)).values!;
    expect(v[0]).toBeNaN();
    expect(v[1]).toBe(1.5);
  });

  it('refuses writes to a finished trial and loses nothing already stored', async () => {
    const st = await s.createStudy(fresh(), ['minimize']);
    const t = await s.createTrial(st.id, { state: 'RUNNING' });
    await s.setTrialParam(t.id, 'x', 1, { type: 'float', low: 0, high: 2, log: false });
    await s.finishTrial(t.id, 'PRUNED', [3]);
    await rejects(s.setTrialParam(t.id, 'y', 1, { type: 'float', low: 0, high: 2, log: false }), 'TRIAL_FINISHED', /trial 0: it is PRUNED/);
    await rejects(s.setTrialIntermediateValue(t.id, 5, 1), 'TRIAL_FINISHED', /report step 5 of trial 0/);
    const got = await s.getTrial(t.id);
    expect(got.params).toEqual({ x: 1 });
    expect(got.values).toEqual([3]);
    expect(got.state).toBe('PRUNED');
  });

  it('study attributes, first-writer-wins system attributes and unique claims', async () => {
    const st = await s.createStudy(fresh(), ['minimize']);
    await s.setStudyAttr(st.id, 'user', 'owner', 'ana');
    await s.setStudyAttr(st.id, 'user', 'owner', 'bo');
    const first = await Promise.all([s.setStudySystemAttrIfAbsent(st.id, 'gen', { a: 1 }), s.setStudySystemAttrIfAbsent(st.id, 'gen', { a: 2 })]);
    expect(first[0]).toEqual(first[1]);
    const rec = (await s.getStudy(st.name))!;
    expect(rec.userAttrs).toEqual({ owner: 'bo' });
    expect(rec.systemAttrs.gen).toEqual(first[0]);
    const claims = await Promise.all(Array.from({ length: 6 }, (_, i) => s.claimKey(st.id, `k${i % 2}`, i)));
    expect(claims.filter(Boolean)).toHaveLength(2);
  });

  it('WAITING trials are claimed once, oldest first', async () => {
    const st = await s.createStudy(fresh(), ['minimize']);
    const w0 = await s.createTrial(st.id, { state: 'WAITING', params: { x: 1 }, distributions: { x: { type: 'categorical', choices: [1] } } });
    await s.createTrial(st.id, { state: 'WAITING' });
    const [a, b, c] = await Promise.all([s.claimWaitingTrial(st.id), s.claimWaitingTrial(st.id), s.claimWaitingTrial(st.id)]);
    const got = [a, b, c].filter((x) => x !== null);
    expect(got).toHaveLength(2);
    expect(new Set(got.map((x) => x!.number))).toEqual(new Set([0, 1]));
    const claimed0 = got.find((x) => x!.id === w0.id)!;
    expect(claimed0.state).toBe('RUNNING');
    expect(claimed0.params).toEqual({ x: 1 });
    expect(await s.claimWaitingTrial(st.id)).toBeNull();
  });

  it('fails RUNNING trials whose heartbeat is older than the grace period, and only those', async () => {
    const st = await s.createStudy(fresh(), ['minimize']);
    const dead = await s.createTrial(st.id, { state: 'RUNNING' });
    const alive = await s.createTrial(st.id, { state: 'RUNNING' });
    const done = await s.createTrial(st.id, { state: 'RUNNING' });
    await s.finishTrial(done.id, 'COMPLETE', [1]);
    await sleep(400);
    await s.heartbeat(alive.id);
    const failed = await s.failStaleTrials(st.id, { graceSeconds: 0.2, maxRetries: 0, reason: 'no heartbeat' });
    expect(failed.map((t) => t.number)).toEqual([dead.number]);
    expect(failed[0]!.state).toBe('FAIL');
    expect(failed[0]!.systemAttrs).toMatchObject({ fail_reason: 'no heartbeat', reaped: true });
    expect((await s.getTrial(alive.id)).state).toBe('RUNNING');
    expect((await s.getTrial(done.id)).state).toBe('COMPLETE');
    expect(await s.finishTrial(dead.id, 'COMPLETE', [2])).toBe(false);
  });

  it('a reaped trial is re-queued in the same call, with its parameters and fixed attributes, until its retries are used', async () => {
    const st = await s.createStudy(fresh(), ['minimize']);
    const dist = { x: { type: 'categorical' as const, choices: [3] } };
    const dead = await s.createTrial(st.id, { state: 'RUNNING', params: { x: 3 }, distributions: dist, systemAttrs: { grid_id: 7 } }, { claim: 'grid:7' });
    const mine = await s.createTrial(st.id, { state: 'RUNNING' });
    await sleep(300);
    const policy = { graceSeconds: 0.1, maxRetries: 1, reason: 'gone', exclude: [mine.id] };
    expect((await s.failStaleTrials(st.id, policy)).map((t) => t.id)).toEqual([dead.id]);
    expect((await s.getTrial(mine.id)).state).toBe('RUNNING');
    const retry = await s.claimWaitingTrial(st.id);
    expect(retry!.params).toEqual({ x: 3 });
    expect(retry!.systemAttrs).toMatchObject({ grid_id: 7, retry_count: 1, retried_from: dead.number, fixed_params: { x: 3 } });
    expect(retry!.systemAttrs.reaped).toBeUndefined();
    await sleep(300);
    expect((await s.failStaleTrials(st.id, policy)).map((t) => t.id)).toEqual([retry!.id]);
    expect(await s.claimWaitingTrial(st.id)).toBeNull(); // one retry only
  });

  it('a claim is written with its trial: a taken key refuses the start and creates nothing', async () => {
    const st = await s.createStudy(fresh(), ['minimize']);
    const starts = await Promise.allSettled(Array.from({ length: 4 }, () => s.createTrial(st.id, { state: 'RUNNING' }, { claim: 'grid:0' })));
    const ok = starts.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(1);
    for (const r of starts.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) expect(r.reason).toMatchObject({ code: 'CLAIM_TAKEN' });
    expect((await s.getTrials(st.id)).map((t) => t.number)).toEqual([0]);
    expect(await s.claimKey(st.id, 'grid:0', 99)).toBe(false);
    expect((await s.createTrial(st.id, { state: 'RUNNING' })).number).toBe(1);
  });

  it('maxTrials caps started trials across concurrent starts; WAITING trials count once claimed', async () => {
    const st = await s.createStudy(fresh(), ['minimize']);
    await s.createTrial(st.id, { state: 'WAITING' });
    const starts = await Promise.allSettled(Array.from({ length: 8 }, () => s.createTrial(st.id, { state: 'RUNNING' }, { maxTrials: 5 })));
    expect(starts.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    for (const r of starts.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) expect(r.reason).toMatchObject({ code: 'TRIAL_LIMIT' });
    await expect(s.claimWaitingTrial(st.id, { maxTrials: 5 })).rejects.toMatchObject({ code: 'TRIAL_LIMIT' });
    expect((await s.claimWaitingTrial(st.id, { maxTrials: 6 }))!.number).toBe(0);
    expect(await s.getTrials(st.id)).toHaveLength(6);
  });

  it('reads trials from a number on, and one study attribute by the study id', async () => {
    const st = await s.createStudy(fresh(), ['minimize']);
    for (let i = 0; i < 5; i++) {
      const t = await s.createTrial(st.id, { state: 'RUNNING', params: { x: i }, distributions: { x: { type: 'float', low: 0, high: 9 } } });
      await s.setTrialAttr(t.id, 'user', 'i', i);
      await s.finishTrial(t.id, 'COMPLETE', [i]);
    }
    const tail = await s.getTrials(st.id, undefined, 3);
    expect(tail.map((t) => [t.number, t.params.x, t.values, t.userAttrs.i])).toEqual([
      [3, 3, [3], 3],
      [4, 4, [4], 4],
    ]);
    expect(await s.getTrials(st.id, ['COMPLETE'], 5)).toEqual([]);
    expect(await s.getStudyAttr(st.id, 'system', 'gen:0')).toBeUndefined();
    await s.setStudySystemAttrIfAbsent(st.id, 'gen:0', { children: [[1, 2]] });
    await s.setStudyAttr(st.id, 'user', 'gen:0', 'not this one');
    expect(await s.getStudyAttr(st.id, 'system', 'gen:0')).toEqual({ children: [[1, 2]] });
    expect(await s.getStudyAttr(st.id, 'user', 'gen:0')).toBe('not this one');
  });

  it('filters trials by state', async () => {
    const st = await s.createStudy(fresh(), ['minimize']);
    for (const state of ['COMPLETE', 'FAIL', 'PRUNED'] as const) {
      const t = await s.createTrial(st.id, { state: 'RUNNING' });
      await s.finishTrial(t.id, state, state === 'COMPLETE' ? [1] : null);
    }
    await s.createTrial(st.id, { state: 'RUNNING' });
    expect((await s.getTrials(st.id, ['COMPLETE', 'PRUNED'])).map((t) => t.state)).toEqual(['COMPLETE', 'PRUNED']);
    expect((await s.getTrials(st.id, ['RUNNING'])).map((t) => t.number)).toEqual([3]);
    expect(await s.getTrials(st.id)).toHaveLength(4);
  });
});
