import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import cliProgress from 'cli-progress';
import { BUNDLED_DATASETS, loadCsv } from '../datasets.js';
import { TunekitError } from '../errors.js';
import { crossValScore } from '../model_selection/cross_validation.js';
import type { Pruner } from '../study/pruners/pruner.js';
import type { Sampler } from '../study/samplers/sampler.js';
import { createStudy, type Objective, type Study } from '../study/study.js';
import type { Trial } from '../study/trial.js';
import type { FrozenTrial } from '../study/types.js';
import { isFeasible, trialConstraints } from '../study/constraints.js';
import { SVC } from '../svc.js';
import { runCommand } from './command_objective.js';
import { ConfigError, validateConfig, type StudyConfig } from './config.js';
import { build, PRUNERS, SAMPLERS } from './registry.js';

/** How a run reports finished trials. */
export type OutputMode = 'auto' | 'quiet' | 'json';

/** The sampler a validated config names. */
export function makeSampler(c: StudyConfig): Sampler {
  return build(SAMPLERS[c.sampler.type], 'sampler', c.sampler.options, c);
}

/** The pruner a validated config names. */
export function makePruner(c: StudyConfig): Pruner {
  return build(PRUNERS[c.pruner.type], 'pruner', c.pruner.options, c);
}

/** The objective a config names. */
export async function makeObjective(c: StudyConfig): Promise<Objective> {
  const o = c.objective;
  if (o.kind === 'builtin') {
    const bundled = BUNDLED_DATASETS[o.data];
    const ds = bundled !== undefined && o.target === undefined ? bundled() : loadCsv(o.data, o.target === undefined ? {} : { target: o.target });
    return async (trial: Trial) => {
      const scores = await crossValScore(new SVC(trial.params), ds.X, ds.y, { cv: o.cv });
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
    const constraints = trialConstraints(t);
    if (t.state === 'COMPLETE' && isFeasible(t) && v !== undefined && (this.best === undefined || this.sign * v > this.sign * this.best)) this.best = v;
    if (this.mode === 'json') {
      process.stdout.write(
        `${JSON.stringify({ number: t.number, state: t.state, values: t.values, params: t.params, ...(constraints === undefined ? {} : { constraints, feasible: isFeasible(t) }), reason: t.systemAttrs.fail_reason ?? null })}\n`,
      );
    } else if (this.bar !== undefined) {
      this.bar.update(Math.min(this.done, this.total ?? this.done), { running: this.running(), best: this.best === undefined ? '—' : fmtValue([this.best]) });
    } else if (this.mode === 'auto') {
      const reason = typeof t.systemAttrs.fail_reason === 'string' ? `  (${t.systemAttrs.fail_reason})` : '';
      const secs = t.datetimeStart !== null && t.datetimeComplete !== null ? ` in ${((t.datetimeComplete - t.datetimeStart) / 1000).toFixed(2)} s` : '';
      const c = constraints === undefined ? '' : ` constraints=${JSON.stringify(constraints)}${isFeasible(t) ? '' : ' (infeasible)'}`;
      process.stdout.write(`trial ${t.number} ${t.state} value=${fmtValue(t.values)} params=${JSON.stringify(t.params)}${c}${secs}${reason}\n`);
    }
  }

  end(): void {
    this.bar?.stop();
  }
}

/**
 * What a config runs, as a digest the study records: the directions, the
 * space and the objective (a command's arguments, a module's file content, the
 * builtin's settings), not where it runs from. A worker joining with a config
 * whose digest differs is refused, so one study never mixes objectives.
 */
export function objectiveDigest(c: StudyConfig): string {
  const o = c.objective;
  const what =
    o.kind === 'command'
      ? { command: o.command, timeoutPerTrial: o.timeoutPerTrial ?? null, gracePeriod: o.gracePeriod }
      : o.kind === 'module'
        ? { module: createHash('sha256').update(readFileSync(o.module)).digest('hex') }
        : { builtin: o.builtin, data: basename(o.data), target: o.target ?? null, cv: o.cv };
  return createHash('sha256')
    .update(JSON.stringify({ directions: c.directions, space: c.space, objective: what }))
    .digest('hex');
}

/** The config as stored with its study: everything but the storage URL (which may hold a password). */
function storable(c: StudyConfig): Omit<StudyConfig, 'storage'> {
  const { storage: _s, ...rest } = c;
  return rest;
}

/**
 * Runs (or resumes) the study of a config until it has `nTrials` started
 * trials (counting every worker: each start is checked in the storage),
 * `timeout` passes or the sampler is exhausted. `joining` is how a second
 * worker joins: its config must run what the study recorded.
 */
export async function runStudy(c: StudyConfig, mode: OutputMode, joining = false): Promise<Study> {
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
    ...(c.transferFrom === undefined ? {} : { transferFrom: c.transferFrom }),
    ...(c.transfer === undefined ? {} : { transfer: c.transfer }),
  });
  const digest = objectiveDigest(c);
  const studyId = (await study.storage.getStudy(c.study))!.id;
  if (joining) {
    const recorded = (await study.storage.getStudy(c.study))?.systemAttrs.cli_digest;
    if (recorded !== undefined && recorded !== digest) {
      throw new ConfigError(
        `study ${JSON.stringify(c.study)} was started with another objective or space (digest ${String(recorded).slice(0, 12)}…, this config ${digest.slice(0, 12)}…): join with the config it was started with`,
      );
    }
  } else {
    // What `tunekit worker` checks a joining config against; no secrets, and never run from the database alone.
    await study.storage.setStudyAttr(studyId, 'system', 'cli_config', storable(c));
    await study.storage.setStudyAttr(studyId, 'system', 'cli_digest', digest);
  }
  const started = (await study.trials()).filter((t) => t.state !== 'WAITING').length;
  if (c.nTrials !== undefined && started >= c.nTrials) return study;
  let running = 0;
  const progress = new Progress(mode, c.nTrials === undefined ? undefined : c.nTrials - started, c.directions[0] === 'maximize' ? 1 : -1, () => running);
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
        ...(c.nTrials === undefined ? { nTrials: Number.MAX_SAFE_INTEGER } : { maxTrials: c.nTrials }),
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

/**
 * The config stored with a study by `tunekit run`, for `tunekit worker
 * --storage … --study …`. Only a builtin objective runs from it: a command
 * or module is code, and a worker runs code only from a config file it was
 * given, never from what anyone who can write the database put there.
 */
export async function storedConfig(storage: string, name: string): Promise<StudyConfig> {
  const { openStorage } = await import('../study/storage/index.js');
  const rec = await openStorage(storage).getStudy(name);
  if (rec === null) throw new TunekitError('STUDY_NOT_FOUND', `no study named ${JSON.stringify(name)} in this storage`);
  const c = rec.systemAttrs.cli_config as StudyConfig | undefined;
  if (c === undefined) throw new ConfigError(`study ${JSON.stringify(name)} was not started by tunekit run: give --config`);
  const kind = (c.objective as { kind?: unknown } | undefined)?.kind;
  if (kind !== 'builtin') {
    throw new ConfigError(
      `study ${JSON.stringify(name)} runs a ${String(kind)} objective: give --config FILE (a worker runs commands and modules only from a config file it was given, never from the database)`,
    );
  }
  // Validated again: the row may have been written by anyone with access to the database.
  const o = c.objective as Extract<StudyConfig['objective'], { kind: 'builtin' }>;
  const raw = { ...c, storage, objective: { builtin: o.builtin, data: o.data, ...(o.target === undefined ? {} : { target: o.target }), cv: o.cv } };
  return validateConfig(JSON.parse(JSON.stringify(raw)), process.cwd());
}
