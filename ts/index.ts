/**
 * tunekit: hyper-parameter tuning for Node.js with a native Rust core.
 * @packageDocumentation
 */
export { TunekitError, type TunekitErrorCode } from './errors.js';
export type { MatrixLike, DenseMatrix } from './matrix.js';
export type { Label, LabelsLike } from './labels.js';
export * as datasets from './datasets_api.js';
export type { Dataset, LoadCsvOptions } from './datasets.js';
export { SVC, SVC_DEFAULTS, type SVCParams, type Kernel, type Estimator } from './svc.js';
export { KFold, StratifiedKFold, type Fold, type CrossValidator, type CvSpec, type KFoldOptions } from './model_selection/splitters.js';
export { trainTestSplit, type TrainTestSplitOptions, type SplitOut } from './model_selection/train_test_split.js';
export { crossValScore, crossValidate, type CrossValOptions, type CrossValidateResult } from './model_selection/cross_validation.js';
export { GridSearchCV } from './model_selection/grid_search.js';
export { RandomizedSearchCV, sampleParams, type ParamDistributions, type RandomizedSearchCVOptions } from './model_selection/randomized_search.js';
export { BayesSearchCV, type BayesSearchCVOptions } from './model_selection/bayes_search.js';
export { GeneticSearchCV, type GeneticSearchCVOptions } from './model_selection/genetic_search.js';
export { expandGrid, type ParamGrid, type Params } from './model_selection/param_grid.js';
export { uniform, loguniform, randint, type Distribution } from './model_selection/distributions.js';
export type { CvResults, SearchCVOptions } from './model_selection/search_cv.js';
export { runDemo, type DemoRow } from './demo.js';
export { SearchSpace, type SpaceSpec, type ParamSpaceSpec, type FloatSpec, type IntSpec, type CategoricalSpec, type ParamValues } from './space.js';
export {
  GeneticAlgorithm,
  type GeneticAlgorithmOptions,
  type GeneticAlgorithmResult,
  type GenerationInfo,
  type BatchObjective,
  type Direction,
  type SelectionOptions,
  type CrossoverOptions,
  type MutationOptions,
  type GaOperatorOptions,
  type Individual,
  type GeneticObjective,
} from './genetic/genetic_algorithm.js';
export type { SvcKernel, GammaKind, GpKernel, AcquisitionKind, SelectionKind, CrossoverKind, DiscreteCrossover, MutationKind, InitKind, CmaRestartStrategy } from './native.js';
export { BayesianOptimization, type BayesianOptimizationOptions, type MaximizeOptions, type Observation } from './bayes/bayesian_optimization.js';
export { GaussianProcessRegressor, type GaussianProcessRegressorOptions, type GpKernelOptions } from './bayes/gaussian_process.js';
export type { AcquisitionOptions } from './bayes/acquisition.js';
export * from './study/index.js';
export * from './interop/index.js';
export { paramImportances, type ImportanceOptions, type ImportanceEvaluator } from './importance/index.js';
export { startDashboard, type Dashboard, type DashboardOptions } from './dashboard/index.js';
export { buildReport, writeReport, type ReportOptions } from './report/index.js';
