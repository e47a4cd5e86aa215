import { TunekitError } from '../errors.js';
import type { Label, LabelsLike } from '../labels.js';
import type { MatrixLike } from '../matrix.js';
import { guard, native, type SvcModel } from '../native.js';
import { checkParamNames, SVC, type Estimator, type SVCParams } from '../svc.js';
import { prepareData, scoreConfigs, type CrossValOptions } from './cross_validation.js';
import type { Params } from './param_grid.js';

/**
 * Phase times (ms) of the last `fit`, recorded only when the environment
 * variable `TUNEKIT_FIT_PHASES=1` is set when this module loads (read by
 * `bench/iris_grid_breakdown.mjs`); otherwise never touched.
 */
export const fitPhases = { prepare: 0, crossValidate: 0, assemble: 0, refit: 0 };
const TIME_PHASES = process.env.TUNEKIT_FIT_PHASES === '1';

/** Options shared by the search classes. */
export interface SearchCVOptions extends CrossValOptions {
  /** Refit the best candidate on all of X, y (for bestEstimator, predict and score). @default true */
  refit?: boolean;
}

/** scikit-learn's `cv_results_`, one entry per candidate in each array. */
export interface CvResults {
  params: Params[];
  meanTestScore: number[];
  stdTestScore: number[];
  rankTestScore: number[];
  meanFitTime: number[];
  stdFitTime: number[];
  meanScoreTime: number[];
  stdScoreTime: number[];
  [split: `split${number}TestScore`]: number[];
}

/** Mean, standard deviation and rank (ties share the smallest, scipy's `rankdata(-means, 'min')`) of each row: the core's rule. */
function summary(rows: readonly number[][], k: number): { mean: number[]; std: number[]; rank: number[] } {
  const s = guard(() => native.cvSummary(Float64Array.from(rows.flat()), k));
  return { mean: Array.from(s.mean), std: Array.from(s.std), rank: Array.from(s.rank) };
}

/** The search loop of GridSearchCV, RandomizedSearchCV and their kin. */
export abstract class BaseSearchCV {
  protected readonly estimator: Estimator;
  protected readonly options: SearchCVOptions;
  private results: CvResults | null = null;
  private best: { index: number; params: Params; score: number } | null = null;
  private refitted: SVC | null = null;
  /** Seconds the refit on all data took. */
  refitTime = 0;
  /**
   * True when `search` evaluates a single batch: the refit of its best
   * candidate then runs in the same native call as the cross-validation.
   */
  protected readonly singleBatch: boolean = false;

  constructor(estimator: Estimator, options: SearchCVOptions) {
    this.estimator = estimator;
    this.options = options;
  }

  /**
   * Runs the search: calls `evaluate` with one or more batches of candidates,
   * in order; each batch is cross-validated in one parallel native call and
   * its mean test scores are returned.
   */
  protected abstract search(evaluate: (batch: Params[]) => Promise<number[]>): Promise<void>;

  /** Runs the search (every candidate × fold fitted in Rust, in parallel), then refits the best. */
  async fit(X: MatrixLike, y: LabelsLike): Promise<this> {
    let t = TIME_PHASES ? performance.now() : 0;
    const lap = (phase: keyof typeof fitPhases): void => {
      const now = performance.now();
      fitPhases[phase] = now - t;
      t = now;
    };
    const base = this.estimator.getParams();
    const data = prepareData(X, y, this.options.cv ?? 5);
    if (TIME_PHASES) {
      lap('prepare');
      fitPhases.crossValidate = 0;
    }
    const candidates: Params[] = [];
    const configs: SVCParams[] = [];
    const scores: number[][] = [];
    const fit: number[][] = [];
    const scoreT: number[][] = [];
    const refit = this.options.refit ?? true;
    let nativeRefit: { index: number; model: SvcModel; seconds: number } | null = null;
    await this.search(async (batch) => {
      if (batch.length === 0) return [];
      batch.forEach((c, i) => checkParamNames(c, `candidate ${candidates.length + i} (${JSON.stringify(c)})`));
      const batchConfigs: SVCParams[] = batch.map((c) => ({ ...base, ...(c as Partial<SVCParams>) }));
      const t1 = TIME_PHASES ? performance.now() : 0;
      const s = await scoreConfigs(data, batchConfigs, this.options.nJobs, refit && this.singleBatch);
      if (s.best !== undefined && s.best !== null && s.model) {
        nativeRefit = { index: candidates.length + s.best, model: s.model, seconds: s.refitSeconds ?? 0 };
      }
      if (TIME_PHASES) fitPhases.crossValidate += performance.now() - t1;
      const k = s.nFolds;
      const row = (a: Float64Array, i: number): number[] => Array.from(a.subarray(i * k, (i + 1) * k));
      batch.forEach((c, i) => {
        candidates.push({ ...c });
        configs.push(batchConfigs[i] as SVCParams);
        scores.push(row(s.accuracy, i));
        fit.push(row(s.fitSeconds, i));
        scoreT.push(row(s.scoreSeconds, i));
      });
      return Array.from(guard(() => native.cvSummary(s.accuracy, k)).mean);
    });
    if (candidates.length === 0) throw new TunekitError('INVALID_PARAMETER', 'the search has no candidates');
    const k = (scores[0] as number[]).length;
    const test = summary(scores, k);
    const fitTime = summary(fit, k);
    const scoreTime = summary(scoreT, k);
    const meanTest = test.mean;
    const results: CvResults = {
      params: candidates.map((c) => ({ ...c })),
      meanTestScore: meanTest,
      stdTestScore: test.std,
      rankTestScore: test.rank,
      meanFitTime: fitTime.mean,
      stdFitTime: fitTime.std,
      meanScoreTime: scoreTime.mean,
      stdScoreTime: scoreTime.std,
    };
    for (let f = 0; f < k; f++) results[`split${f}TestScore`] = scores.map((v) => v[f] as number);
    this.results = results;
    const index = results.rankTestScore.indexOf(1);
    this.best = { index, params: { ...(candidates[index] as Params) }, score: meanTest[index] as number };
    this.refitted = null;
    if (TIME_PHASES) {
      lap('assemble');
      fitPhases.assemble -= fitPhases.crossValidate;
    }
    const done = nativeRefit as { index: number; model: SvcModel; seconds: number } | null;
    if (refit && done !== null && done.index === index) {
      // fitted in the cross-validation's native call, same settings and data
      this.refitted = SVC.fitted(configs[index] as SVCParams, done.model, data.classes, data.x.cols);
      this.refitTime = done.seconds;
    } else if (refit) {
      const t0 = performance.now();
      this.refitted = await this.estimator.clone(configs[index]).fit(X, y);
      this.refitTime = (performance.now() - t0) / 1000;
    }
    if (TIME_PHASES) lap('refit');
    return this;
  }

  private done(): { index: number; params: Params; score: number } {
    if (this.best === null) throw new TunekitError('NOT_FITTED', 'the search has not been fitted yet: call fit(X, y) first');
    return this.best;
  }

  /** Every candidate's fold scores, means, ranks and times. */
  get cvResults(): CvResults {
    this.done();
    return this.results as CvResults;
  }

  /** Parameters of the best candidate (highest mean test score; ties to the first). */
  get bestParams(): Params {
    return { ...this.done().params };
  }

  /** Mean cross-validated accuracy of the best candidate. */
  get bestScore(): number {
    return this.done().score;
  }

  /** Index of the best candidate in {@link cvResults}. */
  get bestIndex(): number {
    return this.done().index;
  }

  /** The best candidate refitted on all the data (needs `refit: true`). */
  get bestEstimator(): SVC {
    this.done();
    if (this.refitted === null) throw new TunekitError('NOT_FITTED', 'bestEstimator needs refit: true');
    return this.refitted;
  }

  /** Labels predicted by {@link bestEstimator}. */
  async predict(X: MatrixLike): Promise<Label[]> {
    return this.bestEstimator.predict(X);
  }

  /** Accuracy of {@link bestEstimator} on X, y. */
  async score(X: MatrixLike, y: LabelsLike): Promise<number> {
    return this.bestEstimator.score(X, y);
  }
}
