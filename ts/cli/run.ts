import { pathToFileURL } from 'node:url';
import cliProgress from 'cli-progress';
import { BUNDLED_DATASETS, loadCsv } from '../datasets.js';
import { TunekitError } from '../errors.js';
import { crossValScore } from '../model_selection/cross_validation.js';
import { HyperbandPruner } from '../study/pruners/hyperband.js';
import { MedianPruner, PercentilePruner } from '../study/pruners/median.js';
import { NopPruner, type Pruner } from '../study/pruners/pruner.js';
import { SuccessiveHalvingPruner } from '../study/pruners/successive_halving.js';
import { GeneticSampler } from '../study/samplers/genetic.js';
import { GPSampler } from '../study/samplers/gp.js';
import { GridSampler } from '../study/samplers/grid.js';
import { QMCSampler } from '../study/samplers/qmc.js';
import { RandomSampler } from '../study/samplers/random.js';
import type { Sampler } from '../study/samplers/sampler.js';
import { createStudy, type Objective, type Study } from '../study/study.js';
import type { Trial } from '../study/trial.js';
import type { Distribution, FrozenTrial } from '../study/types.js';
import { SVC, type SVCParams } from '../svc.js';
import { runCommand } from './command_objective.js';
import { ConfigError, validateConfig, type StudyConfig } from './config.js';

/** How a run reports finished trials. */
export type OutputMode = 'auto' | 'quiet' | 'json';

function gridValues(d: Distribution): unknown[] {
  if (d.type === 'categorical') return [...d.choices];
  const step = d.step ?? 1;
  const n = Math.round((d.high - d.low) / step) + 1;
  if (n > 100_000) throw new ConfigError(`the grid sampler would enumerate ${n} values of one parameter`);
  return Array.from({ length: n }, (_, i) => d.low + i * step);
}

export function makeSampler(c: StudyConfig): Sampler {
  const o = c.sampler.options as Record<string, never>;
  switch (c.sampler.type) {
    case 'random':
      return new RandomSampler(o);
    case 'qmc':
      return new QMCSampler(o);
    case 'gp': {
      const { kappa, ...rest } = o as { kappa?: number } & Record<string, never>;
      return new GPSampler(kappa === undefined ? rest : { ...rest, acquisition: { kind: 'ucb', kappa } });
    }
    case 'genetic':
      return new GeneticSampler(o);
    case 'grid':
      return new GridSampler(Object.fromEntries(Object.entries(c.space).map(([n, d]) => [n, gridValues(d)])), o);
  }
}

export function makePruner(c: StudyConfig): Pruner {
  const o = c.pruner.options as Record<string, never>;
  switch (c.pruner.type) {
    case 'none':
      return new NopPruner();
    case 'median':
      return new MedianPruner(o);
    case 'percentile':
      return new PercentilePruner(o as unknown as ConstructorParameters<typeof PercentilePruner>[0]);
    case 'successive_halving':
      return new SuccessiveHalvingPruner(o);
    case 'hyperband':
      return new HyperbandPruner(o);
  }
}

/** The objective a config names. */
export async function makeObjective(c: StudyConfig): Promise<Objective> {
  const o = c.objective;
  if (o.kind === 'builtin') {
    const bundled = BUNDLED_DATASETS[o.data];
    const ds = bundled !== undefined && o.target === undefined ? bundled() : loadCsv(o.data, o.target === undefined ? {} : { target: o.target });
    return async (trial: Trial) => {
      const scores = await crossValScore(new SVC(trial.params as Partial<SVCParams>), ds.X, ds.y, { cv: o.cv });
      return scores.reduce((a, b) => a + b, 0) / scores.length;
    };
  }
  if (o.kind === 'module') {
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(o.module).href)) as { default?: unknown };
    } catch (err) {
      const ts = /\.[mc]?ts$/.test(o.module) && (err as { code?: string }).code === 'ERR_UNKNOWN_FILE_EXTENSION';
      throw new ConfigError(
        ts
          ? `objective.module: ${o.module} is TypeScript, which this Node cannot import by itself: compile it to .mjs, or run tunekit under a loader (node --import tsx node_modules/tunekit/dist/cli.js run …)`
          : `objective.module: cannot load ${o.module}: ${(err as Error).message}`,
      );
    }
    if (typeof mod.default !== 'function') throw new ConfigError(`objective.module: ${o.module} must export a default function (trial) => number | number[]`);
    return mod.default as Objective;
  }
  return (trial: Trial) => runCommand(trial, o.command, { studyName: c.study, cwd: o.cwd, timeoutPerTrial: o.timeoutPerTrial, gracePeriod: o.gracePeriod });
}

const fmtValue = (v: number[] | null): string => (v === null ? '—' : v.map((x) => (Number.isFinite(x) ? Number(x.toPrecision(6)) : x)).join(', '));

/** Reports finished trials: a progress bar on a TTY, one line per trial otherwise, JSON lines, or nothing. */
class Progress {
  private bar: cliProgress.SingleBar | undefined;
  private done = 0;
  private best: number | undefined;

  constructor(
    private readonly mode: OutputMode,
    private readonly total: number | undefined,
    private readonly sign: number,
    private readonly running: () => number,
  ) {
    if (mode === 'auto' && process.stderr.isTTY && total !== undefined) {
      this.bar = new cliProgress.SingleBar(
        { format: 'trials {value}/{total} |{bar}| running {running} | best {best} | {duration_formatted} elapsed, ETA {eta_formatted}', stream: process.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, 0, { running: 0, best: '—' });
    }
  }

  trial(t: FrozenTrial): void {
    this.done++;
    const v = t.values?.[0];
    if (t.state === 'COMPLETE' && v !== undefined && (this.best === undefined || this.sign * v > this.sign * this.best)) this.best = v;
    if (this.mode === 'json') {
      process.stdout.write(`${JSON.stringify({ number: t.number, state: t.state, values: t.values, params: t.params, reason: t.systemAttrs.fail_reason ?? null })}\n`);
    } else if (this.bar !== undefined) {
      this.bar.update(Math.min(this.done, this.total ?? this.done), { running: this.running(), best: this.best === undefined ? '—' : fmtValue([this.best]) });
    } else if (this.mode === 'auto') {
      const reason = typeof t.systemAttrs.fail_reason === 'string' ? `  (${t.systemAttrs.fail_reason})` : '';
      const secs = t.datetimeStart !== null && t.datetimeComplete !== null ? ` in ${((t.datetimeComplete - t.datetimeStart) / 1000).toFixed(2)} s` : '';
      process.stdout.write(`trial ${t.number} ${t.state} value=${fmtValue(t.values)} params=${JSON.stringify(t.params)}${secs}${reason}\n`);
    }
  }

  end(): void {
    this.bar?.stop();
  }
}

/**
 * Runs (or resumes) the study of a config until it has `nTrials` finished
 * trials, `timeout` passes or the sampler is exhausted. Also how a second
 * worker joins: the same config, or the config stored with the study.
 */
export async function runStudy(c: StudyConfig, mode: OutputMode): Promise<Study> {
  const objective = await makeObjective(c);
  const study = await createStudy({
    name: c.study,
    storage: c.storage,
    directions: c.directions,
    loadIfExists: true,
    sampler: makeSampler(c),
    pruner: makePruner(c),
    space: c.space,
    ...(c.heartbeatInterval === undefined ? {} : { heartbeatInterval: c.heartbeatInterval }),
    ...(c.gracePeriod === undefined ? {} : { gracePeriod: c.gracePeriod }),
    maxRetries: c.maxRetries,
  });
  // Stored so that `tunekit worker --storage … --study …` can join without the file.
  await study.storage.setStudyAttr((await study.storage.getStudy(c.study))!.id, 'system', 'cli_config', c);
  const existing = (await study.trials()).filter((t) => t.state !== 'WAITING').length;
  const remaining = c.nTrials === undefined ? undefined : c.nTrials - existing;
  if (remaining !== undefined && remaining <= 0) return study;
  let running = 0;
  const progress = new Progress(mode, remaining, c.directions[0] === 'maximize' ? 1 : -1, () => running);
  try {
    await study.optimize(
      async (trial) => {
        running++;
        try {
          return await objective(trial);
        } finally {
          running--;
        }
      },
      {
        ...(remaining === undefined ? { nTrials: Number.MAX_SAFE_INTEGER } : { nTrials: remaining }),
        ...(c.timeout === undefined ? {} : { timeout: c.timeout }),
        concurrency: c.concurrency,
        // A failing trial is recorded (FAIL, with its reason) and the study goes on.
        catch: [Error],
        callbacks: [(_s, t) => progress.trial(t)],
      },
    );
  } finally {
    progress.end();
  }
  return study;
}

/** The config stored with a study by `tunekit run`, for `tunekit worker --storage … --study …`. */
export async function storedConfig(storage: string, name: string): Promise<StudyConfig> {
  const { openStorage } = await import('../study/storage/index.js');
  const rec = await openStorage(storage).getStudy(name);
  if (rec === null) throw new TunekitError('STUDY_NOT_FOUND', `no study named ${JSON.stringify(name)} in ${storage}`);
  const c = rec.systemAttrs.cli_config as StudyConfig | undefined;
  if (c === undefined) throw new ConfigError(`study ${JSON.stringify(name)} was not started by tunekit run: give --config`);
  // Stored configs are already resolved; validate again so a tampered row cannot run anything unchecked.
  const raw = { ...c, objective: objectiveRaw(c) };
  const v = validateConfig(JSON.parse(JSON.stringify(raw)), process.cwd());
  return { ...v, storage, objective: v.objective.kind === 'command' && c.objective.kind === 'command' ? { ...v.objective, cwd: c.objective.cwd } : v.objective };
}

function objectiveRaw(c: StudyConfig): Record<string, unknown> {
  const o = c.objective;
  if (o.kind === 'builtin') return { builtin: o.builtin, data: o.data, ...(o.target === undefined ? {} : { target: o.target }), cv: o.cv };
  if (o.kind === 'module') return { module: o.module };
  return { command: o.command, ...(o.timeoutPerTrial === undefined ? {} : { timeoutPerTrial: o.timeoutPerTrial }), gracePeriod: o.gracePeriod };
}
