// Optuna interop at scale: a journal of --trials trials (default 50 000; each
// with a float, an int and a categorical parameter, two intermediate values, a
// user attribute, COMPLETE), written the way Optuna's optimize writes it (one
// CREATE_TRIAL, SET_TRIAL_PARAM per parameter, …, SET_TRIAL_STATE_VALUES), then:
// tunekit reads it (streamed replay), imports it into memory and into an SQLite
// file, and exports it back; Optuna (bench/peers/optuna_interop_speed.py) reads
// the same file, and copies a --copy-trials journal (default 5 000) into an
// SQLite RDB file with optuna.copy_study, which tunekit's import into SQLite
// is set against per trial. --postgres URL also imports --pg-trials trials
// (default 2 000) into that PostgreSQL database.
//
//   node bench/optuna_interop_speed.mjs [--trials N] [--copy-trials N] [--postgres URL --pg-trials N] [--cached]
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportOptunaJournal, importOptunaJournal, MemoryStorage, PostgresStorage, readOptunaJournal, SqliteStorage } from '../dist/index.js';
import { flags, fmt, peerResults, RESULTS, table } from './peers.mjs';

const opts = flags();
const N = Number(opts.trials ?? 50_000);
const N_COPY = Number(opts['copy-trials'] ?? 5_000);
const N_PG = Number(opts['pg-trials'] ?? 2_000);
const dir = mkdtempSync(join(tmpdir(), 'tunekit-optuna-speed-'));

/** A journal as Optuna's optimize writes it, `n` trials in study "big". */
function writeJournal(file, n) {
  const w = 'bench-worker';
  const lines = [JSON.stringify({ op_code: 0, worker_id: w, study_name: 'big', directions: [1] })];
  const dx = '{"name": "FloatDistribution", "attributes": {"step": null, "low": -5.0, "high": 5.0, "log": false}}';
  const dn = '{"name": "IntDistribution", "attributes": {"log": false, "step": 1, "low": 1, "high": 10}}';
  const dc = '{"name": "CategoricalDistribution", "attributes": {"choices": ["a", "b", "c"]}}';
  for (let i = 0; i < n; i++) {
    const start = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString().replace('Z', '000+00:00');
    lines.push(JSON.stringify({ op_code: 4, worker_id: w, study_id: 0, datetime_start: start }));
    lines.push(JSON.stringify({ op_code: 5, worker_id: w, trial_id: i, param_name: 'x', param_value_internal: Math.sin(i) * 5, distribution: dx }));
    lines.push(JSON.stringify({ op_code: 5, worker_id: w, trial_id: i, param_name: 'n', param_value_internal: 1 + (i % 10), distribution: dn }));
    lines.push(JSON.stringify({ op_code: 5, worker_id: w, trial_id: i, param_name: 'c', param_value_internal: i % 3, distribution: dc }));
    lines.push(JSON.stringify({ op_code: 7, worker_id: w, trial_id: i, step: 0, intermediate_value: i }));
    lines.push(JSON.stringify({ op_code: 7, worker_id: w, trial_id: i, step: 1, intermediate_value: i / 2 }));
    lines.push(JSON.stringify({ op_code: 8, worker_id: w, trial_id: i, user_attr: { tag: `t${i}` } }));
    lines.push(JSON.stringify({ op_code: 6, worker_id: w, trial_id: i, state: 1, values: [Math.cos(i)], datetime_complete: start.replace(/\.\d+/, '.500000') }));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

async function seconds(f) {
  const t = performance.now();
  await f();
  return (performance.now() - t) / 1000;
}

const big = join(dir, 'big.log');
const small = join(dir, 'small.log');
writeJournal(big, N);
writeJournal(small, N_COPY);
const peers = peerResults('optuna_interop_speed.py', ['--journal', big, '--copy-journal', small], 'optuna_interop_speed_peers.json', Boolean(opts.cached));

const read = await seconds(() => readOptunaJournal(big));
const memory = await seconds(() => importOptunaJournal(big, new MemoryStorage()));
const sqlite = new SqliteStorage(join(dir, 'big.db'));
const intoSqlite = await seconds(() => importOptunaJournal(big, sqlite));
const exported = await seconds(() => exportOptunaJournal(sqlite, join(dir, 'out.log')));
await sqlite.close();
const sqliteSmall = new SqliteStorage(join(dir, 'small.db'));
const intoSqliteSmall = await seconds(() => importOptunaJournal(small, sqliteSmall));
await sqliteSmall.close();
let pg = null;
if (typeof opts.postgres === 'string') {
  const storage = new PostgresStorage(opts.postgres);
  const file = join(dir, 'pg.log');
  writeJournal(file, N_PG);
  await storage.deleteStudy('big');
  pg = await seconds(() => importOptunaJournal(file, storage));
  await storage.deleteStudy('big');
  await storage.close();
}

const p = peers?.results;
const rows = [
  [`read (replay) ${N} trials`, fmt(read), fmt(p?.read), p ? fmt(p.read / read) : '—'],
  [`import into memory, ${N} trials`, fmt(memory), '—', '—'],
  [`import into SQLite, ${N} trials`, fmt(intoSqlite), '—', '—'],
  [`into SQLite, ${N_COPY} trials (Optuna: copy_study)`, fmt(intoSqliteSmall), fmt(p?.copy), p ? fmt(p.copy / intoSqliteSmall) : '—'],
  [`export from SQLite, ${N} trials`, fmt(exported), '—', '—'],
];
if (pg !== null) rows.push([`import into PostgreSQL, ${N_PG} trials`, fmt(pg), '—', '—']);
const summary = {
  settings: { trials: N, copyTrials: N_COPY, pgTrials: pg === null ? null : N_PG, journalBytes: statSync(big).size },
  tunekit: { read, memory, sqlite: intoSqlite, sqliteSmall: intoSqliteSmall, export: exported, postgres: pg },
  optuna: p ?? null,
  versions: peers?.versions ?? null,
};
writeFileSync(`${RESULTS}optuna_interop_speed.json`, `${JSON.stringify(summary, null, 1)}\n`);
console.log(table(['seconds', 'tunekit', 'Optuna 5.1', 'Optuna / tunekit'], rows));
rmSync(dir, { recursive: true, force: true });
