import { describeValue, TunekitError } from '../errors.js';
import { valueIn } from '../space.js';
import { toValue } from './distributions.js';
import type { Distribution, FrozenTrial, Storage, StudyDirection, TransferSource } from './types.js';

/** Options of transfer across studies (`createStudy({ transferFrom, transfer })`). */
export interface TransferOptions {
  /**
   * At most this many COMPLETE trials of each old study are used (the GP's
   * fit grows as n³): above it, the best fifth and an even stride through
   * the rest (the core's rule for large fits). @default 200
   */
  maxTrialsPerStudy?: number;
  /**
   * Fraction of each old study's best trials that warm-start TPE (its first
   * trials are those points) and CMA-ES (its first mean, step size and
   * covariance, WS-CMA-ES). @default 0.1
   */
  warmStartGamma?: number;
}

/** An old study to transfer from: its name (in the new study's storage), or a study object (of any storage). */
export type TransferFrom = string | { readonly name: string; readonly storage: Storage };

/** The system attribute of a trial proposed with transfer: each old study's RGPE weight, and `self` for the new study's own model. */
export const TRANSFER_WEIGHTS_ATTR = 'transfer_weights';

const DEFAULT_MAX_TRIALS = 200;
const DEFAULT_GAMMA = 0.1;

/**
 * The old studies of `createStudy({ transferFrom })`, read now: each must
 * exist (`STUDY_NOT_FOUND`), have one objective with the new study's
 * direction (`INVALID_PARAMETER`), differ from the new study, and share a
 * parameter with the declared space if there is one (`INVALID_SPACE`).
 */
export async function resolveTransfer(
  storage: Storage,
  self: string,
  directions: readonly StudyDirection[],
  declared: Readonly<Record<string, Distribution>> | undefined,
  from: unknown,
  options: unknown,
): Promise<TransferSource[]> {
  if (from === undefined) {
    if (options !== undefined) throw new TunekitError('INVALID_PARAMETER', 'transfer: options given without transferFrom');
    return [];
  }
  if (!Array.isArray(from)) throw new TunekitError('INVALID_PARAMETER', `transferFrom: expected an array of study names or studies, got ${describeValue(from)}`);
  const o = checkOptions(options);
  if (from.length > 0 && directions.length !== 1) {
    throw new TunekitError('INVALID_PARAMETER', `transferFrom: transfer needs a study of one objective; this one has ${directions.length}`);
  }
  const out: TransferSource[] = [];
  for (const [i, f] of (from as unknown[]).entries()) {
    const what = `transferFrom[${i}]`;
    let name: string;
    let where: Storage;
    if (typeof f === 'string') {
      name = f;
      where = storage;
    } else if (typeof f === 'object' && f !== null && typeof (f as { name?: unknown }).name === 'string' && typeof (f as { storage?: unknown }).storage === 'object') {
      name = (f as { name: string }).name;
      where = (f as { storage: Storage }).storage;
    } else {
      throw new TunekitError('INVALID_PARAMETER', `${what}: expected a study name or a study, got ${describeValue(f)}`);
    }
    if (name === self && where === storage) throw new TunekitError('INVALID_PARAMETER', `${what}: a study cannot transfer from itself (${JSON.stringify(name)})`);
    const record = await where.getStudy(name);
    if (record === null) throw new TunekitError('STUDY_NOT_FOUND', `${what}: no study named ${JSON.stringify(name)} in this storage`);
    if (record.directions.length !== 1) {
      throw new TunekitError('INVALID_PARAMETER', `${what}: study ${JSON.stringify(name)} has ${record.directions.length} objectives; transfer needs one`);
    }
    const direction = record.directions[0] as StudyDirection;
    if (direction !== directions[0]) {
      throw new TunekitError(
        'INVALID_PARAMETER',
        `${what}: study ${JSON.stringify(name)} is to ${direction === 'maximize' ? 'maximize' : 'minimize'} but this study is to ${directions[0] === 'maximize' ? 'maximize' : 'minimize'}: transfer needs the same direction (negate one objective)`,
      );
    }
    const complete = (await where.getTrials(record.id, ['COMPLETE'])).filter((t) => t.values !== null && Number.isFinite(t.values[0]));
    if (declared !== undefined && complete.length > 0 && !Object.keys(declared).some((p) => complete.some((t) => Object.hasOwn(t.params, p)))) {
      const theirs = [...new Set(complete.flatMap((t) => Object.keys(t.params)))].sort();
      throw new TunekitError(
        'INVALID_SPACE',
        `${what}: study ${JSON.stringify(name)} shares no parameter with this study's space (it has ${theirs.map((n) => JSON.stringify(n)).join(', ') || 'none'}; this study has ${Object.keys(declared)
          .map((n) => JSON.stringify(n))
          .join(', ')})`,
      );
    }
    const trials = cap(complete, o.maxTrialsPerStudy, direction);
    out.push({ name, direction, trials, nWarmStart: Math.max(1, Math.ceil(o.warmStartGamma * trials.length)) });
  }
  return out;
}

function checkOptions(options: unknown): Required<TransferOptions> {
  if (options === undefined) return { maxTrialsPerStudy: DEFAULT_MAX_TRIALS, warmStartGamma: DEFAULT_GAMMA };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new TunekitError('INVALID_PARAMETER', `transfer: expected an object of options, got ${describeValue(options)}`);
  const o = options as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (k !== 'maxTrialsPerStudy' && k !== 'warmStartGamma') throw new TunekitError('UNKNOWN_PARAMETER', `transfer: unknown option ${JSON.stringify(k)} (maxTrialsPerStudy, warmStartGamma)`);
  }
  const max = o['maxTrialsPerStudy'] ?? DEFAULT_MAX_TRIALS;
  if (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 2) throw new TunekitError('INVALID_PARAMETER', `transfer.maxTrialsPerStudy must be an integer ≥ 2, got ${describeValue(max)}`);
  const gamma = o['warmStartGamma'] ?? DEFAULT_GAMMA;
  if (typeof gamma !== 'number' || !(gamma > 0 && gamma <= 1)) throw new TunekitError('INVALID_PARAMETER', `transfer.warmStartGamma must be in (0, 1], got ${describeValue(gamma)}`);
  return { maxTrialsPerStudy: max, warmStartGamma: gamma };
}

/** Trials ordered best first for `direction` (ties by number). */
function bestFirst(trials: readonly FrozenTrial[], direction: StudyDirection): FrozenTrial[] {
  const sign = direction === 'maximize' ? -1 : 1;
  return [...trials].sort((a, b) => sign * ((a.values as number[])[0]! - (b.values as number[])[0]!) || a.number - b.number);
}

/** At most `max` trials: all, or the best fifth and an even stride through the rest, in number order. */
function cap(trials: readonly FrozenTrial[], max: number, direction: StudyDirection): FrozenTrial[] {
  if (trials.length <= max) return [...trials];
  const nBest = Math.floor(max / 5);
  const best = new Set(bestFirst(trials, direction).slice(0, nBest));
  const rest = trials.filter((t) => !best.has(t));
  const nRest = max - nBest;
  for (let k = 0; k < nRest; k++) best.add(rest[Math.floor((k * rest.length) / nRest)] as FrozenTrial);
  return trials.filter((t) => best.has(t));
}

/** One old study's observations over a relative space, as the native proposal takes them. */
export interface TransferTask {
  points: Float64Array;
  targets: Float64Array;
}

/**
 * The old studies' COMPLETE trials over `space` (value form, NaN for a
 * parameter a trial lacks or whose value is outside the new distribution),
 * targets to maximise. A parameter counts for a study when at least half of
 * its trials have it; trials lacking a counted parameter are left out.
 * Throws `INVALID_SPACE` for a study that shares no parameter with `space`.
 */
export function transferTasks(sources: readonly TransferSource[], space: Record<string, Distribution>): TransferTask[] {
  const names = Object.keys(space);
  return sources.map((src) => {
    const rows = src.trials.map((t) =>
      names.map((n) => {
        const d = space[n] as Distribution;
        const v = t.params[n];
        return Object.hasOwn(t.params, n) && valueIn(d, v) ? toValue(d, v) : NaN;
      }),
    );
    const counted = names.map((_, k) => rows.filter((r) => !Number.isNaN(r[k])).length * 2 >= rows.length && rows.length > 0);
    if (!counted.some(Boolean)) {
      throw new TunekitError(
        'INVALID_SPACE',
        `transferFrom: study ${JSON.stringify(src.name)} shares no parameter with this study's space (${names.map((n) => JSON.stringify(n)).join(', ')}): give a study over some of the same parameters`,
      );
    }
    const sign = src.direction === 'maximize' ? 1 : -1;
    const points: number[] = [];
    const targets: number[] = [];
    rows.forEach((r, i) => {
      if (r.some((v, k) => counted[k] && Number.isNaN(v))) return;
      points.push(...r.map((v, k) => (counted[k] ? v : NaN)));
      targets.push(sign * ((src.trials[i] as FrozenTrial).values as number[])[0]!);
    });
    return { points: Float64Array.from(points), targets: Float64Array.from(targets) };
  });
}

/**
 * Warm-start points of TPE: the best `nWarmStart` of each old study's
 * trials, best first, interleaved across the studies (the best of each, then
 * the second of each, …).
 */
export function warmStartParams(sources: readonly TransferSource[]): Record<string, unknown>[] {
  const lists = sources.map((s) => bestFirst(s.trials, s.direction).slice(0, s.nWarmStart));
  const out: Record<string, unknown>[] = [];
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let k = 0; k < longest; k++) for (const l of lists) if (k < l.length) out.push((l[k] as FrozenTrial).params);
  return out;
}

/**
 * The old studies' trials for a CMA-ES warm start, each value replaced by
 * its rank quantile within its own study (0 for the best, to minimise, or 1
 * for the best, to maximise, as `direction`): studies on different scales
 * then contribute their own best region each.
 */
export function rankedTransferTrials(sources: readonly TransferSource[], direction: StudyDirection): FrozenTrial[] {
  const out: FrozenTrial[] = [];
  for (const s of sources) {
    const ordered = bestFirst(s.trials, s.direction);
    ordered.forEach((t, i) => {
      const q = ordered.length > 1 ? i / (ordered.length - 1) : 0;
      out.push({ ...t, values: [direction === 'maximize' ? 1 - q : q] });
    });
  }
  return out;
}
