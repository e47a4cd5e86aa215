/**
 * `tunekit report`: one self-contained HTML file for a study — the ECharts
 * bundle, the render script and the styles inlined, the charts of
 * `tunekit/plots` that apply to the study, a summary and the parameter
 * importances. It opens from a file, offline (no URL is loaded).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describeValue, TunekitError } from '../errors.js';
import { paramImportances, type ImportanceEvaluator } from '../importance/index.js';
import { plotContour } from '../plots/contour.js';
import { plotEdf } from '../plots/edf.js';
import { plotHypervolumeHistory } from '../plots/hypervolume.js';
import { plotParamImportances } from '../plots/importance.js';
import { plotIntermediateValues } from '../plots/intermediate.js';
import { plotParallelCoordinate } from '../plots/parallel.js';
import { plotParetoFront } from '../plots/pareto.js';
import { plotRank } from '../plots/rank.js';
import { echartsBundlePath, RENDER_SCRIPT } from '../plots/render.js';
import { plotSlice } from '../plots/slice.js';
import { plotTimeline } from '../plots/timeline.js';
import { plotOptimizationHistory } from '../plots/history.js';
import { completed, DEFAULT_MAX_POINTS, paramDistributions, type Plot } from '../plots/common.js';
import { paretoFrontIndices } from '../plots/hypervolume.js';
import { isFeasible, trialConstraints } from '../study/constraints.js';
import { TRIAL_STATES, type FrozenTrial, type Storage, type StudyRecord } from '../study/types.js';

/** Options of {@link buildReport}. */
export interface ReportOptions {
  /**
   * The bound on each chart's points (see `tunekit/plots`).
   * @default 5000
   */
  maxPoints?: number;
  /**
   * How the parameter importances are computed (`paramImportances` of tunekit), or `'none'` to leave them out.
   * @default 'ped-anova'
   */
  importance?: ImportanceEvaluator | 'none';
  /**
   * The time the report is made (RUNNING trials' bars end there), ms since the epoch.
   * @default Date.now()
   */
  now?: number;
}

/** A chart of the report, or the reason it is not there. */
interface Section {
  id: string;
  heading: string;
  plot?: Plot<unknown>;
  skipped?: string;
}

const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** JSON inside a `<script>` element: `<` escaped so no `</script>` can end it early. */
const scriptJson = (v: unknown): string =>
  JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

const fmt = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : Number(v.toPrecision(6)).toString()) : JSON.stringify(v));

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1d2733; background: #f5f7fa; }
header { background: #1d2733; color: #fff; padding: 18px 28px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; opacity: 0.8; }
main { max-width: 1200px; margin: 0 auto; padding: 16px 28px 40px; }
section { background: #fff; border: 1px solid #dde3ea; border-radius: 6px; margin: 16px 0; padding: 12px 16px; }
section h2 { font-size: 17px; margin: 4px 0 10px; }
table { border-collapse: collapse; margin: 4px 0 8px; }
th, td { border-bottom: 1px solid #e6eaef; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f0f3f6; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font-size: 12.5px; }
.chart { width: 100%; }
.note { color: #5a6774; font-size: 13px; }
ul.skipped li { color: #5a6774; }
footer { color: #7a8794; font-size: 12px; text-align: center; padding: 12px; }
`;

/** Everything the report shows, computed from the stored study. */
async function sections(record: StudyRecord, trials: FrozenTrial[], options: ReportOptions): Promise<{ charts: Section[]; importanceNote: string | null }> {
  const maxPoints = options.maxPoints ?? DEFAULT_MAX_POINTS;
  const directions = record.directions;
  const base = { directions, maxPoints };
  const done = completed(trials);
  const params = [...paramDistributions(done).keys()];
  const charts: Section[] = [];
  const add = (id: string, heading: string, make: () => Plot<unknown> | string): void => {
    const r = make();
    charts.push(typeof r === 'string' ? { id, heading, skipped: r } : { id, heading, plot: r });
  };
  const noComplete = 'no COMPLETE trial with finite values';

  // importances first: the contour takes the two most important parameters
  let importances: Record<string, number>[] = [];
  let importanceNote: string | null = null;
  const evaluator = options.importance ?? 'ped-anova';
  if (evaluator === 'none') importanceNote = 'left out (--importance none)';
  else if (done.length < 2 || params.length === 0) importanceNote = 'needs at least two COMPLETE trials with parameters';
  else {
    try {
      importances =
        directions.length === 1
          ? [await paramImportances(done, { evaluator, direction: directions[0]! })]
          : await Promise.all(
              directions.map((d, i) =>
                paramImportances(done, {
                  evaluator,
                  // lower is better for a custom target (PED-ANOVA's rule): a maximised objective negated
                  target: (t) => (d === 'maximize' ? -1 : 1) * (t.values as number[])[i]!,
                }),
              ),
            );
    } catch (err) {
      if (!(err instanceof TunekitError)) throw err;
      importanceNote = `not computed: ${err.message}`;
      importances = [];
    }
  }

  for (let i = 0; i < directions.length; i++) {
    const suffix = directions.length > 1 ? ` (objective ${i})` : '';
    add(`history-${i}`, `Optimization history${suffix}`, () => (done.length === 0 ? noComplete : plotOptimizationHistory(trials, { ...base, target: i, title: `Optimization history${suffix}` })));
  }
  importances.forEach((imp, i) => {
    const suffix = directions.length > 1 ? ` (objective ${i})` : '';
    add(`importance-${i}`, `Parameter importances${suffix}`, () => plotParamImportances(imp, { title: `Parameter importances (${evaluator})${suffix}` }));
  });
  add('intermediate', 'Intermediate values', () => (trials.some((t) => Object.keys(t.intermediateValues).length > 0) ? plotIntermediateValues(trials, base) : 'no trial reported intermediate values'));
  add('parallel', 'Parallel coordinates', () => (done.length === 0 ? noComplete : params.length === 0 ? 'the trials have no parameters' : plotParallelCoordinate(trials, base)));
  add('slice', 'Slice', () => (done.length === 0 ? noComplete : params.length === 0 ? 'the trials have no parameters' : plotSlice(trials, base)));
  add('contour', 'Contour', () => {
    if (done.length === 0) return noComplete;
    if (params.length < 2) return 'needs two parameters';
    const ranked = importances.length > 0 ? Object.keys(importances[0]!).filter((p) => params.includes(p)) : [];
    const pair = (ranked.length >= 2 ? ranked.slice(0, 2) : params.slice(0, 2)) as [string, string];
    return plotContour(trials, { ...base, params: pair, maxPoints: Math.min(maxPoints, 2000) });
  });
  add('rank', 'Rank', () => (done.length === 0 ? noComplete : params.length === 0 ? 'the trials have no parameters' : plotRank(trials, base)));
  add('edf', 'Empirical distribution function', () => (done.length === 0 ? noComplete : plotEdf([{ name: record.name, trials }], base)));
  add('pareto', 'Pareto front', () =>
    directions.length < 2 ? 'the study has one objective' : directions.length > 3 ? 'more than three objectives' : done.length === 0 ? noComplete : plotParetoFront(trials, base),
  );
  add('hypervolume', 'Hypervolume history', () => (directions.length < 2 ? 'the study has one objective' : done.length === 0 ? noComplete : plotHypervolumeHistory(trials, base)));
  add('timeline', 'Timeline', () =>
    trials.some((t) => t.datetimeStart !== null && t.state !== 'WAITING') ? plotTimeline(trials, { maxPoints, ...(options.now === undefined ? {} : { now: options.now }) }) : 'no trial has started',
  );
  return { charts, importanceNote };
}

/** The summary tables: state counts, best trial(s), parameters. */
function summaryHtml(record: StudyRecord, trials: FrozenTrial[]): string {
  const counts = TRIAL_STATES.map((s) => [s, trials.filter((t) => t.state === s).length] as const);
  const done = completed(trials);
  const feasibleDone = done.filter(isFeasible);
  let best: FrozenTrial[] = [];
  if (record.directions.length === 1 && feasibleDone.length > 0) {
    const sign = record.directions[0] === 'maximize' ? -1 : 1;
    best = [feasibleDone.reduce((b, t) => (sign * (t.values as number[])[0]! < sign * (b.values as number[])[0]! ? t : b))];
  } else if (record.directions.length > 1) {
    const mins = feasibleDone.map((t) => (t.values as number[]).map((v, i) => (record.directions[i] === 'maximize' ? -v : v)));
    best = paretoFrontIndices(mins).map((i) => feasibleDone[i]!);
  }
  const shownBest = best.slice(0, 50);
  const dists = paramDistributions(trials);
  const distText = (d: FrozenTrial['distributions'][string]): string =>
    d.type === 'categorical'
      ? `categorical: ${d.choices.map((c) => fmt(c)).join(', ')}`
      : `${d.type} [${fmt(d.low)}, ${fmt(d.high)}]${d.log === true ? ', log' : ''}${d.step !== undefined && !(d.type === 'int' && d.step === 1) ? `, step ${fmt(d.step)}` : ''}`;
  const valuesText = (t: FrozenTrial): string => (t.values ?? []).map(fmt).join(', ');
  const paramsText = (t: FrozenTrial): string =>
    Object.entries(t.params)
      .map(([k, v]) => `${k}=${fmt(v)}`)
      .join(', ');
  const constraintsText = (t: FrozenTrial): string => {
    const c = trialConstraints(t);
    return c === undefined
      ? ''
      : Object.entries(c)
          .map(([k, v]) => `${k}=${fmt(v)}`)
          .join(', ');
  };
  const hasConstraints = best.some((t) => trialConstraints(t) !== undefined);
  return `<section id="summary"><h2>Summary</h2>
<table><tr><th>trials</th>${counts.map(([s]) => `<th>${s}</th>`).join('')}</tr>
<tr><td class="num" id="n-trials">${trials.length}</td>${counts.map(([, n]) => `<td class="num">${n}</td>`).join('')}</tr></table>
<p>Directions: ${record.directions.map(esc).join(', ')}.</p>
<h3>${record.directions.length === 1 ? 'Best trial' : `Best trials (Pareto front: ${best.length}${best.length > shownBest.length ? `, first ${shownBest.length} shown` : ''})`}</h3>
${
  best.length === 0
    ? `<p class="note">No ${feasibleDone.length < done.length ? 'feasible ' : ''}COMPLETE trial yet.</p>`
    : `<table><tr><th>trial</th><th>${record.directions.length === 1 ? 'value' : 'values'}</th><th>params</th>${hasConstraints ? '<th>constraints</th>' : ''}</tr>
${shownBest.map((t) => `<tr><td class="num">${t.number}</td><td class="num">${esc(valuesText(t))}</td><td><code>${esc(paramsText(t))}</code></td>${hasConstraints ? `<td><code>${esc(constraintsText(t))}</code></td>` : ''}</tr>`).join('\n')}</table>`
}
<h3>Parameters</h3>
${
  dists.size === 0
    ? '<p class="note">No parameters.</p>'
    : `<table><tr><th>name</th><th>distribution</th><th>trials with it</th></tr>
${[...dists.entries()].map(([name, d]) => `<tr><td><code>${esc(name)}</code></td><td>${esc(distText(d))}</td><td class="num">${trials.filter((t) => Object.hasOwn(t.params, name)).length}</td></tr>`).join('\n')}</table>`
}
</section>`;
}

/**
 * The report of one stored study as an HTML document (a string). Throws
 * STUDY_NOT_FOUND when the storage has no study of that name.
 */
export async function buildReport(storage: Storage, studyName: string, options: ReportOptions = {}): Promise<string> {
  if (typeof studyName !== 'string') throw new TunekitError('INVALID_PARAMETER', `buildReport: the study name must be a string, got ${describeValue(studyName)}`);
  const imp = options.importance;
  if (imp !== undefined && imp !== 'ped-anova' && imp !== 'fanova' && imp !== 'none') {
    throw new TunekitError('INVALID_PARAMETER', `buildReport: importance must be 'ped-anova', 'fanova' or 'none', got ${describeValue(imp)}`);
  }
  const record = await storage.getStudy(studyName);
  if (record === null) throw new TunekitError('STUDY_NOT_FOUND', `no study named ${JSON.stringify(studyName)} in this storage`);
  const trials = await storage.getTrials(record.id);
  const now = options.now ?? Date.now();
  const { charts, importanceNote } = await sections(record, trials, { ...options, now });
  const drawn = charts.filter((c) => c.plot !== undefined);
  const skipped = charts.filter((c) => c.skipped !== undefined);
  const echarts = readFileSync(echartsBundlePath(), 'utf8');
  const chartList = drawn.map((c) => ({ id: `chart-${c.id}`, chart: (c.plot as Plot<unknown>).chart }));
  const generated = new Date(now)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="tunekit report">
<title>${esc(record.name)} — tunekit report</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>Study ${esc(record.name)}</h1><p>${trials.length} trials · ${esc(record.directions.join(', '))} · report made ${esc(generated)} by tunekit</p></header>
<main>
${summaryHtml(record, trials)}
${importanceNote === null ? '' : `<section id="importance-note"><h2>Parameter importances</h2><p class="note">${esc(importanceNote)}</p></section>`}
${drawn
  .map((c) => {
    const p = c.plot as Plot<unknown>;
    return `<section class="plot" data-kind="${esc(p.kind)}"><h2>${esc(c.heading)}</h2><div class="chart" id="chart-${esc(c.id)}" style="height:${p.height}px"></div></section>`;
  })
  .join('\n')}
${skipped.length === 0 ? '' : `<section id="skipped"><h2>Charts left out</h2><ul class="skipped">${skipped.map((c) => `<li>${esc(c.heading)}: ${esc(c.skipped)}</li>`).join('')}</ul></section>`}
</main>
<footer>Charts: Apache ECharts (inlined). Large studies are downsampled to at most ${options.maxPoints ?? DEFAULT_MAX_POINTS} points per chart, keeping the best trials.</footer>
<script>${echarts}</script>
<script>${RENDER_SCRIPT}</script>
<script type="application/json" id="tunekit-charts">${scriptJson(chartList)}</script>
<script>window.tunekitCharts.render(window.echarts, JSON.parse(document.getElementById('tunekit-charts').textContent));</script>
</body>
</html>
`;
}

/** Writes {@link buildReport}'s document to `path`; returns its size in bytes. */
export async function writeReport(storage: Storage, studyName: string, path: string, options: ReportOptions = {}): Promise<{ bytes: number }> {
  const html = await buildReport(storage, studyName, options);
  writeFileSync(path, html);
  return { bytes: Buffer.byteLength(html) };
}
