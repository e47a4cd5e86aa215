// Runs a Python peer script from bench/peers/ in the benchmark virtual
// environment (bench/.venv), or reuses its last output with --cached.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const RESULTS = `${ROOT}bench/results/`;
const PYTHON = `${ROOT}bench/.venv/bin/python`;

/** Command-line flags of a bench script: `--cached`, `--seeds N`, … */
export function flags(argv = process.argv.slice(2)) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) out[a.slice(2)] = true;
    else {
      out[a.slice(2)] = next;
      i++;
    }
  }
  return out;
}

/**
 * The peers' results: runs `bench/peers/<script>` with `args` (an argument
 * array, no shell) writing `bench/results/<out>`, unless `cached` is set and
 * that file exists. Returns the parsed JSON, or null if the peers cannot run.
 */
export function peerResults(script, args, out, cached) {
  mkdirSync(RESULTS, { recursive: true });
  const path = `${RESULTS}${out}`;
  if (cached && existsSync(path)) {
    console.log(`(peers: reusing ${path}; run without --cached to measure them again)`);
    return JSON.parse(readFileSync(path, 'utf8'));
  }
  if (!existsSync(PYTHON)) {
    console.log(`(peers: ${PYTHON} is missing; see bench/README.md to set up the virtual environment)`);
    return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
  }
  console.log(`(peers: running bench/peers/${script} ${args.join(' ')})`);
  execFileSync(PYTHON, [`${ROOT}bench/peers/${script}`, ...args, '--out', path], { stdio: ['ignore', 'inherit', 'inherit'] });
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function median(v) {
  const s = v.filter((x) => x !== null && !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A number for a table: 4 significant digits, exponent form when small or large. */
export function fmt(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a < 1e-2 || a >= 1e5 ? x.toExponential(2) : x.toPrecision(4);
}

/** A Markdown table. */
export function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
