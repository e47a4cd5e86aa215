// The dashboard's JSON API (issue 14, item 3) without a browser: routes and
// their answers on a SQLite study made here, server-side sort, filters and
// paging, trial detail (constraints, intermediate values, the stderr tail),
// charts thinned to maxPoints, comparisons, live updates over SSE, edits
// refused without allowEdit, the 127.0.0.1 default, path traversal, body caps.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudy, MemoryStorage, RandomSampler, SqliteStorage, startDashboard, type Dashboard, type Distribution, type Storage } from '../dist/index.js';

const X: Distribution = { type: 'float', low: 0, high: 10, log: false };
const OPT: Distribution = { type: 'categorical', choices: ['adam', 'sgd'] };

/**
 * Study "api" (minimize): trials 0…39 with x = i / 4, opt alternating adam/sgd,
 * value (x - 5)² for COMPLETE ones; every 10th (5, 15, 25, 35) PRUNED, trial 7
 * FAIL with a stderr tail, trial 3 infeasible (constraint 1), trial 39 RUNNING.
 * Study "other" (maximize): 12 COMPLETE trials, value = i.
 */
async function fill(storage: Storage): Promise<void> {
  const s = await storage.createStudy('api', ['minimize']);
  for (let i = 0; i < 40; i++) {
    const x = i / 4;
    const opt = i % 2 === 0 ? 'adam' : 'sgd';
    const t = await storage.createTrial(s.id, { state: 'RUNNING', params: { x, opt }, distributions: { x: X, opt: OPT } });
    for (let step = 0; step < 3; step++) await storage.setTrialIntermediateValue(t.id, step, (x - 5) ** 2 + 3 - step);
    if (i === 39) continue;
    if (i % 10 === 5) await storage.finishTrial(t.id, 'PRUNED', null);
    else if (i === 7) {
      await storage.setTrialAttr(t.id, 'user', 'stderr_tail', 'Traceback\nValueError: bad batch\n');
      await storage.finishTrial(t.id, 'FAIL', null, { fail_reason: 'exit 1' });
    } else await storage.finishTrial(t.id, 'COMPLETE', [(x - 5) ** 2], i === 3 ? { constraints: { '0': 1 } } : {});
  }
  const o = await storage.createStudy('other', ['maximize']);
  for (let i = 0; i < 12; i++) {
    const t = await storage.createTrial(o.id, { state: 'RUNNING', params: { x: i / 2 }, distributions: { x: X } });
    await storage.finishTrial(t.id, 'COMPLETE', [i]);
  }
}

/** A raw request (the path sent as is, no normalisation): status, headers and body. */
function raw(url: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}) {
  const u = new URL(url);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

let dir: string;
let storage: SqliteStorage;
let board: Dashboard;
let edit: Dashboard;

async function get(path: string, on: Dashboard = board): Promise<{ status: number; body: any }> {
  const r = await fetch(new URL(path, on.url));
  return { status: r.status, body: await r.json() };
}

async function post(path: string, body: unknown, on: Dashboard = board, type = 'application/json'): Promise<{ status: number; body: any }> {
  const r = await fetch(new URL(path, on.url), { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tunekit-dash-'));
  storage = new SqliteStorage(join(dir, 'studies.db'));
  await fill(storage);
  board = await startDashboard({ storage, port: 0, pollMs: 100 });
  edit = await startDashboard({ storage, port: 0, allowEdit: true, pollMs: 100 });
});

afterAll(async () => {
  await board?.close();
  await edit?.close();
  await storage?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dashboard API', () => {
  it('binds 127.0.0.1 by default and refuses a port out of range', async () => {
    expect(board.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await expect(startDashboard({ storage, port: 70000 })).rejects.toThrow('port must be an integer in [0, 65535], got 70000');
  });

  it('lists the studies with state counts, best values and parameter names', async () => {
    const { status, body } = await get('/api/studies');
    expect(status).toBe(200);
    expect(body.studies.map((s: any) => s.name)).toEqual(['api', 'other']);
    const api = body.studies[0];
    expect(api.nTrials).toBe(40);
    expect(api.counts).toEqual({ WAITING: 0, RUNNING: 1, COMPLETE: 34, PRUNED: 4, FAIL: 1 });
    // x = 5 at trial 20: value 0
    expect(api.best).toEqual({ number: 20, values: [0] });
    expect(api.paramNames).toEqual(['opt', 'x']);
    expect(body.studies[1].best).toEqual({ number: 11, values: [11] });
    expect((await get('/api/studies/nope')).body.error).toEqual({ code: 'NO_SUCH_STUDY', message: 'no study named "nope"' });
    expect((await get('/api/studies/nope')).status).toBe(404);
  });

  it('pages the trial table (limit capped at 1000)', async () => {
    const { body } = await get('/api/studies/api/trials?offset=10&limit=5');
    expect(body.total).toBe(40);
    expect(body.trials.map((t: any) => t.number)).toEqual([10, 11, 12, 13, 14]);
    expect(body.trials[0]).toMatchObject({ number: 10, state: 'COMPLETE', values: [6.25], params: { x: 2.5, opt: 'adam' }, feasible: true });
    expect((await get('/api/studies/api/trials')).body.trials).toHaveLength(40);
    const big = await get('/api/studies/api/trials?limit=1001');
    expect(big.status).toBe(400);
    expect(big.body.error).toEqual({ code: 'BAD_QUERY', message: 'limit: expected an integer in [1, 1000], got "1001"' });
    expect((await get('/api/studies/api/trials?offset=-1')).status).toBe(400);
  });

  it('sorts on the server: by value (missing values last), by a parameter, descending', async () => {
    const byValue = (await get('/api/studies/api/trials?sort=value&limit=1000')).body.trials;
    expect(byValue[0].number).toBe(20);
    expect(byValue.slice(0, 3).map((t: any) => t.values[0])).toEqual([0, 0.0625, 0.0625]);
    // the 6 trials without a value (4 PRUNED, 1 FAIL, 1 RUNNING) come last, by number
    expect(byValue.slice(-6).map((t: any) => t.number)).toEqual([5, 7, 15, 25, 35, 39]);
    const desc = (await get('/api/studies/api/trials?sort=value&order=desc&limit=2')).body.trials;
    expect(desc.map((t: any) => t.number)).toEqual([0, 1]);
    const byOpt = (await get('/api/studies/api/trials?sort=param.opt&order=desc&limit=3')).body.trials;
    expect(byOpt.map((t: any) => [t.number, t.params.opt])).toEqual([
      [1, 'sgd'],
      [3, 'sgd'],
      [5, 'sgd'],
    ]);
    expect((await get('/api/studies/api/trials?sort=value.1')).body.error.message).toBe('value.1: the study has 1 objective(s) (value, value.0 … value.0)');
  });

  it('filters by state, parameter range, parameter value and objective range', async () => {
    const states = await get('/api/studies/api/trials?state=PRUNED,FAIL');
    expect(states.body.trials.map((t: any) => t.number)).toEqual([5, 7, 15, 25, 35]);
    // x in [2, 4]: trials 8…16, of which COMPLETE: 8..16 less 15 (PRUNED)
    const range = await get('/api/studies/api/trials?param.x=2..4&state=COMPLETE');
    expect(range.body.trials.map((t: any) => t.number)).toEqual([8, 9, 10, 11, 12, 13, 14, 16]);
    const eq = await get('/api/studies/api/trials?param.opt=sgd&param.x=..2');
    expect(eq.body.trials.map((t: any) => t.number)).toEqual([1, 3, 5, 7]);
    // (x - 5)² ≤ 1 ⇔ x in [4, 6] ⇔ trials 16…24, COMPLETE all
    const value = await get('/api/studies/api/trials?value=..1');
    expect(value.body.total).toBe(9);
    const bad = await get('/api/studies/api/trials?state=DONE');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('state: expected WAITING, RUNNING, COMPLETE, PRUNED, FAIL (comma-separated), got "DONE"');
    expect((await get('/api/studies/api/trials?param.x=3..1')).body.error.message).toBe('param.x: the range "3..1" is empty (low > high)');
  });

  it('gives a trial in full: constraints, intermediate values, attributes, the stderr tail', async () => {
    const failed = (await get('/api/studies/api/trials/7')).body;
    expect(failed).toMatchObject({ number: 7, state: 'FAIL', values: null, stderrTail: 'Traceback\nValueError: bad batch\n', systemAttrs: { fail_reason: 'exit 1' } });
    expect(failed.intermediateValues).toEqual({ 0: 13.5625, 1: 12.5625, 2: 11.5625 });
    const infeasible = (await get('/api/studies/api/trials/3')).body;
    expect(infeasible).toMatchObject({ constraints: { '0': 1 }, feasible: false, stderrTail: null });
    const missing = await get('/api/studies/api/trials/400');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NO_SUCH_TRIAL');
  });

  it('draws the charts from ts/plots, each series thinned to maxPoints', async () => {
    const all = (await get('/api/studies/api/charts?data=1')).body;
    expect(all.charts.map((c: any) => c.kind)).toContain('history');
    const history = all.charts.find((c: any) => c.kind === 'history');
    // 34 COMPLETE trials: 33 feasible, trial 3 grey in its own series, the best-so-far line from trial 0 on
    expect(history.data.nTrials).toBe(34);
    expect(history.chart.series.map((s: any) => [s.name, s.data.length])).toEqual([
      ['Objective value', 33],
      ['Infeasible', 1],
      ['Best value', 34],
    ]);
    const thin = (await get('/api/studies/api/charts?kinds=history&maxPoints=10')).body;
    expect(thin.charts).toHaveLength(1);
    expect(Object.keys(thin.charts[0]).sort()).toEqual(['chart', 'height', 'kind', 'title']);
    expect(thin.charts[0].chart.series[0].data.length).toBeLessThanOrEqual(10);
    expect((await get('/api/studies/api/charts?kinds=pie')).status).toBe(400);
  });

  it('compares studies: best value by trial and the empirical distribution', async () => {
    const h = (await get('/api/compare?studies=api,other&kind=history')).body;
    expect(h.series.map((s: any) => [s.study, s.direction, s.n])).toEqual([
      ['api', 'minimize', 33],
      ['other', 'maximize', 12],
    ]);
    expect(h.series[1].points.at(-1)).toEqual([11, 11]);
    expect(h.series[0].points.at(-1)).toEqual([38, 0]);
    const edf = (await get('/api/compare?studies=other&kind=edf&maxPoints=4')).body;
    expect(edf.series[0].points).toEqual([
      [0, 1 / 12],
      [4, 5 / 12],
      [7, 8 / 12],
      [11, 1],
    ]);
    expect((await get('/api/compare?studies=other,nope')).status).toBe(404);
  });

  it('refuses edits without allowEdit (403) and stores notes and attributes with it', async () => {
    const refused = await post('/api/studies/api/trials/2/note', { note: 'hi' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('READ_ONLY');
    expect((await post('/api/studies/api/attrs', { key: 'k', value: 1 })).status).toBe(403);

    const note = await post('/api/studies/api/trials/2/note', { note: 'looks good' }, edit);
    expect(note.status).toBe(200);
    expect(note.body.userAttrs).toEqual({ note: 'looks good' });
    const study = await storage.getStudy('api');
    const t2 = (await storage.getTrials(study!.id, undefined, 2))[0]!;
    expect(t2.userAttrs).toEqual({ note: 'looks good' });
    expect((await get('/api/studies/api/trials/2', edit)).body.userAttrs).toEqual({ note: 'looks good' });
    const attr = await post('/api/studies/api/attrs', { key: 'owner', value: { team: 'ml' } }, edit);
    expect(attr.body.userAttrs).toEqual({ owner: { team: 'ml' } });
    expect((await storage.getStudy('api'))!.userAttrs).toEqual({ owner: { team: 'ml' } });

    expect((await post('/api/studies/api/note', { note: 1 }, edit)).body.error).toEqual({ code: 'BAD_BODY', message: 'note must be a string, got 1' });
    expect((await post('/api/studies/api/note', { note: 'x' }, edit, 'text/plain')).status).toBe(415);
    const huge = await raw(edit.url, '/api/studies/api/note', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ note: 'x'.repeat(70_000) }) });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body).error.code).toBe('BODY_TOO_LARGE');
    const notJson = await raw(edit.url, '/api/studies/api/note', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"note":' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error.code).toBe('BAD_JSON');
  });

  it('serves the page and the ECharts bundle, and nothing outside its folder', async () => {
    const page = await raw(board.url, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<script src="/vendor/echarts.min.js"></script>');
    const echarts = await raw(board.url, '/vendor/echarts.min.js');
    expect(echarts.status).toBe(200);
    expect(echarts.body.length).toBeGreaterThan(500_000);
    for (const path of [
      '/../package.json',
      '/..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
      '/app.js/../../../package.json',
      '/..%5c..%5cpackage.json',
      '/%00index.html',
      '/vendor/../../../../etc/passwd',
    ]) {
      const r = await raw(board.url, path);
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain('"name": "tunekit"');
    }
    expect((await raw(board.url, '/%E0%A4%A')).status).toBe(400);
  });

  it('answers loopback Host names only (DNS rebinding)', async () => {
    const r = await raw(board.url, '/api/studies', { headers: { host: 'attacker.example:80' } });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error.code).toBe('BAD_HOST');
    expect((await raw(board.url, '/api/studies', { headers: { host: 'localhost' } })).status).toBe(200);
  });

  it('streams live updates: a trial told through the storage reaches the event stream', async () => {
    const ctrl = new AbortController();
    const res = await fetch(new URL('/api/events?study=other', board.url), { signal: ctrl.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const nextStudies = async (): Promise<any[]> => {
      for (;;) {
        const m = /event: studies\ndata: (.*)\n\n/.exec(buffer);
        if (m) {
          buffer = buffer.slice(m.index + m[0].length);
          return JSON.parse(m[1]!);
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value);
      }
    };
    const first = await nextStudies();
    expect(first[0]).toMatchObject({ name: 'other', nTrials: 12 });
    const o = await storage.getStudy('other');
    const t = await storage.createTrial(o!.id, { state: 'RUNNING', params: { x: 9 }, distributions: { x: X } });
    const running = await nextStudies();
    expect(running[0]).toMatchObject({ nTrials: 13, counts: { RUNNING: 1, COMPLETE: 12 } });
    await storage.finishTrial(t.id, 'COMPLETE', [99]);
    const done = await nextStudies();
    expect(done[0]).toMatchObject({ nTrials: 13, counts: { RUNNING: 0, COMPLETE: 13 }, best: { number: 12, values: [99] } });
    ctrl.abort();
  });

  it('serves a memory storage of the program, and follows its trials', async () => {
    const mem = new MemoryStorage();
    const study = await createStudy({ name: 'mem', storage: mem, sampler: new RandomSampler({ seed: 3 }) });
    await study.optimize((t) => t.suggestFloat('x', -1, 1) ** 2, { nTrials: 20 });
    const local = await startDashboard({ storage: mem, port: 0 });
    try {
      const first = (await get('/api/studies/mem', local)).body;
      expect(first).toMatchObject({ nTrials: 20, counts: { COMPLETE: 20 }, paramNames: ['x'] });
      const best = await study.bestTrial();
      expect(first.best).toEqual({ number: best.number, values: best.values });
      await study.optimize((t) => t.suggestFloat('x', -1, 1) ** 2, { nTrials: 5 });
      await new Promise((r) => setTimeout(r, 300));
      const rows = (await get('/api/studies/mem/trials?offset=20', local)).body;
      expect(rows.total).toBe(25);
      expect(rows.trials.map((t: any) => t.number)).toEqual([20, 21, 22, 23, 24]);
    } finally {
      await local.close();
    }
  });

  it('tunekit dashboard: prints its URL, warns on a non-loopback host, stops on SIGTERM', async () => {
    const cli = fileURLToPathSafe('../dist/cli.js');
    const child = spawn(process.execPath, [cli, 'dashboard', '--storage', `sqlite:${join(dir, 'studies.db')}`, '--host', '0.0.0.0', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    for (let i = 0; i < 100 && !out.includes('\n'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(out).toMatch(/^tunekit dashboard: http:\/\/0\.0\.0\.0:\d+\/ \(read-only; Ctrl-C stops it\)\n$/);
    expect(err).toBe('tunekit: warning: listening on 0.0.0.0, not a loopback address: anyone who can reach this machine can read the studies (there is no login)\n');
    const port = /:(\d+)\//.exec(out)![1];
    const studies = (await (await fetch(`http://127.0.0.1:${port}/api/studies`)).json()) as any;
    expect(studies.studies).toHaveLength(2);
    const code = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    child.kill('SIGTERM');
    expect(await code).toBe(0);
  });
});

function fileURLToPathSafe(rel: string): string {
  return new URL(rel, import.meta.url).pathname;
}
