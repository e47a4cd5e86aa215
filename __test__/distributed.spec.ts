import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createStudy, deleteStudy, loadStudy } from '../dist/index.js';
import { sharedStorages } from './shared_storages.js';

const WORKER = fileURLToPath(new URL('./workers/worker.mjs', import.meta.url));

/** Runs the worker script (argument array, no shell); resolves with stdout, rejects on a non-zero exit. */
function worker(args: string[], onStdout?: (text: string, kill: () => void) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      onStdout?.(out, () => child.kill('SIGKILL'));
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code, signal) => {
      if (code === 0 || signal === 'SIGKILL') resolve(out);
      else reject(new Error(`worker ${args.join(' ')} exited with ${code ?? signal}: ${err}`));
    });
  });
}

const { storages } = sharedStorages('shared.db');

describe.each(storages)('distributed workers on %s', (_name, url) => {
  it('8 processes × 25 trials: numbers exactly 0..199, nothing lost', async () => {
    const storage = await url();
    await createStudy({ name: 'eight', storage, direction: 'minimize' });
    await Promise.all(Array.from({ length: 8 }, () => worker(['random', storage, 'eight', '25'])));
    const trials = await (await loadStudy({ name: 'eight', storage })).trials();
    expect(trials.map((t) => t.number)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    for (const t of trials) {
      expect(t.state).toBe('COMPLETE');
      const { x, k, c } = t.params as { x: number; k: number; c: string };
      expect(Object.keys(t.params).sort()).toEqual(['c', 'k', 'x']);
      expect(['a', 'b', "'; --"]).toContain(c);
      expect(t.values).toEqual([x * x + k]);
      expect(t.intermediateValues).toEqual({ 0: k, 1: x + k, 2: 2 * x + k });
    }
  }, 120_000);

  it('GridSampler with 4 workers: every grid point exactly once, then the study stops', async () => {
    const storage = await url();
    await createStudy({ name: 'grid', storage, direction: 'maximize' });
    await Promise.all(Array.from({ length: 4 }, () => worker(['grid', storage, 'grid'])));
    const trials = await (await loadStudy({ name: 'grid', storage })).trials();
    expect(trials).toHaveLength(20);
    const points = trials.map((t) => `${t.params.x},${t.params.y}`).sort();
    expect(new Set(points).size).toBe(20);
    for (const t of trials) expect(t.values).toEqual([(t.params.x as number) * 10 + (t.params.y as number)]);
  }, 120_000);

  it('a worker killed mid-trial: another marks its trial FAIL, re-queues it once, and the study finishes', async () => {
    const storage = await url();
    await createStudy({ name: 'heartbeat', storage, direction: 'minimize' });
    let started = -1;
    await worker(['hang', storage, 'heartbeat'], (out, kill) => {
      const m = /STARTED (\d+)/.exec(out);
      if (m && started < 0) {
        started = Number(m[1]);
        kill();
      }
    });
    expect(started).toBe(0);
    await worker(['reap', storage, 'heartbeat', '3']);
    const trials = await (await loadStudy({ name: 'heartbeat', storage })).trials();
    const dead = trials.find((t) => t.number === 0)!;
    expect(dead.state).toBe('FAIL');
    expect(dead.systemAttrs.fail_reason).toMatch(/no heartbeat for 0.5 s/);
    const retry = trials.find((t) => t.systemAttrs.retried_from === 0)!;
    expect(retry.state).toBe('COMPLETE');
    expect(dead.intermediateValues).toEqual({ 0: 0.5 });
    expect(typeof dead.params.x).toBe('number');
    expect(retry.params.x).toBe(dead.params.x);
    expect(trials.filter((t) => t.state === 'COMPLETE').length).toBeGreaterThanOrEqual(3);
    expect(trials.filter((t) => t.state === 'FAIL')).toHaveLength(1);
    expect(trials.filter((t) => t.state === 'RUNNING')).toHaveLength(0);
  }, 120_000);

  it('a study resumed after its process restarts continues numbering and sampling from what is stored', async () => {
    const storage = await url();
    const first = JSON.parse(await worker(['resume', storage, 'resume', '6'])) as number[];
    const second = JSON.parse(await worker(['resume', storage, 'resume', '6'])) as number[];
    expect(first).toEqual([0, 1, 2, 3, 4, 5]);
    expect(second).toEqual([6, 7, 8, 9, 10, 11]);
    const trials = await (await loadStudy({ name: 'resume', storage })).trials();
    // The restarted process modelled all stored trials: its GP proposals carry fitted hyper-parameters.
    expect(trials.slice(6).every((t) => Array.isArray(t.systemAttrs.gp_hyper))).toBe(true);
    expect(new Set(trials.map((t) => `${t.params.x},${t.params.y}`)).size).toBe(12);
    await deleteStudy({ name: 'resume', storage });
  }, 120_000);
});
