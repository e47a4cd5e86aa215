import { TunekitError } from '../errors.js';
import { resolveSeed } from '../seed.js';
import { enumList, guard, isEnumValue, native, type GpKernel } from '../native.js';
import { SearchSpace, type ParamValues, type SpaceSpec } from '../space.js';
import { toNativeAcquisition, type AcquisitionOptions } from './acquisition.js';

/** One evaluated point. */
export interface Observation<P = ParamValues> {
  target: number;
  params: P;
}

/** Options of {@link BayesianOptimization}; names follow bayes_opt's. */
export interface BayesianOptimizationOptions<P extends ParamValues = ParamValues> {
  /** The function to maximise; may be async. Needed by `maximize` and eager `probe`. */
  f?: (params: P) => number | Promise<number>;
  /** The search space in the shared format; `[low, high]` is bayes_opt's bound pair. */
  pbounds: SpaceSpec;
  /** Seed of the initial points and the acquisition search. @default a random seed */
  randomState?: number;
  /** Acquisition function. @default { kind: 'logei' } */
  acquisition?: AcquisitionOptions;
  /** Surrogate kernel. @default the core's, 'matern52' */
  kernel?: GpKernel;
  /** 0 silent, 1 prints new maxima, 2 prints every iteration (bayes_opt's table). @default 2 */
  verbose?: 0 | 1 | 2;
  /** Where the table goes. @default console.log */
  log?: (line: string) => void;
}

/** Options of {@link BayesianOptimization.maximize}. */
export interface MaximizeOptions {
  /** Random points evaluated first. @default 5 */
  initPoints?: number;
  /** Bayesian-optimisation steps after them. @default 25 */
  nIter?: number;
}

function count(v: number | undefined, name: string, def: number): number {
  const n = v ?? def;
  if (!Number.isInteger(n) || n < 0) throw new TunekitError('INVALID_PARAMETER', `${name} must be a non-negative integer, got ${n}`);
  return n;
}

/**
 * Gaussian-process Bayesian optimisation with bayes_opt's interface:
 * ```ts
 * const bo = new BayesianOptimization({ f: ({ x, y }) => -(x ** 2) - (y - 1) ** 2 + 1,
 *   pbounds: { x: [2, 4], y: [-3, 3] }, randomState: 1 });
 * await bo.maximize({ initPoints: 2, nIter: 3 });
 * bo.max; // { target, params }
 * ```
 * The surrogate fit and the acquisition search run in Rust off the event loop.
 */
export class BayesianOptimization<P extends ParamValues = ParamValues> {
  private spaceSpec: SpaceSpec;
  private space_: SearchSpace;
  private readonly f: ((params: P) => number | Promise<number>) | undefined;
  private readonly seed: number;
  private readonly acquisition: ReturnType<typeof toNativeAcquisition>;
  private readonly kernel: GpKernel | undefined;
  private readonly verbose: 0 | 1 | 2;
  private readonly log: (line: string) => void;
  private readonly observations: Observation<P>[] = [];
  private readonly queue: P[] = [];
  private hyper: Float64Array | undefined;
  private headerShown = false;

  constructor(options: BayesianOptimizationOptions<P>) {
    this.spaceSpec = options.pbounds;
    this.space_ = new SearchSpace(options.pbounds, 'pbounds');
    this.f = options.f;
    this.seed = resolveSeed(options.randomState);
    this.acquisition = toNativeAcquisition(options.acquisition);
    this.kernel = options.kernel;
    if (this.kernel !== undefined && !isEnumValue('GpKernel', this.kernel)) {
      throw new TunekitError('INVALID_PARAMETER', `kernel: expected ${enumList('GpKernel')}, got ${JSON.stringify(this.kernel)}`);
    }
    this.verbose = options.verbose ?? 2;
    this.log = options.log ?? ((line) => console.log(line));
  }

  /** The search space. */
  get space(): SearchSpace {
    return this.space_;
  }

  /** Every evaluated point, in order. */
  get res(): Observation<P>[] {
    return this.observations.map((o) => ({ target: o.target, params: { ...o.params } }));
  }

  /** The best point so far, or null before any evaluation. */
  get max(): Observation<P> | null {
    let best: Observation<P> | null = null;
    for (const o of this.observations) if (best === null || o.target > best.target) best = o;
    return best === null ? null : { target: best.target, params: { ...best.params } };
  }

  /** Records an evaluation made elsewhere. The target must be finite. */
  register(params: P, target: number): void {
    this.space_.toValues(params, 'register params');
    if (typeof target !== 'number' || !Number.isFinite(target)) {
      throw new TunekitError('INVALID_PARAMETER', `register: target for ${JSON.stringify(params)} is ${target}: targets must be finite numbers`);
    }
    this.observations.push({ target, params: { ...params } });
    this.report();
  }

  /** Evaluates `params` now (`lazy: false`) or queues it for the next `maximize` (default). */
  async probe(params: P, options: { lazy?: boolean } = {}): Promise<void> {
    this.space_.toValues(params, 'probe params');
    if (options.lazy ?? true) {
      this.queue.push({ ...params });
      return;
    }
    await this.evaluate(params);
  }

  /** The next point(s) to evaluate, from the surrogate fitted to every registered point. */
  suggest(): Promise<P>;
  suggest(n: number): Promise<P[]>;
  async suggest(n?: number): Promise<P | P[]> {
    const k = n ?? 1;
    if (!Number.isInteger(k) || k < 1) throw new TunekitError('INVALID_PARAMETER', `suggest: n must be a positive integer, got ${n}`);
    const points = await this.propose(k);
    return n === undefined ? (points[0] as P) : points;
  }

  /**
   * Narrows or widens some parameters' ranges for the following suggestions.
   * Evaluated points outside the new bounds stay in `res` and `max` but are
   * left out of the surrogate.
   */
  setBounds(newBounds: SpaceSpec): void {
    for (const name of Object.keys(newBounds)) {
      if (!(name in this.spaceSpec)) throw new TunekitError('UNKNOWN_PARAMETER', `setBounds: unknown parameter ${JSON.stringify(name)}`);
    }
    const spec = { ...this.spaceSpec, ...newBounds };
    this.space_ = new SearchSpace(spec, 'pbounds');
    this.spaceSpec = spec;
    this.hyper = undefined;
  }

  /** Queued probes, then `initPoints` random points, then `nIter` Bayesian steps. */
  async maximize(options: MaximizeOptions = {}): Promise<void> {
    const initPoints = count(options.initPoints, 'initPoints', 5);
    const nIter = count(options.nIter, 'nIter', 25);
    if (this.f === undefined) throw new TunekitError('INVALID_PARAMETER', 'maximize needs the objective: pass f to the constructor');
    while (this.queue.length > 0) await this.evaluate(this.queue.shift() as P);
    if (initPoints > 0) {
      const seed = (this.seed + this.observations.length) >>> 0;
      const values = guard(() => native.randomPoints(this.space_.native, initPoints, seed));
      const d = this.space_.params.length;
      for (let i = 0; i < initPoints; i++) await this.evaluate(this.space_.fromValues(values.subarray(i * d, (i + 1) * d)) as P);
    }
    for (let i = 0; i < nIter; i++) {
      const [next] = await this.propose(1);
      await this.evaluate(next as P);
    }
  }

  private async evaluate(params: P): Promise<void> {
    if (this.f === undefined) throw new TunekitError('INVALID_PARAMETER', 'probe with lazy: false needs the objective: pass f to the constructor');
    const target = await this.f({ ...params });
    if (typeof target !== 'number' || !Number.isFinite(target)) {
      throw new TunekitError('INVALID_PARAMETER', `f returned ${String(target)} for ${JSON.stringify(params)}: the objective must return a finite number`);
    }
    this.register(params, target);
  }

  private async propose(n: number): Promise<P[]> {
    const d = this.space_.params.length;
    // After setBounds, points outside the current bounds are left out of the model.
    const obs = this.observations.filter((o) => this.space_.contains(o.params));
    const points = new Float64Array(obs.length * d);
    obs.forEach((o, i) => points.set(this.space_.toValues(o.params, `res[${i}].params`), i * d));
    const out = await guard(() =>
      native.bayesPropose({
        space: this.space_.native,
        points,
        targets: Float64Array.from(obs, (o) => o.target),
        pending: new Float64Array(0),
        n,
        seed: (this.seed + obs.length) >>> 0,
        ...(this.kernel === undefined ? {} : { kernel: this.kernel }),
        ...this.acquisition,
        ...(this.hyper === undefined ? {} : { warmStart: this.hyper }),
      }),
    );
    this.hyper = out.hyper;
    return Array.from({ length: n }, (_, i) => this.space_.fromValues(out.points.subarray(i * d, (i + 1) * d)) as P);
  }

  /** bayes_opt's iteration table. */
  private report(): void {
    if (this.verbose === 0) return;
    const names = this.space_.names;
    const cell = (s: string): string => ` ${s.slice(0, 9).padEnd(9)} `;
    const fmt = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : String(v));
    const last = this.observations[this.observations.length - 1] as Observation<P>;
    const isMax = this.observations.every((o) => o.target <= last.target);
    if (this.verbose === 1 && !isMax) return;
    if (!this.headerShown) {
      const header = `|${[cell('iter'), cell('target'), ...names.map(cell)].join('|')}|`;
      this.log(header);
      this.log('-'.repeat(header.length));
      this.headerShown = true;
    }
    const row = [cell(String(this.observations.length)), cell(fmt(last.target)), ...names.map((n) => cell(fmt(last.params[n])))];
    this.log(`|${row.join('|')}|${isMax ? ' *' : ''}`);
  }
}
