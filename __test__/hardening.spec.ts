// The study runtime under kills, many workers and hostile input: nothing
// lost, nothing run that was not asked (issue 12's items 1–4, 8, 9 and the
// SQLite-full case).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createStudy, GeneticSampler, GridSampler, loadStudy, MedianPruner, MemoryStorage, NopPruner, QMCSampler, RandomSampler, SqliteStorage, TrialPruned } from '../dist/index.js';
import type { FrozenTrial, Storage } from '../dist/index.js';
import { sharedStorages } from './shared_storages.js';

const WORKER = fileURLToPath(new URL('./workers/worker.mjs', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const { storages, dir: tmpDir } = sharedStorages('hardening.db');

/** A worker process (argument array, no shell); `kill` sends SIGKILL. */
function start(args: string[]): { done: Promise<{ code: number | null; out: string; err: string }>; kill: () => void; out: () => string } {
  const child = spawn(process.execPath, [WORKER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.on('close', (code) => resolve({ code, out, err })));
  return { done, kill: () => child.kill('SIGKILL'), out: () => out };
}

async function until(what: string, f: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe.each(storages)('%s: kills and many workers', (_name, url) => {
  it('grid workers killed again and again: every point is evaluated exactly once, none left claimed without a trial', async () => {
    const storage = await url();
    await createStudy({ name: 'gridkill', storage, direction: 'maximize' });
    // Four workers at a time; one of them is SIGKILLed every 60–200 ms and replaced, 25 times.
    const live = Array.from({ length: 4 }, () => start(['gridkill', storage, 'gridkill']));
    const finished: Promise<unknown>[] = live.map((w) => w.done);
    for (let kill = 0; kill < 25; kill++) {
      await sleep(60 + ((kill * 37) % 140));
      const victim = live.splice(kill % live.length, 1)[0]!;
      victim.kill();
      const next = start(['gridkill', storage, 'gridkill']);
      live.push(next);
      finished.push(next.done);
    }
    await Promise.all(finished);
    // Past the grace period a last worker reaps what the killed ones left and runs their retries.
    await sleep(700);
    const last = await start(['gridkill', storage, 'gridkill']).done;
    expect(last.code, last.err).toBe(0);
    const trials = await (await loadStudy({ name: 'gridkill', storage })).trials();
    const complete = trials.filter((t) => t.state === 'COMPLETE');
    const points = complete.map((t) => `${t.params.x},${t.params.y}`);
    expect(new Set(points).size).toBe(100);
    expect(complete).toHaveLength(100);
    for (const t of complete) expect(t.values).toEqual([(t.params.x as number) * 10 + (t.params.y as number)]);
    expect(trials.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING')).toHaveLength(0);
    // Every FAIL is a trial a killed worker left, and each was retried; some kills did land mid-trial
    // (a worker spends nearly all its time in its 15 ms objective), so the test is not passing vacuously.
    expect(trials.filter((t) => t.state === 'FAIL').length).toBeGreaterThan(0);
    for (const t of trials.filter((t) => t.state === 'FAIL')) {
      expect(t.systemAttrs.reaped).toBe(true);
      expect(trials.some((r) => r.systemAttrs.retried_from === t.number)).toBe(true);
    }
  }, 180_000);

  it('a synchronous objective that blocks longer than the grace period keeps its trial: heartbeats come from a thread', async () => {
    const storage = await url();
    await createStudy({ name: 'blocking', storage, direction: 'minimize' });
    const w = start(['block', storage, 'blocking', '2000']);
    await until('the blocking trial to start', () => w.out().includes('STARTED'));
    // Meanwhile another worker looks for dead trials every 100 ms (grace 0.5 s).
    const reaper = await loadStudy({ name: 'blocking', storage, sampler: new RandomSampler({ seed: 1 }), heartbeatInterval: 0.1, gracePeriod: 0.5 });
    const reaped: FrozenTrial[] = [];
    const id = (await reaper.trials())[0]!.id;
    while (!w.out().includes('DONE') && reaped.length === 0) {
      reaped.push(...(await reaper.storage.failStaleTrials((await reaper.storage.getStudy('blocking'))!.id, { graceSeconds: 0.5, maxRetries: 0, reason: 'test reaper' })));
      await sleep(100);
    }
    const r = await w.done;
    expect(r.code, r.err).toBe(0);
    expect(reaped).toEqual([]);
    const t = await reaper.storage.getTrial(id);
    expect(t.state).toBe('COMPLETE');
  }, 60_000);
});

describe.each(storages)('%s: nTrials is the study total', (_name, url) => {
  it('6 workers with maxTrials 30 and concurrency 3 start exactly 30 trials', async () => {
    const storage = await url();
    await createStudy({ name: 'cap', storage, direction: 'minimize' });
    const studies = await Promise.all(Array.from({ length: 6 }, (_, i) => loadStudy({ name: 'cap', storage, sampler: new RandomSampler({ seed: i }), pruner: new NopPruner() })));
    await Promise.all(
      studies.map((s) =>
        s.optimize(
          async (trial) => {
            await sleep(5);
            return trial.suggestFloat('x', 0, 1);
          },
          { maxTrials: 30, concurrency: 3 },
        ),
      ),
    );
    const trials = await studies[0]!.trials();
    expect(trials).toHaveLength(30);
    expect(trials.every((t) => t.state === 'COMPLETE')).toBe(true);
    // At the cap, ask refuses: nothing is created.
    await expect(studies[1]!.ask({ maxTrials: 30 })).rejects.toMatchObject({ code: 'TRIAL_LIMIT' });
    expect(await studies[0]!.trials()).toHaveLength(30);
  }, 60_000);
});

describe('tell checks whose trial it is', () => {
  it('a trial of another study (same storage, or another storage with the same ids) is refused and both studies are unchanged', async () => {
    const a = await createStudy({ name: 'a', sampler: new RandomSampler({ seed: 1 }) });
    const b = await createStudy({ name: 'b', sampler: new RandomSampler({ seed: 2 }), storage: a.storage });
    const ta = await a.ask();
    const tb = await b.ask();
    await expect(b.tell(ta, 1)).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringMatching(/trial 0 is not a trial of study "b"/) });
    const other = await createStudy({ name: 'a', storage: new MemoryStorage(), sampler: new RandomSampler({ seed: 3 }) });
    const to = await other.ask();
    await expect(a.tell(to, 1)).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    expect((await a.trials()).map((t) => t.state)).toEqual(['RUNNING']);
    expect((await b.trials()).map((t) => t.state)).toEqual(['RUNNING']);
    expect((await a.tell(ta, 2)).values).toEqual([2]);
    expect((await b.tell(tb, 3)).values).toEqual([3]);
    expect((await other.tell(to, 4)).values).toEqual([4]);
  });
});

describe('a trial reaped while its worker was alive', () => {
  it('report keeps going and shouldPrune says stop; the pruned result is the late note; optimize goes on', async () => {
    const storage = `sqlite:${join(tmpDir, 'late-report.db')}`;
    const a = await createStudy({ name: 'late-report', storage, sampler: new RandomSampler({ seed: 1 }), heartbeatInterval: 30 });
    const b = await loadStudy({ name: 'late-report', storage, sampler: new RandomSampler({ seed: 2 }), heartbeatInterval: 30, gracePeriod: 0.01 });
    const seen: boolean[] = [];
    let first = true;
    await a.optimize(
      async (t) => {
        const x = t.suggestFloat('x', 0, 1);
        for (let step = 0; step < 3; step++) {
          if (first && step === 1) {
            // Another worker with a far shorter grace period takes this trial for dead.
            first = false;
            await sleep(300);
            await b.tell(await b.ask(), 0);
          }
          await t.report(x + step, step);
          const stop = await t.shouldPrune();
          seen.push(stop);
          if (stop) throw new TrialPruned();
        }
        return x;
      },
      { nTrials: 2 },
    );
    // Step 0 went on (nothing to prune yet), step 1 was reported on the reaped trial and the objective was told to stop.
    expect(seen.slice(0, 2)).toEqual([false, true]);
    const trials = await a.trials();
    const reaped = trials.find((t) => t.systemAttrs.reaped === true);
    expect(reaped?.state).toBe('FAIL');
    const note = reaped?.systemAttrs.late_result as { state: string; values: number[]; params: { x: number } };
    expect(note.state).toBe('PRUNED');
    expect(note.values).toEqual([note.params.x + 1]);
    expect(reaped?.intermediateValues).toEqual({ 0: note.params.x });
    expect(trials.filter((t) => t.state === 'RUNNING')).toHaveLength(0);
    expect(trials.filter((t) => t.state === 'COMPLETE' && t.number !== reaped?.number).length).toBeGreaterThanOrEqual(2);
  });

  it('tell records the late result as a note and returns; optimize goes on', async () => {
    const storage = `sqlite:${join(tmpDir, 'late.db')}`;
    const a = await createStudy({ name: 'late', storage, sampler: new RandomSampler({ seed: 1 }), heartbeatInterval: 30 });
    const trial = await a.ask();
    await sleep(300);
    // Another worker with a far shorter grace period takes the trial for dead.
    const b = await loadStudy({ name: 'late', storage, sampler: new RandomSampler({ seed: 2 }), heartbeatInterval: 30, gracePeriod: 0.01 });
    await b.tell(await b.ask(), 0);
    const told = await a.tell(trial, 1.5);
    expect(told.state).toBe('FAIL');
    expect(told.systemAttrs.reaped).toBe(true);
    expect(told.systemAttrs.late_result).toEqual({ state: 'COMPLETE', values: [1.5], params: {} });
    // The same inside optimize: the run finishes its trials instead of dying on TRIAL_FINISHED.
    let reaps = 0;
    await a.optimize(
      async (t) => {
        if (reaps++ === 0) {
          await sleep(150);
          await b.ask().then((x) => b.tell(x, 0));
        }
        return t.suggestFloat('x', 0, 1);
      },
      { nTrials: 3 },
    );
    const trials = await a.trials();
    const late = trials.filter((t) => t.systemAttrs.late_result !== undefined);
    expect(late).toHaveLength(2);
    const note = late[1]!.systemAttrs.late_result as { state: string; values: number[]; params: { x: number } };
    expect(note.state).toBe('COMPLETE');
    expect(note.values).toEqual([note.params.x]);
    expect(trials.filter((t) => t.state === 'RUNNING')).toHaveLength(0);
  });
});

describe('a grid point is claimed only together with its trial', () => {
  it('a start that fails after the sampler picked a point loses no point', async () => {
    const inner = new MemoryStorage();
    let failNext = true;
    // A storage whose trial creation fails once (as a killed worker or a full disk would).
    const flaky = new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'createTrial' && failNext) {
          return async () => {
            failNext = false;
            throw new Error('disk I/O error');
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    }) as Storage;
    const study = await createStudy({ name: 'grid', storage: flaky, sampler: new GridSampler({ x: [1, 2, 3, 4] }) });
    await expect(study.ask()).rejects.toThrow('disk I/O error');
    await study.optimize((t) => t.suggestCategorical('x', [1, 2, 3, 4]), { nTrials: 10 });
    const xs = (await study.trials()).map((t) => t.params.x).sort();
    expect(xs).toEqual([1, 2, 3, 4]);
  });
});

describe('SQLite: the oldest WAITING trial is found through an index', () => {
  it('the claim query plan searches (study, state, number), not the whole study', async () => {
    const s = new SqliteStorage(join(tmpDir, 'plan.db'));
    const db = (s as unknown as { db: { prepare(sql: string): { all(...a: unknown[]): { detail: string }[] } } }).db;
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT id FROM trials WHERE study_id = ? AND state = 'WAITING' ORDER BY number LIMIT 1")
      .all(1)
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(/USING (COVERING )?INDEX trials_study_state_number \(study_id=\? AND state=\?\)/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
    await s.close();
  });
});

describe.each([['memory', async () => 'memory'], ...storages] as [string, () => Promise<string>][])('%s: one limit on names and keys', (_name, url) => {
  const long = 'é'.repeat(600); // 1 200 bytes of UTF-8 in 600 characters
  const max = 'k'.repeat(1024);

  it('over 1024 bytes or with a NUL: a TunekitError naming it, before anything is written', async () => {
    const storage = await url();
    await expect(createStudy({ name: long, storage })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
      message: expect.stringMatching(/a study name "é{40}"… is 1200 bytes long: names and keys are at most 1024 bytes/),
    });
    await expect(createStudy({ name: 'nul\u0000name', storage })).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringMatching(/contains a NUL character/) });
    const study = await createStudy({ name: `limits-${_name}`, storage, sampler: new RandomSampler({ seed: 1 }) });
    const trial = await study.ask();
    trial.suggestFloat(long, 0, 1);
    await expect(trial.flush()).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringMatching(/a parameter name "é{40}"… is 1200 bytes long/) });
    await expect(trial.setUserAttr('a\u0000b', 1)).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    await expect(study.setUserAttr(long, 1)).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    // The storage's own keys (a sampler's claims and first-writer-wins study attributes) have the same limit.
    const studyId = (await study.storage.getStudy(`limits-${_name}`))!.id;
    await expect(study.storage.claimKey(studyId, long, trial.id)).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringMatching(/a claim key "é{40}"… is 1200 bytes long/) });
    await expect(study.storage.setStudySystemAttrIfAbsent(studyId, 'x\u0000y', 1)).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringMatching(/NUL/) });
    expect(Object.keys((await study.storage.getStudy(`limits-${_name}`))!.systemAttrs)).toEqual([]);
    const [stored] = await study.trials();
    expect(stored!.params).toEqual({});
    expect(stored!.userAttrs).toEqual({});
    expect(stored!.state).toBe('RUNNING');
  });

  it('exactly 1024 bytes is accepted everywhere', async () => {
    const storage = await url();
    const study = await createStudy({ name: max, storage, sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize(
      async (t) => {
        await t.setUserAttr(max, 'v');
        return t.suggestFloat(max, 0, 1);
      },
      { nTrials: 1 },
    );
    const [t] = await (await loadStudy({ name: max, storage })).trials();
    expect(t!.state).toBe('COMPLETE');
    expect(Object.keys(t!.params)).toEqual([max]);
    expect(t!.userAttrs[max]).toBe('v');
  });
});

describe('SQLite full', () => {
  it('SQLITE_FULL is a one-line STORAGE_ERROR and leaves no trial RUNNING', async () => {
    const path = join(tmpDir, 'full.db');
    const storage = new SqliteStorage(path);
    const study = await createStudy({ name: 'full', storage, sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 3 });
    const db = (storage as unknown as { db: { pragma(s: string, o?: object): unknown } }).db;
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 1}`);
    const run = study.optimize(
      async (t) => {
        t.suggestFloat('x', 0, 1);
        await t.setUserAttr('blob', 'x'.repeat(200_000));
        return 1;
      },
      { nTrials: 1 },
    );
    await expect(run).rejects.toMatchObject({ code: 'STORAGE_ERROR', message: expect.stringMatching(/^SQLite: database or disk is full \(SQLITE_FULL\)$/) });
    const trials = await study.trials();
    expect(trials).toHaveLength(4);
    expect(trials.filter((t) => t.state === 'RUNNING')).toHaveLength(0);
    expect(trials[3]!.state).toBe('FAIL');
    await storage.close();
  });
});

describe('error messages show NaN and infinities as they are', () => {
  it('a bad bound, a bad grid value, a bad enqueued value and a bad objective result', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }) });
    const trial = await study.ask();
    expect(() => trial.suggestFloat('x', Number.NaN, 1)).toThrow(/x"\.low: expected a finite number, got NaN$/);
    expect(() => trial.suggestFloat('y', 0, -Infinity)).toThrow(/got -Infinity$/);
    expect(() => new GridSampler({ g: [1, Infinity] })).toThrow(/GridSampler: g has Infinity: values must be/);
    await expect(study.enqueueTrial({ z: Number.NaN })).rejects.toThrow(/enqueueTrial: z is NaN: values must be/);
    await expect(createStudy({ space: { w: [Number.NaN, 1] } })).rejects.toThrow(/space.w.low: expected a finite number, got NaN/);
    const told = await study.tell(trial, [1, 2] as unknown as number);
    expect(told.systemAttrs.fail_reason).toBe('the objective returned [1,2]: expected a number');
    const inf = await study.tell(await study.ask(), { bad: Infinity } as unknown as number);
    expect(inf.systemAttrs.fail_reason).toBe('the objective returned {"bad":Infinity}: expected a number');
  });
});

/** A memory storage that records what each getTrials call returned and which study attributes were written. */
function counting(): { storage: Storage; reads: number[]; breeds: string[] } {
  const inner = new MemoryStorage();
  const reads: number[] = [];
  const breeds: string[] = [];
  const storage = new Proxy(inner, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop === 'getTrials') {
        return async (...a: Parameters<Storage['getTrials']>) => {
          const out = await inner.getTrials(...a);
          reads.push(out.length);
          return out;
        };
      }
      if (prop === 'setStudySystemAttrIfAbsent') {
        return async (id: number, key: string, value: unknown) => {
          breeds.push(key);
          return inner.setStudySystemAttrIfAbsent(id, key, value);
        };
      }
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as Storage;
  return { storage, reads, breeds };
}

describe('storage reads do not grow with the history', () => {
  it('an ask and a shouldPrune read only the trials from the first unfinished one on', async () => {
    const { storage, reads } = counting();
    const study = await createStudy({ storage, sampler: new QMCSampler({ seed: 1 }), pruner: new MedianPruner({ nStartupTrials: 1 }) });
    await study.optimize(
      async (t) => {
        const x = t.suggestFloat('x', 0, 1);
        await t.report(x, 0);
        await t.shouldPrune();
        return x;
      },
      { nTrials: 60 },
    );
    // Each trial's reads (ask, then shouldPrune) fetch the trials from the first unfinished one on
    // (the one just finished, the new one), not the 58 finished before them.
    expect(reads.length).toBe(120);
    expect(Math.max(...reads.slice(2))).toBeLessThanOrEqual(2);
    expect((await study.trials()).filter((t) => t.state === 'COMPLETE')).toHaveLength(60);
  });

  it('a fresh GA worker reads stored generations instead of breeding them again', async () => {
    const { storage, breeds } = counting();
    const first = await createStudy({ name: 'ga', storage, sampler: new GeneticSampler({ seed: 1, populationSize: 4 }), space: { x: [0, 1] } });
    await first.optimize((t) => (t.params.x as number) ** 2, { nTrials: 14 });
    const bred = breeds.length;
    expect(bred).toBe(4); // generations 0..3
    const fresh = await loadStudy({ name: 'ga', storage, sampler: new GeneticSampler({ seed: 1, populationSize: 4 }), space: { x: [0, 1] } });
    await fresh.optimize((t) => (t.params.x as number) ** 2, { nTrials: 1 });
    expect(breeds.length).toBe(bred); // generation 3 has a free slot: nothing bred, nothing rewritten
  });
});
