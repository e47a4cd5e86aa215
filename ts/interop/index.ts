/** Optuna interoperability: the journal file (export and import) and the SQLite RDB file (import). See docs/optuna.md. */
export { exportOptunaJournal, importOptunaJournal, optunaJournalLines, readOptunaJournal, OptunaJournalReader, JOURNAL_OP, type OptunaJournalExportOptions } from './optuna_journal.js';
export { importOptunaRdb, readOptunaRdb, OPTUNA_RDB_VERSIONS } from './optuna_rdb.js';
export {
  writeOptunaStudies,
  distributionFromOptuna,
  distributionJson,
  DATETIME_START_ATTR,
  DATETIME_COMPLETE_ATTR,
  type ImportConflict,
  type OptunaImportOptions,
  type OptunaImportResult,
  type OptunaStudyData,
  type OptunaTrialData,
} from './optuna_common.js';
