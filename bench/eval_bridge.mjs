// The Node side's access to the objectives of bench/peers/problems.py: spawns
// bench/peers/eval_server.py in the benchmark virtual environment (an argument
// array, no shell) and talks line-delimited JSON with it, so tunekit's
// samplers are scored on exactly the function the Python peers see (the same
// tables, the same seeded noise, the same BBOB instances).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ROOT } from './peers.mjs';

const PYTHON = `${ROOT}bench/.venv/bin/python`;

/**
 * @typedef {{ name: string, type: 'categorical', choices: (string | number)[] }
 *   | { name: string, type: 'int', low: number, high: number }
 *   | { name: string, type: 'float', low: number, high: number, log: boolean }} ParamSpec
 */

/** Whether the virtual environment that the bridge needs is there. */
export function bridgeAvailable() {
  return existsSync(PYTHON);
}

/** One evaluation server process; requests are answered in order. */
export class EvalBridge {
  constructor() {
    this.child = spawn(PYTHON, [`${ROOT}bench/peers/eval_server.py`], { stdio: ['pipe', 'pipe', 'inherit'] });
    /** @type {{ resolve: (v: any) => void, reject: (e: Error) => void }[]} */
    this.waiting = [];
    const lines = createInterface({ input: this.child.stdout });
    lines.on('line', (line) => {
      const w = this.waiting.shift();
      if (w === undefined) return;
      const ans = JSON.parse(line);
      if (ans.error !== undefined) w.reject(new Error(`eval_server: ${ans.error}`));
      else w.resolve(ans);
    });
    this.child.on('exit', (code) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`eval_server exited with code ${code}`));
    });
  }

  /** @param {Record<string, unknown>} req */
  request(req) {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${JSON.stringify(req)}\n`);
    });
  }

  /**
   * Starts a run of `problem` with `seed` (tabular problems reseed their noise).
   * @param {string} problem
   * @param {number} seed
   * @returns {Promise<{ space: any, direction: 'minimize' | 'maximize' }>}
   */
  async open(problem, seed) {
    return this.request({ op: 'open', problem, seed });
  }

  /**
   * The objective at `params` (the names and values of the problem's space).
   * @param {string} problem
   * @param {Record<string, unknown>} params
   * @returns {Promise<number>}
   */
  async evaluate(problem, params) {
    return (await this.request({ op: 'eval', problem, params })).value;
  }

  /**
   * A tabular problem's noise-free value at `params` (the mean over the table's repeated runs).
   * @param {string} problem
   * @param {Record<string, unknown>} params
   * @returns {Promise<number>}
   */
  async truth(problem, params) {
    return (await this.request({ op: 'truth', problem, params })).value;
  }

  /**
   * A tabular problem's synthetic learning curve at `epoch` (1..27) for the run with `seed` (bench/peers/problems.py, `evaluate_at`).
   * @param {string} problem
   * @param {Record<string, unknown>} params
   * @param {number} epoch
   * @param {number} seed
   * @returns {Promise<number>}
   */
  async evaluateAt(problem, params, epoch, seed) {
    return (await this.request({ op: 'evale', problem, params, epoch, seed })).value;
  }

  /**
   * A BBOB problem at the vector `x`.
   * @param {string} problem
   * @param {number[]} x
   * @returns {Promise<number>}
   */
  async evaluateVector(problem, x) {
    return (await this.request({ op: 'evalv', problem, x })).value;
  }

  close() {
    this.child.stdin.end();
  }
}

/**
 * Suggests one parameter of a problem's space on a tunekit trial.
 * @param {import('../dist/index.js').Trial} trial
 * @param {ParamSpec} p
 */
export function suggest(trial, p) {
  if (p.type === 'categorical') return trial.suggestCategorical(p.name, p.choices);
  if (p.type === 'int') return trial.suggestInt(p.name, p.low, p.high);
  return trial.suggestFloat(p.name, p.low, p.high, { log: p.log });
}
