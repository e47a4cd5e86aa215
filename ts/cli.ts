#!/usr/bin/env node
/**
 * The `tunekit` command line.
 *
 *   tunekit demo                      the tutorial walkthrough on iris
 *   tunekit cv --data FILE.csv --target COL --params '{"C":1}' [--cv 5] [--json]
 *
 * Exit codes: 0 success, 1 a run-time failure, 2 a usage or input error.
 */
import { parseArgs } from 'node:util';
import { loadBreastCancer, loadCsv, loadDigits, loadIris, loadWine, type Dataset } from './datasets.js';
import { runDemo } from './demo.js';
import { TunekitError } from './errors.js';
import { crossValidate } from './model_selection/cross_validation.js';
import { SVC, type SVCParams } from './svc.js';

const USAGE = `usage:
  tunekit demo
      The tutorial walkthrough: iris, 80/20 split, grid and random search of an SVC.
  tunekit cv --data FILE.csv|iris|wine|breast_cancer|digits [--target COL]
             [--params JSON] [--cv K] [--json]
      Cross-validates an SVC: per-fold accuracy, mean and std.
      --params takes SVC settings, e.g. '{"C":10,"kernel":"rbf","gamma":"scale"}'.
      --cv is the number of stratified folds (default 5).
`;

class UsageError extends Error {}

const BUNDLED: Record<string, () => Dataset> = {
  iris: loadIris,
  wine: loadWine,
  breast_cancer: loadBreastCancer,
  digits: loadDigits,
};

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
  const bundled = BUNDLED[values.data];
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

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'demo':
        await runDemo();
        return 0;
      case 'cv':
        await cv(rest);
        return 0;
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (err) {
    if (err instanceof UsageError || String((err as { code?: string }).code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`tunekit: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof TunekitError) {
      process.stderr.write(`tunekit: ${err.code}: ${err.message}\n`);
      return err.code === 'INTERNAL' ? 1 : 2;
    }
    process.stderr.write(`tunekit: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
