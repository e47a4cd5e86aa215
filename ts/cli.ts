#!/usr/bin/env node
/**
 * The `tunekit` command line: config-driven studies, their results, and the
 * tutorial walkthrough. See USAGE below.
 *
 * Exit codes: 0 success, 1 a run-time failure, 2 a usage, config or input error.
 */
import { parseArgs } from 'node:util';
import { bundledDataset, loadCsv } from './datasets.js';
import { runDemo } from './demo.js';
import { MAX_CSV_BYTES } from './csv.js';
import { TunekitError } from './errors.js';
import { crossValidate } from './model_selection/cross_validation.js';
import { SVC, type SVCParams } from './svc.js';
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import { ConfigError, loadConfig } from './cli/config.js';
import { runStudy, storedConfig, type OutputMode } from './cli/run.js';
import { closeStorages, openStorage } from './study/storage/index.js';
import { buildReport } from './report/index.js';
import { exportOptunaJournal, importOptunaJournal, optunaJournalLines } from './interop/optuna_journal.js';
import { importOptunaRdb } from './interop/optuna_rdb.js';
import type { ImportConflict, OptunaImportOptions } from './interop/optuna_common.js';
import { deleteStudy, listStudies, loadStudy } from './study/study.js';
import { TRIAL_STATES, type TrialState } from './study/types.js';
import { formatTable } from './table.js';
import { isLoopback, startDashboard } from './dashboard/server.js';
import { paramImportances } from './importance/index.js';

/** Each command's usage lines, in the order `tunekit --help` lists them. */
const COMMAND_USAGE = new Map<string, string>([
  [
    'run',
    `  tunekit run CONFIG.yaml|json [--quiet | --json]
      Runs (or resumes) the study a config describes until it has nTrials trials.
`,
  ],
  [
    'worker',
    `  tunekit worker --config CONFIG | --storage URL --study NAME [--quiet | --json]
      Joins a running study from another process or machine and works until it is done.
`,
  ],
  ['studies', '  tunekit studies [--storage URL]\n'],
  ['trials', '  tunekit trials STUDY [--state COMPLETE|PRUNED|FAIL|RUNNING|WAITING] [--storage URL]\n'],
  ['best', '  tunekit best STUDY [--storage URL]\n'],
  [
    'importance',
    `  tunekit importance STUDY [--evaluator ped-anova|fanova] [--json] [--storage URL]
      Each parameter's importance for the objective, most important first (PED-ANOVA by
      default, as Optuna 5; fANOVA over a random forest with --evaluator fanova).
`,
  ],
  [
    'export',
    `  tunekit export STUDY --format csv|json|optuna-journal [--output FILE] [--storage URL]
      optuna-journal writes Optuna's JournalStorage file (open it with optuna.load_study or optuna-dashboard).
`,
  ],
  [
    'import',
    `  tunekit import FILE [--format optuna-journal|optuna-sqlite] [--storage URL] [--study NAME]
                [--if-exists error|rename|merge]
      Imports the studies of an Optuna journal file or Optuna SQLite database (the format is
      detected from the file when not given); --study imports only that study of the file.
      A study name the storage already has is refused unless --if-exists says rename
      (import as NAME-imported) or merge (append the trials).
`,
  ],
  ['delete', '  tunekit delete STUDY [--storage URL]\n'],
  [
    'report',
    `  tunekit report STUDY --output FILE.html [--storage URL] [--max-points N]
                [--importance ped-anova|fanova|none]
      Writes one self-contained HTML file (charts, summary, parameter importances; no network
      needed to open it). --max-points bounds each chart's points (default 5000).
`,
  ],
  [
    'dashboard',
    `  tunekit dashboard [--storage URL] [--host 127.0.0.1] [--port 8080] [--allow-edit]
      Serves a live web dashboard of the storage's studies (charts, trial table, trial detail,
      comparisons) until stopped; read-only unless --allow-edit (notes and user attributes).
`,
  ],
  [
    'demo',
    `  tunekit demo
      The tutorial walkthrough: iris, 80/20 split, an SVC tuned four ways, one comparison table.
`,
  ],
  [
    'cv',
    `  tunekit cv --data FILE.csv|iris|wine|breast_cancer|digits [--target COL]
             [--params JSON] [--cv K] [--json]
      Cross-validates an SVC: per-fold accuracy, mean and std.
      --params takes SVC settings, e.g. '{"C":10,"kernel":"rbf","gamma":"scale"}'.
      --cv is the number of stratified folds (default 5).
      A CSV file is at most ${MAX_CSV_BYTES / 2 ** 20} MiB.
`,
  ],
]);

/** The commands that read a study storage (they share the --storage note). */
const STORAGE_COMMANDS = ['studies', 'trials', 'best', 'importance', 'export', 'import', 'delete', 'report', 'dashboard'];
const STORAGE_NOTE = '      --storage defaults to sqlite:tunekit.db in the working directory.\n';

const USAGE = `usage:\n${[...COMMAND_USAGE].map(([c, u]) => (c === 'dashboard' ? u + STORAGE_NOTE : u)).join('')}`;

/** The usage of one command (`tunekit COMMAND --help`). */
function usageOf(command: string): string {
  return `usage:\n${COMMAND_USAGE.get(command) ?? ''}${STORAGE_COMMANDS.includes(command) ? STORAGE_NOTE : ''}`;
}

/** Whether the arguments ask for help (`-h` or `--help` before any `--`). */
function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '-h' || a === '--help');
}

/** A usage error: exit 2, the message and the usage. */
class UsageError extends Error {}

/** A run-time failure outside the library (a file that cannot be written): exit 1, one line, no stack. */
class CliFailure extends Error {}

/** A file system error's reason without the path Node appends (`ENOENT: no such file or directory`). */
function reasonOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  // Node's message ends with ", open '<path>'": the path is named once, first.
  return e.syscall === undefined ? e.message : e.message.replace(new RegExp(`, ${e.syscall} '.*'$`, 's'), '');
}

/** Writes a command's output file; a failure is one line naming the path and the reason (`ENOENT: no such file or directory`). */
function writeOutput(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    throw new CliFailure(`cannot write ${path}: ${reasonOf(err)}`);
  }
}

const DEFAULT_STORAGE = 'sqlite:tunekit.db';

async function cv(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      target: { type: 'string' },
      params: { type: 'string', default: '{}' },
      cv: { type: 'string', default: '5' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.data === undefined) throw new UsageError('--data is required (a CSV file or iris, wine, breast_cancer, digits)');
  const bundled = bundledDataset(values.data);
  const ds = bundled !== undefined && values.target === undefined ? bundled() : loadCsv(values.data, values.target === undefined ? {} : { target: values.target });
  let params: Partial<SVCParams>;
  try {
    params = JSON.parse(values.params) as Partial<SVCParams>;
  } catch (err) {
    throw new UsageError(`--params is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new UsageError('--params must be a JSON object');
  const k = Number(values.cv);
  if (!Number.isInteger(k) || k < 2) throw new UsageError(`--cv must be an integer ≥ 2, got ${values.cv}`);
  const svc = new SVC(params);
  const r = await crossValidate(svc, ds.X, ds.y, { cv: k });
  const mean = r.testScore.reduce((a, b) => a + b, 0) / r.testScore.length;
  const std = Math.sqrt(r.testScore.reduce((a, b) => a + (b - mean) ** 2, 0) / r.testScore.length);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ params: svc.getParams(), scores: r.testScore, mean, std, fitTime: r.fitTime })}\n`);
    return;
  }
  r.testScore.forEach((s, i) => process.stdout.write(`fold ${i}: ${s.toFixed(4)}\n`));
  process.stdout.write(`mean: ${mean.toFixed(4)}  std: ${std.toFixed(4)}\n`);
}

function outputMode(v: { quiet?: boolean; json?: boolean }): OutputMode {
  if (v.quiet && v.json) throw new UsageError('give --quiet or --json, not both');
  return v.json ? 'json' : v.quiet ? 'quiet' : 'auto';
}

async function run(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, options: { quiet: { type: 'boolean' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('run takes one config file');
  const config = loadConfig(positionals[0] as string);
  await runStudy(config, outputMode(values));
  await summary(config.storage, config.study, outputMode(values));
}

async function worker(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { config: { type: 'string' }, storage: { type: 'string' }, study: { type: 'string' }, quiet: { type: 'boolean' }, json: { type: 'boolean' } },
    strict: true,
  });
  let config;
  if (values.config !== undefined) config = loadConfig(values.config);
  else if (values.storage !== undefined && values.study !== undefined) config = await storedConfig(values.storage, values.study);
  else throw new UsageError('worker needs --config FILE, or --storage URL and --study NAME');
  await runStudy(config, outputMode(values), true);
}

async function summary(storage: string, name: string, mode: OutputMode): Promise<void> {
  if (mode !== 'auto') return;
  const study = await loadStudy({ name, storage });
  const trials = await study.trials();
  const count = (s: string) => trials.filter((t) => t.state === s).length;
  process.stdout.write(`study ${JSON.stringify(name)}: ${trials.length} trials (${count('COMPLETE')} complete, ${count('PRUNED')} pruned, ${count('FAIL')} failed)\n`);
  if (study.directions.length === 1 && count('COMPLETE') > 0) {
    const best = await study.bestTrial();
    process.stdout.write(`best: trial ${best.number}, value ${best.values?.[0]}, params ${JSON.stringify(best.params)}\n`);
  }
}

function storageAndStudy(args: string[], extra: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']> = {}) {
  const { values, positionals } = parseArgs({ args, options: { storage: { type: 'string', default: DEFAULT_STORAGE }, ...extra }, allowPositionals: true, strict: true });
  return { values: values as Record<string, string | boolean | undefined> & { storage: string }, positionals };
}

async function studyOf(args: string[], extra: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']> = {}) {
  const { values, positionals } = storageAndStudy(args, extra);
  if (positionals.length !== 1) throw new UsageError('give one study name');
  return { values, study: await loadStudy({ name: positionals[0] as string, storage: values.storage }) };
}

async function results(command: string, args: string[]): Promise<void> {
  if (command === 'studies') {
    const { values, positionals } = storageAndStudy(args);
    if (positionals.length > 0) throw new UsageError('studies takes no arguments');
    const rows = await listStudies({ storage: values.storage });
    process.stdout.write(
      formatTable(
        ['study', 'directions', 'trials'],
        rows.map((r) => [r.name, r.directions.join(', '), String(r.nTrials)]),
      ) + '\n',
    );
    return;
  }
  if (command === 'delete') {
    const { values, positionals } = storageAndStudy(args);
    if (positionals.length !== 1) throw new UsageError('give one study name');
    await deleteStudy({ name: positionals[0] as string, storage: values.storage });
    process.stdout.write(`deleted study ${JSON.stringify(positionals[0])}\n`);
    return;
  }
  if (command === 'trials') {
    const { values, study } = await studyOf(args, { state: { type: 'string' } });
    const state = values.state as string | undefined;
    if (state !== undefined && !TRIAL_STATES.includes(state as TrialState)) throw new UsageError(`--state: expected one of ${TRIAL_STATES.join(', ')}, got ${JSON.stringify(state)}`);
    const trials = await study.trials(state === undefined ? undefined : [state as TrialState]);
    process.stdout.write(
      formatTable(
        ['number', 'state', study.directions.length === 1 ? 'value' : 'values', 'params'],
        trials.map((t) => [String(t.number), t.state, t.values === null ? '' : t.values.join(', '), JSON.stringify(t.params)]),
      ) + '\n',
    );
    return;
  }
  if (command === 'best') {
    const { study } = await studyOf(args);
    const best = study.directions.length === 1 ? [await study.bestTrial()] : await study.bestTrials();
    for (const t of best) process.stdout.write(`${JSON.stringify({ number: t.number, values: t.values, params: t.params })}\n`);
    return;
  }
  // export
  const { values, study } = await studyOf(args, { format: { type: 'string' }, output: { type: 'string' } });
  const format = values.format as string | undefined;
  if (format === 'optuna-journal') {
    const storage = openStorage(values.storage);
    if (typeof values.output === 'string') {
      const output = values.output;
      await exportOptunaJournal(storage, output, { studies: [study.name] }).catch((err: unknown) => {
        if (err instanceof TunekitError) throw err;
        throw new CliFailure(`cannot write ${output}: ${reasonOf(err)}`);
      });
    } else for await (const line of optunaJournalLines(storage, { studies: [study.name] })) process.stdout.write(`${line}\n`);
    return;
  }
  if (format !== 'csv' && format !== 'json') throw new UsageError(`--format: expected csv, json or optuna-journal, got ${JSON.stringify(format)}`);
  const text = format === 'csv' ? await study.exportCsv() : `${JSON.stringify(await study.exportRows(), (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`;
  if (typeof values.output === 'string') writeOutput(values.output, text);
  else process.stdout.write(text);
}

/** `tunekit import FILE`: an Optuna journal file or SQLite database into a tunekit storage. */
async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { storage: { type: 'string', default: DEFAULT_STORAGE }, format: { type: 'string' }, study: { type: 'string' }, 'if-exists': { type: 'string', default: 'error' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('import takes one file');
  const file = positionals[0] as string;
  const ifExists = values['if-exists'] as ImportConflict;
  if (ifExists !== 'error' && ifExists !== 'rename' && ifExists !== 'merge') throw new UsageError(`--if-exists: expected error, rename or merge, got ${JSON.stringify(ifExists)}`);
  // The first bytes tell the format (and a file that cannot be read fails here, as one line, exit 1).
  const head = Buffer.alloc(16);
  try {
    const fd = openSync(file, 'r');
    try {
      readSync(fd, head, 0, 16, 0);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw new CliFailure(`cannot read ${file}: ${reasonOf(err)}`);
  }
  const format = values.format ?? (head.toString('latin1') === 'SQLite format 3\u0000' ? 'optuna-sqlite' : 'optuna-journal');
  if (format !== 'optuna-journal' && format !== 'optuna-sqlite') throw new UsageError(`--format: expected optuna-journal or optuna-sqlite, got ${JSON.stringify(format)}`);
  const storage = openStorage(values.storage);
  const options: OptunaImportOptions = { ifExists, ...(values.study === undefined ? {} : { study: values.study }) };
  const done = format === 'optuna-sqlite' ? await importOptunaRdb(file, storage, options) : await importOptunaJournal(file, storage, options);
  if (done.length === 0) process.stdout.write(`no studies in ${file}\n`);
  for (const r of done) {
    const how = r.merged ? `merged into ${JSON.stringify(r.study)}` : r.study === r.source ? '' : ` as ${JSON.stringify(r.study)}`;
    process.stdout.write(`imported study ${JSON.stringify(r.source)}${r.merged ? ` (${how})` : how}: ${r.trials} trials\n`);
  }
}

/** `tunekit dashboard`: serves the dashboard until SIGINT or SIGTERM. */
async function dashboard(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      storage: { type: 'string', default: DEFAULT_STORAGE },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8080' },
      'allow-edit': { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError('dashboard takes no arguments');
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) throw new UsageError(`--port: expected an integer in [0, 65535], got ${JSON.stringify(values.port)}`);
  if (!isLoopback(values.host)) {
    process.stderr.write(
      `tunekit: warning: listening on ${values.host}, not a loopback address: anyone who can reach this machine can read the studies${values['allow-edit'] ? ' and edit their notes and attributes' : ''} (there is no login)\n`,
    );
  }
  let board;
  try {
    board = await startDashboard({ storage: values.storage, host: values.host, port, allowEdit: values['allow-edit'] });
  } catch (err) {
    if (err instanceof TunekitError) throw err;
    throw new CliFailure(`cannot listen on ${values.host}:${port}: ${reasonOf(err)}`);
  }
  process.stdout.write(`tunekit dashboard: ${board.url} (${values['allow-edit'] ? 'edits allowed' : 'read-only'}; Ctrl-C stops it)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await board.close();
}

/** `tunekit report STUDY --output FILE`: the study's self-contained HTML report. */
async function reportCommand(args: string[]): Promise<void> {
  const { values, positionals } = storageAndStudy(args, { output: { type: 'string' }, 'max-points': { type: 'string' }, importance: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('give one study name');
  const output = values.output;
  if (typeof output !== 'string' || output === '') throw new UsageError('--output FILE.html is required');
  const raw = values['max-points'];
  const maxPoints = raw === undefined ? undefined : Number(raw);
  if (typeof raw === 'string' && (!/^\d+$/.test(raw) || (maxPoints as number) < 2)) throw new UsageError(`--max-points: expected an integer ≥ 2, got ${JSON.stringify(raw)}`);
  const importance = values.importance;
  if (importance !== undefined && importance !== 'ped-anova' && importance !== 'fanova' && importance !== 'none') {
    throw new UsageError(`--importance: expected ped-anova, fanova or none, got ${JSON.stringify(importance)}`);
  }
  const storage = openStorage(values.storage);
  const html = await buildReport(storage, positionals[0] as string, {
    ...(maxPoints === undefined ? {} : { maxPoints }),
    ...(importance === undefined ? {} : { importance }),
  });
  writeOutput(output, html);
  process.stdout.write(`wrote ${output} (${(Buffer.byteLength(html) / 2 ** 20).toFixed(1)} MiB)\n`);
}

async function importanceCommand(args: string[]): Promise<void> {
  const { values, positionals } = storageAndStudy(args, { evaluator: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('give one study name');
  const evaluator = values.evaluator;
  if (evaluator !== undefined && evaluator !== 'ped-anova' && evaluator !== 'fanova') {
    throw new UsageError(`--evaluator: expected ped-anova or fanova, got ${JSON.stringify(evaluator)}`);
  }
  const study = await loadStudy({ name: positionals[0] as string, storage: values.storage });
  const importances = await paramImportances(study, evaluator === undefined ? {} : { evaluator });
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(importances)}\n`);
    return;
  }
  process.stdout.write(
    `${formatTable(
      ['parameter', 'importance'],
      Object.entries(importances).map(([name, v]) => [name, v.toFixed(4)]),
    )}\n`,
  );
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command !== undefined && COMMAND_USAGE.has(command) && wantsHelp(rest)) {
      process.stdout.write(usageOf(command));
      return 0;
    }
    switch (command) {
      case 'run':
        await run(rest);
        return 0;
      case 'worker':
        await worker(rest);
        return 0;
      case 'studies':
      case 'trials':
      case 'best':
      case 'export':
      case 'delete':
        await results(command, rest);
        return 0;
      case 'import':
        await importCommand(rest);
        return 0;
      case 'report':
        await reportCommand(rest);
        return 0;
      case 'importance':
        await importanceCommand(rest);
        return 0;
      case 'dashboard':
        await dashboard(rest);
        return 0;
      case 'demo':
        await runDemo();
        return 0;
      case 'cv':
        await cv(rest);
        return 0;
      case 'help':
        // `tunekit help COMMAND`: that command's usage
        process.stdout.write(rest[0] !== undefined && COMMAND_USAGE.has(rest[0]) ? usageOf(rest[0]) : USAGE);
        return 0;
      case undefined:
      case '-h':
      case '--help':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (err) {
    await closeStorages().catch(() => {});
    if (err instanceof CliFailure) {
      process.stderr.write(`tunekit: ${err.message}\n`);
      return 1;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`tunekit: config error: ${err.message}\n`);
      return 2;
    }
    if (err instanceof UsageError || String((err as { code?: string }).code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`tunekit: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof TunekitError) {
      process.stderr.write(`tunekit: ${err.code}: ${err.message}\n`);
      return ['INTERNAL', 'STORAGE_ERROR', 'OBJECTIVE_FAILED'].includes(err.code) ? 1 : 2;
    }
    process.stderr.write(`tunekit: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

void main(process.argv.slice(2)).then(async (code) => {
  await closeStorages().catch(() => {});
  process.exitCode = code;
});
