// tunekit report (issue 14, item 4): one self-contained HTML file — the
// ECharts bundle and the render script inlined, no external URL, the
// summary, the charts that apply (with the right point counts) and a note
// for those left out; the command's exit codes and messages.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createStudy, MemoryStorage, RandomSampler } from '../dist/index.js';
import { buildReport } from '../dist/report/index.js';
import { rejects } from './helpers.js';
import { tempDir } from './storages.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const tmp = tempDir();
afterAll(() => tmp.remove());
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: tmp.dir, encoding: 'utf8', timeout: 120_000 });
const ECHARTS = readFileSync(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'), 'utf8');

/** The chart options the report hands to the render script. */
function chartsOf(html: string): { id: string; chart: { series: { type: string; name?: string; data: unknown[] }[] } }[] {
  const m = /<script type="application\/json" id="tunekit-charts">([^]*?)<\/script>/.exec(html);
  if (m === null) throw new Error('no chart data in the report');
  return JSON.parse(m[1]!);
}

/** The page without the inlined scripts' text. */
const markupOf = (html: string): string => html.replace(/(<script\b[^>]*>)[^]*?<\/script>/g, '$1</script>');

/** Every src/href attribute value of the page (outside the inlined scripts). */
function links(html: string): string[] {
  return [...markupOf(html).matchAll(/\b(?:src|href)\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1]!);
}

async function singleObjective(storage: MemoryStorage | string, name = 'single') {
  const study = await createStudy({ name, storage, direction: 'minimize', sampler: new RandomSampler({ seed: 3 }) });
  await study.optimize(
    async (t) => {
      const x = t.suggestFloat('x', -3, 3);
      const lr = t.suggestFloat('lr', 1e-4, 1, { log: true });
      const opt = t.suggestCategorical('opt', ['adam', 'sgd']);
      let v = 0;
      for (let e = 0; e < 4; e++) {
        v = x * x + (Math.log10(lr) + 2) ** 2 + (opt === 'sgd' ? 1 : 0) + 1 / (e + 1);
        await t.report(v, e);
      }
      return v;
    },
    { nTrials: 25 },
  );
  return study;
}

describe('buildReport', () => {
  it('a single-objective study: self-contained, the summary, the charts with every trial, the two-objective charts noted as left out', async () => {
    const storage = new MemoryStorage();
    const study = await singleObjective(storage);
    const trials = await study.trials();
    const best = await study.bestTrial();
    const html = await buildReport(storage, 'single', { now: Date.UTC(2026, 11, 6) });

    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(links(html)).toEqual([]);
    // no element loads anything: every <script> is inline, no <link>, <img>, <iframe>
    expect(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=/i.test(markupOf(html))).toBe(false);
    expect(html.includes(ECHARTS)).toBe(true);
    expect(html).toContain('window.tunekitCharts = {');
    expect(html).toContain('<td class="num" id="n-trials">25</td>');
    expect(html).toContain(`<td class="num">${best.number}</td>`);
    expect(html).toContain('report made 2026-12-06 00:00:00 UTC');

    const charts = chartsOf(html);
    expect(charts.map((c) => c.id)).toEqual([
      'chart-history-0',
      'chart-importance-0',
      'chart-intermediate',
      'chart-parallel',
      'chart-slice',
      'chart-contour',
      'chart-rank',
      'chart-edf',
      'chart-timeline',
    ]);
    for (const c of charts) expect(html).toContain(`<div class="chart" id="${c.id}"`);
    const byId = Object.fromEntries(charts.map((c) => [c.id, c.chart]));
    expect(byId['chart-history-0']!.series[0]!.data.length).toBe(25);
    expect(byId['chart-parallel']!.series[0]!.data.length).toBe(25);
    expect(byId['chart-slice']!.series.map((s) => s.data.length)).toEqual([25, 25, 25]);
    expect(byId['chart-intermediate']!.series.length).toBe(25);
    expect(byId['chart-importance-0']!.series[0]!.data.length).toBe(3);
    expect(byId['chart-timeline']!.series[0]!.data.length).toBe(trials.length);
    expect(html).toContain('<li>Pareto front: the study has one objective</li>');
    expect(html).toContain('<li>Hypervolume history: the study has one objective</li>');
  });

  it('two objectives: Pareto front and hypervolume drawn; importances per objective; study names escaped', async () => {
    const storage = new MemoryStorage();
    const name = '<b>mo</b> & "x"';
    const study = await createStudy({ name, storage, directions: ['minimize', 'maximize'], sampler: new RandomSampler({ seed: 4 }) });
    await study.optimize(
      async (t) => {
        const a = t.suggestFloat('a', 0, 1);
        const b = t.suggestFloat('b', 0, 1);
        return [a + b, a - b];
      },
      { nTrials: 20 },
    );
    const html = await buildReport(storage, name);
    expect(html).not.toContain('<b>mo</b>');
    expect(html).toContain('&lt;b&gt;mo&lt;/b&gt; &amp; &quot;x&quot;');
    const charts = chartsOf(html);
    const ids = charts.map((c) => c.id);
    for (const id of ['chart-history-0', 'chart-history-1', 'chart-importance-0', 'chart-importance-1', 'chart-pareto', 'chart-hypervolume']) expect(ids).toContain(id);
    const pareto = charts.find((c) => c.id === 'chart-pareto')!.chart;
    expect(pareto.series.reduce((s, x) => s + x.data.length, 0)).toBe(20);
    expect(html).toContain('<li>Intermediate values: no trial reported intermediate values</li>');
  });

  it('an empty study: the summary and every chart noted as left out; no importances; an unknown study is refused', async () => {
    const storage = new MemoryStorage();
    await createStudy({ name: 'empty', storage });
    const html = await buildReport(storage, 'empty', { importance: 'fanova' });
    expect(chartsOf(html)).toEqual([]);
    expect(html).toContain('<td class="num" id="n-trials">0</td>');
    expect(html).toContain('Optimization history: no COMPLETE trial with finite values');
    expect(html).toContain('needs at least two COMPLETE trials with parameters');
    await rejects(buildReport(storage, 'nope'), 'STUDY_NOT_FOUND', /no study named "nope" in this storage/);
    await rejects(buildReport(storage, 'empty', { importance: 'x' as any }), 'INVALID_PARAMETER', /importance must be 'ped-anova', 'fanova' or 'none', got "x"/);
  });
});

describe('tunekit report', () => {
  it('writes the file from a SQLite study; --help, bad arguments (exit 2), an unwritable path (exit 1)', async () => {
    const db = `sqlite:${join(tmp.dir, 'r.db')}`;
    await singleObjective(db, 'cli-study');
    const out = join(tmp.dir, 'report.html');
    const r = cli('report', 'cli-study', '--storage', db, '--output', out, '--max-points', '10', '--importance', 'none');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*report\.html \(1\.\d MiB\)\n$/);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('id="n-trials">25<');
    expect(links(html)).toEqual([]);
    const charts = chartsOf(html);
    // --max-points bounds each chart
    expect(charts.find((c) => c.id === 'chart-history-0')!.chart.series[0]!.data.length).toBe(10);
    expect(charts.map((c) => c.id)).not.toContain('chart-importance-0');
    expect(html).toContain('left out (--importance none)');

    const help = cli('report', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('tunekit report STUDY --output FILE.html [--storage URL] [--max-points N]');
    expect(help.stdout).toContain('--storage defaults to sqlite:tunekit.db');

    const noOut = cli('report', 'cli-study', '--storage', db);
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toMatch(/^tunekit: --output FILE\.html is required\n/);
    const badMax = cli('report', 'cli-study', '--storage', db, '--output', out, '--max-points', '1');
    expect(badMax.status).toBe(2);
    expect(badMax.stderr).toMatch(/^tunekit: --max-points: expected an integer ≥ 2, got "1"\n/);
    const badImp = cli('report', 'cli-study', '--storage', db, '--output', out, '--importance', 'shap');
    expect(badImp.status).toBe(2);
    expect(badImp.stderr).toMatch(/^tunekit: --importance: expected ped-anova, fanova or none, got "shap"\n/);
    const unknown = cli('report', 'nope', '--storage', db, '--output', out);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe('tunekit: STUDY_NOT_FOUND: no study named "nope" in this storage\n');
    const unwritable = cli('report', 'cli-study', '--storage', db, '--output', join(tmp.dir, 'no', 'such', 'dir.html'));
    expect(unwritable.status).toBe(1);
    expect(unwritable.stderr).toBe(`tunekit: cannot write ${join(tmp.dir, 'no', 'such', 'dir.html')}: ENOENT: no such file or directory\n`);
    expect(unwritable.stderr).not.toMatch(/\n\s+at /);
  });
});
