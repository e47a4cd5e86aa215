import { spawn } from 'node:child_process';
import { TrialPruned, type Trial } from '../study/trial.js';
import { placeholders } from './config.js';

/** A command objective that failed (non-zero exit, timeout, no result): the trial is FAIL, the study goes on. */
export class CommandFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailed';
  }
}

/** Bytes of a trial's stderr kept (the tail) in its `stderr_tail` attribute. */
const STDERR_TAIL = 4096;

/** The arguments with `{name}` replaced by the trial's parameter values (each argument stays one argument). */
export function fillArguments(command: readonly string[], params: Record<string, unknown>): string[] {
  return command.map((arg) => {
    let out = arg;
    for (const p of placeholders(arg)) out = out.split(`{${p}}`).join(String(params[p]));
    return out;
  });
}

/** What a line of the command's stdout says. */
type Line = { kind: 'report'; step: number; value: number } | { kind: 'result'; values: number[] } | { kind: 'other' };

export function parseLine(line: string): Line {
  const t = line.trim();
  if (t === '') return { kind: 'other' };
  if (t.startsWith('{')) {
    let o: unknown;
    try {
      o = JSON.parse(t);
    } catch {
      return { kind: 'other' };
    }
    if (typeof o !== 'object' || o === null) return { kind: 'other' };
    const r = o as Record<string, unknown>;
    if (typeof r.step === 'number' && typeof r.value === 'number') return { kind: 'report', step: r.step, value: r.value };
    if (typeof r.value === 'number') return { kind: 'result', values: [r.value] };
    if (Array.isArray(r.values) && r.values.every((v) => typeof v === 'number')) return { kind: 'result', values: r.values as number[] };
    return { kind: 'other' };
  }
  // A bare number (also inf, -inf, nan as Python prints them).
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return { kind: 'result', values: [Number(t)] };
  const special: Record<string, number> = { inf: Infinity, '+inf': Infinity, '-inf': -Infinity, infinity: Infinity, '-infinity': -Infinity, nan: NaN };
  const s = special[t.toLowerCase()];
  return s === undefined ? { kind: 'other' } : { kind: 'result', values: [s] };
}

/**
 * Runs the command for one trial: spawned with an argument array (no shell)
 * in its own process group, environment `TUNEKIT_TRIAL_NUMBER`,
 * `TUNEKIT_STUDY_NAME`, `TUNEKIT_TRIAL_PARAMS` (JSON). stdout lines
 * `{"step": n, "value": v}` are reported to the pruner (a pruned trial's
 * process group gets SIGTERM, then SIGKILL after `gracePeriod`); the result
 * is the last line that is a number, `{"value": v}` or `{"values": […]}`.
 * `timeoutPerTrial` ends the group the same way and fails the trial.
 */
export async function runCommand(
  trial: Trial,
  command: readonly string[],
  options: { studyName: string; cwd: string; timeoutPerTrial: number | undefined; gracePeriod: number },
): Promise<number | number[]> {
  const args = fillArguments(command, trial.params);
  const child = spawn(args[0] as string, args.slice(1), {
    cwd: options.cwd,
    detached: true, // its own process group, so the whole group can be ended
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TUNEKIT_TRIAL_NUMBER: String(trial.number), TUNEKIT_STUDY_NAME: options.studyName, TUNEKIT_TRIAL_PARAMS: JSON.stringify(trial.params) },
  });
  let stderr = '';
  let pending = '';
  let result: number[] | undefined;
  let stopping: 'pruned' | 'timeout' | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const group = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const stop = (why: 'pruned' | 'timeout'): void => {
    if (stopping !== undefined) return;
    stopping = why;
    group('SIGTERM');
    killTimer = setTimeout(() => group('SIGKILL'), options.gracePeriod * 1000);
  };
  const timeout = options.timeoutPerTrial === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutPerTrial * 1000);
  // Reports go to the storage and pruner one at a time, in order.
  let chain: Promise<void> = Promise.resolve();
  const onLine = (line: string): void => {
    const l = parseLine(line);
    if (l.kind === 'result') result = l.values;
    else if (l.kind === 'report') {
      chain = chain.then(async () => {
        if (stopping !== undefined) return;
        await trial.report(l.value, l.step);
        if (await trial.shouldPrune()) stop('pruned');
      });
    }
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    pending += d;
    const lines = pending.split('\n');
    pending = lines.pop() as string;
    for (const line of lines) onLine(line);
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    stderr = (stderr + d).slice(-STDERR_TAIL);
  });
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  if (pending !== '') onLine(pending);
  clearTimeout(timeout);
  // Children that outlived the main process (same group) end with it.
  if (stopping !== undefined || exit.code !== 0) group('SIGKILL');
  clearTimeout(killTimer);
  await chain;
  if (stderr !== '') await trial.setUserAttr('stderr_tail', stderr);
  if (exit.error !== undefined) throw new CommandFailed(`cannot run ${JSON.stringify(args[0])}: ${exit.error.message}`);
  if (stopping === 'pruned') throw new TrialPruned(`pruned: process group of ${JSON.stringify(args[0])} terminated`);
  if (stopping === 'timeout') throw new CommandFailed(`timed out after ${options.timeoutPerTrial} s: process group terminated`);
  if (exit.code !== 0) {
    throw new CommandFailed(`${JSON.stringify(args[0])} exited with ${exit.code === null ? `signal ${exit.signal}` : `code ${exit.code}`}${stderr === '' ? '' : `; stderr ends: ${stderr.trim().split('\n').slice(-3).join(' | ')}`}`);
  }
  if (result === undefined) throw new CommandFailed(`${JSON.stringify(args[0])} printed no result: the last number on stdout, or a JSON line {"value": …}`);
  return result.length === 1 ? (result[0] as number) : result;
}
