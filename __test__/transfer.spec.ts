// Transfer across studies (issue 15, item 1): createStudy({ transferFrom })
// on memory and SQLite storages. A related old study (the same shifted sphere,
// shifted a little more) takes RGPE weight and the new study reaches a good
// value in fewer trials than without; a negated one gets weight 0 and costs
// little; old studies over other parameter sets; TPE and CMA-ES warm starts;
// every error with its code and message.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CmaEsSampler, createStudy, GPSampler, loadStudy, RandomSampler, SqliteStorage, TPESampler, type Storage, type Study, type Trial } from '../dist/index.js';
import { rejects } from './helpers.js';
import { tempDir } from './storages.js';

const tmp = tempDir();
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const CMD = fileURLToPath(new URL('./fixtures/commands/', import.meta.url));
const opened: Storage[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
  tmp.remove();
});

const SPACE = { x: { type: 'float', low: -5, high: 5 }, y: { type: 'float', low: -5, high: 5 }, z: { type: 'float', low: -5, high: 5 } } as const;

/** A sphere centred at (1 + s, −2, 0.5): minimum 0. */
function sphere(p: Record<string, unknown>, s = 0): number {
  const v = (k: string) => (p[k] as number | undefined) ?? 0;
  return (v('x') - 1 - s) ** 2 + (v('y') + 2) ** 2 + (v('z') - 0.5) ** 2;
}

/** Best-so-far after each trial. */
async function curve(study: Study): Promise<number[]> {
  let best = Infinity;
  return (await study.trials()).map((t) => (best = Math.min(best, t.values![0]!)));
}

/** The old studies every case reads: `old` (related, 30 GP trials), `neg` (its negation, to maximise… no: minimised, unrelated). */
async function oldStudies(storage: Storage): Promise<void> {
  const old = await createStudy({ name: 'old', storage, space: SPACE, sampler: new GPSampler({ seed: 1 }) });
  await old.optimize((t) => sphere(t.params), { nTrials: 30 });
  const neg = await createStudy({ name: 'neg', storage, space: SPACE, sampler: new GPSampler({ seed: 2 }) });
  await neg.optimize((t) => -sphere(t.params), { nTrials: 30 });
}

for (const backend of ['memory', 'sqlite'] as const) {
  describe(`transfer on ${backend}`, () => {
    const storage = (): Storage => {
      if (backend === 'memory') return storageMemo;
      const s = new SqliteStorage(join(tmp.dir, 'transfer.db'));
      opened.push(s);
      return s;
    };
    let storageMemo: Storage;

    it('a related old study takes weight and the new study gets to a good value sooner; a negated one gets weight 0', async () => {
      if (backend === 'memory') {
        const s = await createStudy({ name: 'seed-holder' });
        storageMemo = s.storage;
      }
      const st = storage();
      await oldStudies(st);
      const run = async (transferFrom: string[]) => {
        const s = await createStudy({ storage: st, space: SPACE, sampler: new GPSampler({ seed: 3 }), transferFrom });
        await s.optimize((t) => sphere(t.params, 0.3), { nTrials: 25 });
        return s;
      };
      const plain = await curve(await run([]));
      const related = await run(['old']);
      const rc = await curve(related);
      // Without transfer the first 10 trials are random: best after 10 is poor.
      expect(plain[9]).toBeGreaterThan(1);
      // With it, the first proposal is already near the optimum, and the
      // 25-trial result of the plain run is reached within 10 trials.
      expect(rc[0]).toBeLessThan(0.5);
      expect(rc[9]).toBeLessThanOrEqual(plain[24]! + 0.05);
      const w = (await related.trials()).map((t) => t.systemAttrs['transfer_weights'] as Record<string, number> | undefined);
      // Every trial records the weights; with fewer than 3 observations the old study has them all.
      expect(w.every((x) => x !== undefined && Math.abs(x['old']! + x['self']! - 1) < 1e-9)).toBe(true);
      expect(w[0]).toEqual({ old: 1, self: 0 });
      expect(w[2]).toEqual({ old: 1, self: 0 });
      expect(w.slice(3).reduce((a, x) => a + x!['old']!, 0) / 22).toBeGreaterThan(0.1);

      const both = await run(['old', 'neg']);
      const bw = (await both.trials()).slice(5).map((t) => t.systemAttrs['transfer_weights'] as Record<string, number>);
      expect(bw.every((x) => x['neg'] === 0)).toBe(true);
      expect(Math.max(...bw.map((x) => x['old']!))).toBeGreaterThan(0.2);

      const negOnly = await run(['neg']);
      const nw = (await negOnly.trials()).slice(5).map((t) => t.systemAttrs['transfer_weights'] as Record<string, number>);
      expect(nw.every((x) => x['neg'] === 0 && x['self'] === 1)).toBe(true);
      // Negative transfer costs little: within 0.5 of the plain run's 25-trial result.
      const nc = await curve(negOnly);
      expect(nc[24]).toBeLessThan(plain[24]! + 0.5);
    }, 120_000);

    it('old studies over other parameter sets: the shared ones are used', async () => {
      const st = storage();
      // The old study has x and y (and an unrelated w), not z.
      const part = await createStudy({ name: 'part', storage: st, sampler: new GPSampler({ seed: 4 }) });
      await part.optimize(
        (t: Trial) => {
          const x = t.suggestFloat('x', -5, 5);
          const y = t.suggestFloat('y', -5, 5);
          t.suggestInt('w', 0, 3);
          return sphere({ x, y, z: 0.5 });
        },
        { nTrials: 25 },
      );
      const s = await createStudy({ storage: st, space: SPACE, sampler: new GPSampler({ seed: 5 }), transferFrom: [part] });
      await s.optimize((t) => sphere(t.params), { nTrials: 6 });
      const first = (await s.trials())[0]!;
      // The first point is the old study's optimum in x and y.
      expect(Math.abs((first.params['x'] as number) - 1)).toBeLessThan(0.5);
      expect(Math.abs((first.params['y'] as number) + 2)).toBeLessThan(0.5);
      expect(first.systemAttrs['transfer_weights']).toEqual({ part: 1, self: 0 });
    }, 60_000);

    it('TPE starts from the old best trials; CMA-ES from their region', async () => {
      const st = storage();
      const best = (await (await loadStudy({ name: 'old', storage: st })).bestTrial()).params;
      const tpe = await createStudy({ storage: st, space: SPACE, sampler: new TPESampler({ seed: 6 }), transferFrom: ['old'] });
      await tpe.optimize((t) => sphere(t.params, 0.3), { nTrials: 3 });
      // γ = 0.1 of 30 trials: the 3 best old trials, best first.
      const old = await loadStudy({ name: 'old', storage: st });
      const top = (await old.trials(['COMPLETE'])).sort((a, b) => a.values![0]! - b.values![0]!).slice(0, 3);
      expect((await tpe.trials())[0]!.params).toEqual(best);
      expect((await tpe.trials()).map((t) => t.params)).toEqual(top.map((t) => t.params));

      const cmaBest = async (transferFrom: string[]) => {
        const s = await createStudy({ storage: st, space: SPACE, sampler: new CmaEsSampler({ seed: 7 }), transferFrom });
        await s.optimize((t) => sphere(t.params, 0.3), { nTrials: 20 });
        return (await curve(s))[19]!;
      };
      const [cold, warm] = [await cmaBest([]), await cmaBest(['old'])];
      expect(warm).toBeLessThan(cold / 2);
    }, 60_000);
  });
}

describe('transfer errors', () => {
  it('unknown study, direction mismatch, no shared parameter, bad options', async () => {
    const a = await createStudy({ name: 'a', sampler: new RandomSampler({ seed: 1 }) });
    await a.optimize((t) => t.suggestFloat('q', 0, 1), { nTrials: 5 });
    const storage = a.storage;
    await rejects(createStudy({ storage, transferFrom: ['nope'] }), 'STUDY_NOT_FOUND', /^transferFrom\[0\]: no study named "nope" in this storage$/);
    await rejects(
      createStudy({ storage, direction: 'maximize', transferFrom: ['a'] }),
      'INVALID_PARAMETER',
      /^transferFrom\[0\]: study "a" is to minimize but this study is to maximize: transfer needs the same direction \(negate one objective\)$/,
    );
    await rejects(
      createStudy({ storage, space: { x: { type: 'float', low: 0, high: 1 } }, transferFrom: ['a'] }),
      'INVALID_SPACE',
      /^transferFrom\[0\]: study "a" shares no parameter with this study's space \(it has "q"; this study has "x"\)$/,
    );
    await rejects(createStudy({ storage, directions: ['minimize', 'minimize'], transferFrom: ['a'] }), 'INVALID_PARAMETER', /^transferFrom: transfer needs a study of one objective; this one has 2$/);
    await rejects(createStudy({ storage, transferFrom: 'a' as unknown as string[] }), 'INVALID_PARAMETER', /^transferFrom: expected an array of study names or studies, got "a"$/);
    await rejects(createStudy({ storage, transferFrom: [3 as unknown as string] }), 'INVALID_PARAMETER', /^transferFrom\[0\]: expected a study name or a study, got 3$/);
    await rejects(createStudy({ storage, transferFrom: ['a'], transfer: { maxTrialsPerStudy: 1 } }), 'INVALID_PARAMETER', /^transfer\.maxTrialsPerStudy must be an integer ≥ 2, got 1$/);
    await rejects(createStudy({ storage, transferFrom: ['a'], transfer: { gamma: 1 } as never }), 'UNKNOWN_PARAMETER', /^transfer: unknown option "gamma" \(maxTrialsPerStudy, warmStartGamma\)$/);
    await rejects(createStudy({ name: 'a', storage, loadIfExists: true, transferFrom: ['a'] }), 'INVALID_PARAMETER', /^transferFrom\[0\]: a study cannot transfer from itself \("a"\)$/);
    // Define-by-run: the relative space is known at sampling time.
    const b = await createStudy({ storage, sampler: new GPSampler({ seed: 2 }), transferFrom: ['a'] });
    await rejects(
      b.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 3 }),
      'INVALID_SPACE',
      /^transferFrom: study "a" shares no parameter with this study's space \("x"\): give a study over some of the same parameters$/,
    );
  });
});

describe('transferFrom in a CLI config', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: tmp.dir, encoding: 'utf8', timeout: 120_000 });
  const config = (study: string, extra: string) =>
    `study: ${study}\nstorage: sqlite:cli-transfer.db\nsampler: { type: gp, options: { seed: 1 } }\nnTrials: 8\nspace: { x: [0, 4], k: { type: int, low: 0, high: 6 } }\nobjective: { module: ${join(CMD, 'objective.mjs')} }\n${extra}`;

  it('runs a study transferring from an earlier one and records the weights', async () => {
    const path = join(tmp.dir, 'first.yaml');
    writeFileSync(path, config('first', ''));
    expect(cli('run', path, '--quiet').status).toBe(0);
    writeFileSync(path, config('second', 'transferFrom: [first]\ntransfer: { maxTrialsPerStudy: 50 }\n'));
    const out = cli('run', path, '--quiet');
    expect(out.status, out.stderr).toBe(0);
    const storage = new SqliteStorage(join(tmp.dir, 'cli-transfer.db'));
    const rec = (await storage.getStudy('second'))!;
    const trials = await storage.getTrials(rec.id);
    await storage.close();
    expect(trials).toHaveLength(8);
    const w = trials.map((t) => t.systemAttrs['transfer_weights'] as Record<string, number>);
    expect(w[0]).toEqual({ first: 1, self: 0 });
    expect(w.every((x) => Math.abs(x['first']! + x['self']! - 1) < 1e-9)).toBe(true);
  }, 60_000);

  it('an unknown study, its own name or a bad option are errors naming them (exit 2)', () => {
    const path = join(tmp.dir, 'bad-transfer.yaml');
    writeFileSync(path, config('third', 'transferFrom: [nope]\n'));
    let out = cli('run', path);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/STUDY_NOT_FOUND: transferFrom\[0\]: no study named "nope" in this storage/);
    writeFileSync(path, config('third', 'transferFrom: [third]\n'));
    out = cli('run', path);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/config error: transferFrom\[0\]: a study cannot transfer from itself \("third"\)/);
    writeFileSync(path, config('third', 'transferFrom: first\n'));
    out = cli('run', path);
    expect(out.stderr).toMatch(/config error: transferFrom: expected a list of study names, got "first"/);
    writeFileSync(path, config('third', 'transferFrom: [first]\ntransfer: { gamma: 1 }\n'));
    out = cli('run', path);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/config error: transfer\.gamma: unknown key \(expected one of maxTrialsPerStudy, warmStartGamma\)/);
  });
});
