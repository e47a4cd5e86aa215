// The dashboard in a real browser (issue 14, item 6): Debian's chromium driven
// by playwright-core against a dashboard on a SQLite study made here. The
// studies list, each chart with the right number of points (read back from
// ECharts in the page), the trial table's counts, filters, sorting and
// paging, the trial detail, a live update after a trial is told, and the
// report file (`tunekit report`) opened from file:// with the network cut.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStorage, startDashboard, type Dashboard, type Distribution } from '../dist/index.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const X: Distribution = { type: 'float', low: 0, high: 10, log: false };
const OPT: Distribution = { type: 'categorical', choices: ['adam', 'sgd'] };

let dir: string;
let storage: SqliteStorage;
let board: Dashboard;
let browser: Browser;
let page: Page;
let studyId: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tunekit-dash-browser-'));
  storage = new SqliteStorage(join(dir, 'studies.db'));
  // "web": 40 trials, x = i / 4, value (x - 5)², 3 intermediate values each; 5, 15, 25, 35 PRUNED.
  const s = await storage.createStudy('web', ['minimize']);
  studyId = s.id;
  for (let i = 0; i < 40; i++) {
    const x = i / 4;
    const t = await storage.createTrial(s.id, { state: 'RUNNING', params: { x, opt: i % 2 === 0 ? 'adam' : 'sgd' }, distributions: { x: X, opt: OPT } });
    for (let step = 0; step < 3; step++) await storage.setTrialIntermediateValue(t.id, step, (x - 5) ** 2 + 3 - step);
    if (i % 10 === 5) await storage.finishTrial(t.id, 'PRUNED', null);
    else await storage.finishTrial(t.id, 'COMPLETE', [(x - 5) ** 2]);
  }
  const o = await storage.createStudy('other', ['maximize']);
  for (let i = 0; i < 5; i++) {
    const t = await storage.createTrial(o.id, { state: 'RUNNING', params: { x: i }, distributions: { x: X } });
    await storage.finishTrial(t.id, 'COMPLETE', [i]);
  }
  board = await startDashboard({ storage, port: 0, pollMs: 200 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  (page as unknown as { errors: string[] }).errors = errors;
});

afterAll(async () => {
  await browser?.close();
  await board?.close();
  await storage?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The point counts of a chart's series, read from ECharts in the page. */
async function seriesLengths(selector: string): Promise<number[]> {
  return page.$eval(selector, (el) => {
    const option = (window as any).echarts.getInstanceByDom(el).getOption();
    return option.series.map((s: { data: unknown[] }) => s.data.length);
  });
}

async function total(): Promise<string> {
  return (await page.textContent('#trial-total')) ?? '';
}

describe('dashboard in Chromium', () => {
  it('lists the studies with their trial counts and best values', async () => {
    await page.goto(board.url);
    await page.waitForSelector('#studies tbody tr[data-study="web"]');
    expect(await page.$$eval('#studies tbody tr', (rows) => rows.map((r) => r.getAttribute('data-study')))).toEqual(['web', 'other']);
    expect(await page.textContent('tr[data-study="web"] .n-trials')).toBe('40');
    expect(await page.textContent('tr[data-study="web"] .best')).toBe('0 (trial 20)');
    expect(await page.textContent('tr[data-study="other"] .best')).toBe('4 (trial 4)');
  });

  it('draws each chart with the right number of points', async () => {
    await page.click('a[href="#/study/web"]');
    await page.waitForSelector('#chart-slice canvas');
    const kinds = await page.$$eval('#charts .chart', (els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toEqual(['history', 'intermediate', 'importance', 'parallel', 'slice', 'contour', 'edf', 'rank', 'timeline']);
    // 36 COMPLETE trials: the points, then the best-so-far line
    expect(await seriesLengths('#chart-history')).toEqual([36, 36]);
    // the charts the API sent, point for point
    const api = (await (await fetch(new URL('/api/studies/web/charts?maxPoints=2000', board.url))).json()) as any;
    for (const c of api.charts) expect(await seriesLengths(`#chart-${c.kind}`), c.kind).toEqual(c.chart.series.map((s: any) => s.data.length));
    // one learning curve per trial (every trial reported), 3 steps each
    const curves = await page.$eval('#chart-intermediate', (el) =>
      (window as any).echarts
        .getInstanceByDom(el)
        .getOption()
        .series.map((s: any) => s.data.length),
    );
    expect(curves.reduce((a: number, b: number) => a + b, 0)).toBe(40 * 3);
    expect((page as unknown as { errors: string[] }).errors).toEqual([]);
  });

  it('counts, filters, sorts and pages the trial table', async () => {
    expect(await total()).toBe('40');
    expect(await page.$$eval('#trials tbody tr', (rows) => rows.length)).toBe(40);
    await page.check('input[data-state="COMPLETE"]');
    await page.waitForFunction(() => document.querySelector('#trial-total')?.textContent === '36');
    await page.fill('input[data-filter="param.x"]', '2..4');
    await page.press('input[data-filter="param.x"]', 'Enter');
    // x in [2, 4]: trials 8…16 less 15 (PRUNED)
    await page.waitForFunction(() => document.querySelector('#trial-total')?.textContent === '8');
    expect(await page.$$eval('#trials tbody tr', (rows) => rows.map((r) => Number(r.getAttribute('data-number'))))).toEqual([8, 9, 10, 11, 12, 13, 14, 16]);
    await page.fill('input[data-filter="param.x"]', '');
    await page.press('input[data-filter="param.x"]', 'Enter');
    await page.fill('input[data-filter="param.opt"]', 'sgd');
    await page.press('input[data-filter="param.opt"]', 'Enter');
    await page.waitForFunction(() => document.querySelector('#trial-total')?.textContent === '16');
    await page.fill('input[data-filter="param.opt"]', '');
    await page.press('input[data-filter="param.opt"]', 'Enter');
    await page.waitForFunction(() => document.querySelector('#trial-total')?.textContent === '36');
    // sort by value: best first; again: worst first
    await page.click('th[data-sort="value"]');
    await page.waitForFunction(() => document.querySelector('#trials tbody tr')?.getAttribute('data-number') === '20');
    await page.click('th[data-sort="value"]');
    await page.waitForFunction(() => document.querySelector('#trials tbody tr')?.getAttribute('data-number') === '0');
    await page.uncheck('input[data-state="COMPLETE"]');
    await page.waitForFunction(() => document.querySelector('#trial-total')?.textContent === '40');
  });

  it('opens a trial: parameters, values, intermediate values', async () => {
    await page.click('th[data-sort="number"]');
    await page.waitForFunction(() => document.querySelector('#trials tbody tr')?.getAttribute('data-number') === '0');
    await page.click('#trials tbody tr[data-number="12"]');
    await page.waitForSelector('#trial-detail h1');
    expect(await page.textContent('#trial-detail h1')).toBe('Trial 12 COMPLETE');
    expect(await page.textContent('#trial-values')).toBe('4');
    expect(await page.$$eval('#trial-params tr', (rows) => rows.map((r) => [r.children[0]?.textContent, r.children[1]?.textContent]))).toEqual([
      ['opt', 'adam'],
      ['x', '3'],
    ]);
    expect(await seriesLengths('[data-kind="trial-intermediate"]')).toEqual([3]);
  });

  it('opens the report from file:// with every network request refused, its charts drawn', async () => {
    const file = join(dir, 'report.html');
    const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    const r = spawnSync(process.execPath, [cli, 'report', 'web', '--storage', `sqlite:${join(dir, 'studies.db')}`, '--output', file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const refused: string[] = [];
    await context.route('**/*', (route) => {
      if (route.request().url().startsWith('file://')) return route.continue();
      refused.push(route.request().url());
      return route.abort('internetdisconnected');
    });
    const report = await context.newPage();
    const errors: string[] = [];
    report.on('pageerror', (e) => errors.push(e.message));
    await report.goto(`file://${file}`);
    await report.waitForSelector('#chart-history-0 canvas');
    // Every chart the file carries is mounted, with the series and points it carries.
    const check = await report.evaluate(() => {
      const w = window as any;
      const carried = JSON.parse(document.getElementById('tunekit-charts')!.textContent!) as { id: string; chart: { series: { data: unknown[] }[] } }[];
      return carried.map((c) => ({
        id: c.id,
        carried: c.chart.series.map((x) => x.data.length),
        drawn: (w.echarts.getInstanceByDom(document.getElementById(c.id)).getOption().series as { data: unknown[] }[]).map((x) => x.data.length),
      }));
    });
    expect(check.length).toBeGreaterThanOrEqual(8);
    for (const c of check) expect(c.drawn, c.id).toEqual(c.carried);
    // 36 COMPLETE trials, then the best-so-far line
    expect(check.find((c) => c.id === 'chart-history-0')?.drawn).toEqual([36, 36]);
    // The report asked for nothing from the network; a request made now is refused (the cut is live).
    expect(refused).toEqual([]);
    expect(
      await report.evaluate(() =>
        fetch('http://example.invalid/probe').then(
          () => 'fetched',
          () => 'refused',
        ),
      ),
    ).toBe('refused');
    expect(refused).toEqual(['http://example.invalid/probe']);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a trial told while the page is open (live update)', async () => {
    await page.goto(new URL('#/study/web', board.url).href);
    await page.waitForFunction(() => document.querySelector('#trial-total')?.textContent === '40');
    const t = await storage.createTrial(studyId, { state: 'RUNNING', params: { x: 5, opt: 'adam' }, distributions: { x: X, opt: OPT } });
    await page.waitForFunction(() => document.querySelector('#study-n-trials')?.textContent === '41');
    await page.waitForSelector('#trials tbody tr[data-number="40"] .badge.running');
    await storage.finishTrial(t.id, 'COMPLETE', [-1]);
    await page.waitForSelector('#trials tbody tr[data-number="40"] .badge.complete');
    expect(await page.textContent('#study-best')).toBe('-1 (trial 40)');
    // the charts follow (at most every 3 s): 37 points in the history
    await page.waitForFunction(() => (window as any).echarts.getInstanceByDom(document.querySelector('#chart-history')).getOption().series[0].data.length === 37, null, { timeout: 10_000 });
  });
});
