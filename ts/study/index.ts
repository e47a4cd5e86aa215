export {
  createStudy,
  loadStudy,
  deleteStudy,
  listStudies,
  Study,
  type StudyOptions,
  type CreateStudyOptions,
  type OptimizeOptions,
  type AskOptions,
  type Objective,
  type ObjectiveResult,
  type TellResult,
  type TellOptions,
} from './study.js';
export { isFeasible, totalViolation, trialConstraints, type ConstraintValues } from './constraints.js';
export { Trial, TrialPruned, type SuggestFloatOptions, type SuggestIntOptions } from './trial.js';
export type {
  FrozenTrial,
  TrialState,
  StudyDirection,
  StudyRecord,
  StudySummary,
  Distribution,
  Distribution as StudyDistribution,
  Storage,
  NewTrial,
  AttrValue,
  StartGuard,
  ReapPolicy,
  TransferSource,
} from './types.js';
export { TRANSFER_WEIGHTS_ATTR, type TransferFrom, type TransferOptions } from './transfer.js';
export { openStorage, closeStorages, MemoryStorage, SqliteStorage, PostgresStorage, type StorageSpec } from './storage/index.js';
export type { SqliteStorageOptions } from './storage/sqlite.js';
export type { PostgresStorageOptions } from './storage/postgres.js';
export { MAX_KEY_BYTES } from './storage/common.js';
export * from './samplers/index.js';
export * from './pruners/index.js';
export { rowsOf, toCsv, type ExportRow } from './export.js';
