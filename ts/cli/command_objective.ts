import { spawn } from 'node:child_process';
import { TrialPruned, type Trial } from '../study/trial.js';
import { placeholders } from './config.js';
import { constraintRecord } from '../study/constraints.js';

/** A command objective that failed (non-zero exit, timeout, no result): the trial is FAIL, the study goes on. */
export class CommandFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailed';
  }
}

/** Bytes of a trial's stderr kept (the tail) in its `stderr_tail` attribute. */
const STDERR_TAIL = 4096;

/**
 * Longest stdout line tunekit reads, in bytes (1 MiB), not counting its line
 * break. A longer line is not a result or report line: the trial fails and its
 * process group is ended, and the line is never held in memory beyond the cap.
 */
export const MAX_LINE_BYTES = 1024 * 1024;

/**
 * Milliseconds tunekit goes on reading a command's stdout and stderr after its
 * main process exited (and its process group was ended); then it stops
 * waiting for them to close, which a descendant that left the group can delay
 * for ever.
 */
export const DRAIN_MS = 1000;

/** Report lines waiting for the storage and pruner at which stdout stops being read (the command blocks writing) until they catch up. */
const MAX_PENDING_REPORTS = 100;

/** The arguments with `{name}` replaced by the trial's parameter values (each argument stays one argument). */
export function fillArguments(command: readonly string[], params: Record<string, unknown>): string[] {
  return command.map((arg) => {
    let out = arg;
    for (const p of placeholders(arg)) out = out.split(`{${p}}`).join(String(params[p]));
    return out;
  });
}

/** What a line of the command's stdout says. */
type Line = { kind: 'report'; step: number; value: number } | { kind: 'result'; values: number[]; constraints?: unknown } | { kind: 'other' };

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
    const constraints = r.constraints === undefined ? {} : { constraints: r.constraints };
    if (typeof r.value === 'number') return { kind: 'result', values: [r.value], ...constraints };
    if (Array.isArray(r.values) && r.values.every((v) => typeof v === 'number')) return { kind: 'result', values: r.values, ...constraints };
    return { kind: 'other' };
  }
  // A bare number (also inf, -inf, nan as Python prints them).
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return { kind: 'result', values: [Number(t)] };
  const special: Record<string, number> = { inf: Infinity, '+inf': Infinity, '-inf': -Infinity, infinity: Infinity, '-infinity': -Infinity, nan: NaN };
  const s = special[t.toLowerCase()];
  return s === undefined ? { kind: 'other' } : { kind: 'result', values: [s] };
}

/**
 * Splits a byte stream into lines in time linear in its length: the chunks of
 * an unfinished line are kept as they came and joined once, when its newline
 * arrives, and only each new chunk is scanned for `\n`. A trailing `\r` is
 * dropped. A line longer than `maxBytes` (line break not counted) is not
 * emitted: `onOverlong` is called once for it and its bytes are dropped up to
 * its newline, so an unfinished line never holds more than `maxBytes + 1` bytes.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private dropping = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOverlong: () => void,
    readonly maxBytes: number = MAX_LINE_BYTES,
  ) {}

  /** Takes the next chunk of the stream. */
  push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      if (this.size === 0 && !this.dropping)
        this.emit(chunk, start, nl); // the whole line is in this chunk
      else {
        this.take(chunk.subarray(start, nl));
        this.finish();
      }
      start = nl + 1;
    }
    this.take(chunk.subarray(start));
  }

  /** The stream ended: a last line without a newline is emitted too. */
  end(): void {
    if (this.size > 0) this.finish();
    this.dropping = false;
  }

  private take(bytes: Buffer): void {
    if (this.dropping || bytes.length === 0) return;
    this.size += bytes.length;
    if (this.size > this.maxBytes + 1) {
      // + 1: room for the `\r` of a `\r\n` line break.
      this.parts = [];
      this.size = 0;
      this.dropping = true;
      this.onOverlong();
      return;
    }
    this.parts.push(bytes);
  }

  private finish(): void {
    if (this.dropping) {
      this.dropping = false;
      return;
    }
    const line = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    this.emit(line, 0, line.length);
  }

  /** The line `bytes[start, end)`, less a trailing `\r`, to `onLine`, or `onOverlong` if it is over the cap. */
  private emit(bytes: Buffer, start: number, end: number): void {
    const stop = end > start && bytes[end - 1] === 13 ? end - 1 : end;
    if (stop - start > this.maxBytes) this.onOverlong();
    else this.onLine(bytes.toString('utf8', start, stop));
  }
}

/**
 * Runs the command for one trial: spawned with an argument array (no shell)
 * in its own process group, environment `TUNEKIT_TRIAL_NUMBER`,
 * `TUNEKIT_STUDY_NAME`, `TUNEKIT_TRIAL_PARAMS` (JSON). stdout lines
 * `{"step": n, "value": v}` are reported to the pruner (a pruned trial's
 * process group gets SIGTERM, then SIGKILL after `gracePeriod`); the result
 * is the last line that is a number, `{"value": v}` or `{"values": […]}`; a
 * JSON result line may carry `"constraints": [c0, …]` (or `{"name": c}`),
 * set on the trial (feasible when every value is ≤ 0).
 * `timeoutPerTrial` ends the group the same way and fails the trial, and so
 * does a stdout line longer than {@link MAX_LINE_BYTES}.
 *
 * When the main process exits, whatever is left of its process group gets
 * SIGKILL (after every trial, success included), and its stdout and stderr
 * are read for at most {@link DRAIN_MS} more: a descendant that left the group
 * (`setsid`) is not killed, but holding the pipes open does not hold the trial.
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
  let result: number[] | undefined;
  let resultConstraints: unknown;
  let stopping: 'pruned' | 'timeout' | 'overlong' | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  let exited = false;
  const group = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const stop = (why: 'pruned' | 'timeout' | 'overlong'): void => {
    if (stopping !== undefined) return;
    stopping = why;
    group('SIGTERM');
    killTimer = setTimeout(() => group('SIGKILL'), options.gracePeriod * 1000);
  };
  const timeout = options.timeoutPerTrial === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutPerTrial * 1000);
  // Reports go to the storage and pruner one at a time, in order; too many
  // waiting pause stdout, so the command cannot queue them without bound.
  let chain: Promise<void> = Promise.resolve();
  let waiting = 0;
  const onLine = (line: string): void => {
    const l = parseLine(line);
    if (l.kind === 'result') {
      result = l.values;
      resultConstraints = l.constraints;
    } else if (l.kind === 'report') {
      if (++waiting === MAX_PENDING_REPORTS && !exited) child.stdout.pause();
      chain = chain
        .then(async () => {
          if (stopping !== undefined) return;
          await trial.report(l.value, l.step);
          if (await trial.shouldPrune()) stop('pruned');
        })
        .finally(() => {
          if (--waiting === MAX_PENDING_REPORTS - 1) child.stdout.resume();
        });
    }
  };
  const lines = new LineSplitter(onLine, () => stop('overlong'));
  child.stdout.on('data', (d: Buffer) => lines.push(d));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    stderr = (stderr + d).slice(-STDERR_TAIL);
  });
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
    child.on('exit', (code, signal) => {
      exited = true;
      clearTimeout(timeout);
      clearTimeout(killTimer);
      // Children that outlived the main process (same group) end with it.
      group('SIGKILL');
      child.stdout.resume();
      // What is still in the pipes is read; a process that left the group may hold them open for ever.
      const drained = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        resolve({ code, signal });
      }, DRAIN_MS);
      child.on('close', () => {
        clearTimeout(drained);
        resolve({ code, signal });
      });
    });
  });
  lines.end();
  await chain;
  if (stderr !== '') await trial.setUserAttr('stderr_tail', stderr);
  if (exit.error !== undefined) throw new CommandFailed(`cannot run ${JSON.stringify(args[0])}: ${exit.error.message}`);
  if (stopping === 'pruned') throw new TrialPruned(`pruned: process group of ${JSON.stringify(args[0])} terminated`);
  if (stopping === 'timeout') throw new CommandFailed(`timed out after ${options.timeoutPerTrial} s: process group terminated`);
  if (stopping === 'overlong') {
    throw new CommandFailed(
      `${JSON.stringify(args[0])} printed a stdout line longer than MAX_LINE_BYTES = ${MAX_LINE_BYTES} bytes (${MAX_LINE_BYTES / 2 ** 20} MiB): not a result or report line; process group terminated`,
    );
  }
  if (exit.code !== 0) {
    throw new CommandFailed(
      `${JSON.stringify(args[0])} exited with ${exit.code === null ? `signal ${exit.signal}` : `code ${exit.code}`}${stderr === '' ? '' : `; stderr ends: ${stderr.trim().split('\n').slice(-3).join(' | ')}`}`,
    );
  }
  if (result === undefined) throw new CommandFailed(`${JSON.stringify(args[0])} printed no result: the last number on stdout, or a JSON line {"value": …}`);
  if (resultConstraints !== undefined) {
    // `"constraints": [c0, c1, …]` (named "0", "1", …) or `{"name": c, …}`: checked as tell checks them.
    try {
      for (const [name, v] of Object.entries(constraintRecord(`trial ${trial.number}`, resultConstraints))) trial.setConstraint(name, v);
    } catch (err) {
      throw new CommandFailed(`${JSON.stringify(args[0])} printed a result line with bad constraints: ${(err as Error).message}`);
    }
  }
  return result.length === 1 ? (result[0] as number) : result;
}
