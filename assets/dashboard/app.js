// The tunekit dashboard page: plain browser JavaScript over the JSON API of
// docs/dashboard.md (no build step). Every user string goes into the page as
// text (textContent), never as HTML.
'use strict';

const STATES = ['COMPLETE', 'PRUNED', 'FAIL', 'RUNNING', 'WAITING'];
/** Charts re-fetched at most this often while trials arrive (milliseconds). */
const CHART_REFRESH_MS = 3000;

const state = {
  info: { allowEdit: false },
  studies: [],
  /** The view's reaction to a live update (set by each view). */
  onUpdate: null,
  /** The current view's chart instances, disposed on leaving it. */
  charts: [],
  table: null,
};

// ---- helpers ----------------------------------------------------------------

/** An element with attributes (`on*` as listeners) and children (strings become text). */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return el;
}

/** The JSON of an API route; a refusal throws its message. */
async function api(path, init) {
  const r = await fetch(`/api/${path}`, init);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${r.status}`);
  return body;
}

function post(path, body) {
  return api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** A number as the API sends it (non-finite ones arrive as strings). */
function fmt(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3 ? v.toExponential(4) : String(+v.toPrecision(6));
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function fmtTime(ms) {
  return ms === null || ms === undefined ? '' : new Date(ms).toLocaleString();
}

function fmtDuration(ms) {
  if (ms === null || ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

const enc = encodeURIComponent;
const main = () => document.getElementById('main');

/** Replaces an element's children (nested arrays flattened; null, undefined and false left out). */
function fill(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
}

function setView(...children) {
  for (const c of state.charts) c.dispose();
  state.charts = [];
  if (window.tunekitCharts) for (const id of Object.keys(window.tunekitCharts.instances)) delete window.tunekitCharts.instances[id];
  fill(main(), children);
}

function showError(err) {
  main().append(h('p', { class: 'error' }, String(err.message ?? err)));
}

/** Draws an ECharts option of the page's own into an element; the instance is disposed with the view. */
function drawChart(el, option) {
  let chart = echarts.getInstanceByDom(el);
  if (chart === undefined) {
    chart = echarts.init(el, null, { renderer: 'canvas' });
    state.charts.push(chart);
  }
  chart.setOption(option, true);
  return chart;
}

/** Draws a ts/plots chart (its `chart` option) through the shared render script (/vendor/render.js). */
function drawPlot(el, chart) {
  const tc = window.tunekitCharts;
  if (tc.instances[el.id] && !tc.instances[el.id].isDisposed()) tc.update(el.id, chart);
  else state.charts.push(tc.render(echarts, [{ id: el.id, chart }])[el.id]);
}

function counts(c) {
  return h(
    'span',
    { class: 'counts' },
    STATES.filter((s) => c[s] > 0).map((s) => h('span', { class: `badge ${s.toLowerCase()}`, title: s }, `${s.toLowerCase()} ${c[s]}`)),
  );
}

function bestText(o) {
  if (o.best === null) return '';
  if (o.directions.length === 1) return `${fmt(o.best.values[0])} (trial ${o.best.number})`;
  return `front of ${o.paretoFront.length}: ${o.best.values.map(fmt).join(', ')}`;
}

// ---- studies list -----------------------------------------------------------

function viewStudies() {
  const body = h('tbody');
  const selected = new Set();
  const fillRows = (studies) => {
    fill(
      body,
      ...studies.map((o) =>
        h(
          'tr',
          { 'data-study': o.name },
          h(
            'td',
            {},
            h('input', {
              type: 'checkbox',
              title: 'compare',
              checked: selected.has(o.name),
              onchange: (e) => (e.target.checked ? selected.add(o.name) : selected.delete(o.name)),
            }),
          ),
          h('td', {}, h('a', { href: `#/study/${enc(o.name)}` }, o.name)),
          h('td', {}, o.directions.join(', ')),
          h('td', { class: 'num n-trials' }, o.nTrials),
          h('td', {}, counts(o.counts)),
          h('td', { class: 'num best' }, bestText(o)),
          h('td', {}, fmtTime(o.lastChange)),
        ),
      ),
    );
  };
  const table = h(
    'table',
    { id: 'studies' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['', 'Study', 'Directions', 'Trials', 'States', 'Best', 'Last change'].map((t) => h('th', {}, t)),
      ),
    ),
    body,
  );
  setView(
    h('h1', {}, 'Studies'),
    table,
    h(
      'p',
      {},
      h(
        'button',
        {
          onclick: () => {
            if (selected.size > 0) location.hash = `#/compare?studies=${[...selected].map(enc).join(',')}`;
          },
        },
        'Compare selected',
      ),
    ),
  );
  fillRows(state.studies);
  state.onUpdate = fillRows;
  api('studies')
    .then((r) => {
      state.studies = r.studies;
      fillRows(r.studies);
    })
    .catch(showError);
}

// ---- study page -------------------------------------------------------------

function noteEditor(path, current) {
  if (!state.info.allowEdit) return current ? h('p', { class: 'note' }, current) : null;
  const area = h('textarea', { rows: 3, cols: 60, placeholder: 'a note' });
  area.value = current ?? '';
  const status = h('span', { class: 'muted' });
  return h(
    'div',
    { class: 'note-editor' },
    area,
    h(
      'button',
      {
        onclick: () =>
          post(`${path}/note`, { note: area.value })
            .then(() => (status.textContent = 'saved'))
            .catch((e) => (status.textContent = e.message)),
      },
      'Save note',
    ),
    status,
  );
}

function attrEditor(path, onSaved) {
  if (!state.info.allowEdit) return null;
  const key = h('input', { placeholder: 'key', size: 12 });
  const value = h('input', { placeholder: 'value (JSON or text)', size: 30 });
  const status = h('span', { class: 'muted' });
  return h(
    'div',
    { class: 'attr-editor' },
    key,
    value,
    h(
      'button',
      {
        onclick: () => {
          let v;
          try {
            v = JSON.parse(value.value);
          } catch {
            v = value.value;
          }
          post(`${path}/attrs`, { key: key.value, value: v })
            .then((r) => {
              status.textContent = 'saved';
              onSaved(r.userAttrs);
            })
            .catch((e) => (status.textContent = e.message));
        },
      },
      'Set user attribute',
    ),
    status,
  );
}

function attrTable(attrs) {
  const keys = Object.keys(attrs ?? {});
  if (keys.length === 0) return h('p', { class: 'muted' }, 'none');
  return h(
    'table',
    { class: 'kv' },
    h(
      'tbody',
      {},
      keys.map((k) => h('tr', {}, h('th', {}, k), h('td', {}, h('pre', {}, typeof attrs[k] === 'string' ? attrs[k] : JSON.stringify(attrs[k], null, 1))))),
    ),
  );
}

function viewStudy(name) {
  const path = `studies/${enc(name)}`;
  const header = h('div', { class: 'summary' });
  const chartsBox = h('div', { id: 'charts', class: 'charts' });
  const t = {
    sort: 'number',
    order: 'asc',
    offset: 0,
    limit: 50,
    states: new Set(),
    filters: {},
  };
  state.table = t;
  const tableBox = h('div', { id: 'trial-table' });
  let overview = null;
  let shownVersion = -1;
  let chartsAt = 0;
  let chartTimer = null;

  const renderHeader = (o) => {
    overview = o;
    fill(
      header,
      ...[
        h('h1', {}, o.name),
        h('p', {}, `${o.directions.join(', ')} · `, h('span', { id: 'study-n-trials' }, String(o.nTrials)), ' trials · ', counts(o.counts)),
        o.best ? h('p', {}, 'Best: ', h('span', { id: 'study-best' }, bestText(o))) : null,
        noteEditor(path, o.userAttrs.note),
        h(
          'details',
          {},
          h('summary', {}, 'Study attributes'),
          h('h3', {}, 'User'),
          attrTable(o.userAttrs),
          attrEditor(path, () => {}),
          h('h3', {}, 'System'),
          attrTable(o.systemAttrs),
        ),
      ].filter((x) => x !== null),
    );
  };

  /** The chart controls: the objective, the contour's two parameters, the importance evaluator. */
  const chartOpts = { target: 0, contour: [], evaluator: 'ped-anova' };
  const controlsBox = h('div', { class: 'filters chart-controls' });
  const renderControls = (o) => {
    const reload = () => loadCharts().catch(showError);
    const select = (attrs, options, value, onchange) =>
      h(
        'select',
        { ...attrs, onchange: (e) => onchange(e.target.value) },
        options.map(([v, label]) => h('option', { value: v, selected: String(v) === String(value) }, label)),
      );
    const params = o.paramNames.map((p) => [p, p]);
    const [cx, cy] = chartOpts.contour.length === 2 ? chartOpts.contour : [o.paramNames[0], o.paramNames[1]];
    fill(
      controlsBox,
      o.directions.length > 1
        ? h(
            'label',
            {},
            'Objective ',
            select(
              { 'data-control': 'target' },
              o.directions.map((d, k) => [k, `${k} (${d})`]),
              chartOpts.target,
              (v) => {
                chartOpts.target = Number(v);
                reload();
              },
            ),
          )
        : null,
      o.paramNames.length > 1
        ? h(
            'label',
            {},
            'Contour ',
            select({ 'data-control': 'contour-x' }, params, cx, (v) => {
              chartOpts.contour = [v, chartOpts.contour[1] ?? cy];
              reload();
            }),
            ' × ',
            select({ 'data-control': 'contour-y' }, params, cy, (v) => {
              chartOpts.contour = [chartOpts.contour[0] ?? cx, v];
              reload();
            }),
          )
        : null,
      h(
        'label',
        {},
        'Importance ',
        select(
          { 'data-control': 'evaluator' },
          [
            ['ped-anova', 'PED-ANOVA'],
            ['fanova', 'fANOVA'],
          ],
          chartOpts.evaluator,
          (v) => {
            chartOpts.evaluator = v;
            reload();
          },
        ),
      ),
    );
  };

  const loadCharts = async () => {
    chartsAt = Date.now();
    const q = new URLSearchParams({ maxPoints: '2000', target: String(chartOpts.target), evaluator: chartOpts.evaluator });
    if (chartOpts.contour.length === 2) q.set('contour', chartOpts.contour.join(','));
    const r = await api(`${path}/charts?${q}`);
    for (const p of chartsBox.querySelectorAll(':scope > p')) p.remove();
    const seen = new Set();
    for (const p of r.charts) {
      seen.add(p.kind);
      let box = chartsBox.querySelector(`[data-kind="${p.kind}"]`);
      if (box === null) {
        box = h('div', { class: 'chart', id: `chart-${p.kind}`, 'data-kind': p.kind });
        chartsBox.append(h('section', { class: `chart-card ${p.kind}` }, box));
      }
      const height = `${p.height ?? 360}px`;
      if (box.style.height !== height) {
        box.style.height = height;
        echarts.getInstanceByDom(box)?.resize();
      }
      drawPlot(box, p.chart);
    }
    if (r.charts.length === 0) fill(chartsBox, h('p', { class: 'muted' }, 'No charts yet: they appear once trials complete.'));
    if (r.errors) for (const e of r.errors) chartsBox.append(h('p', { class: 'muted' }, `${e.kind}: ${e.message}`));
  };

  const query = () => {
    const q = new URLSearchParams({ sort: t.sort, order: t.order, offset: String(t.offset), limit: String(t.limit) });
    if (t.states.size > 0) q.set('state', [...t.states].join(','));
    for (const [k, v] of Object.entries(t.filters)) if (v !== '') q.set(k, v);
    return q;
  };

  const loadTable = async () => {
    const r = await api(`${path}/trials?${query()}`);
    const o = overview;
    const params = o ? o.paramNames : [];
    const nObj = o ? o.directions.length : 1;
    const cols = [
      ['number', '#'],
      ['state', 'State'],
      ...Array.from({ length: nObj }, (_, k) => [nObj === 1 ? 'value' : `value.${k}`, nObj === 1 ? 'Value' : `Value ${k}`]),
      ...params.map((p) => [`param.${p}`, p]),
      ['duration', 'Duration'],
    ];
    const head = h(
      'tr',
      {},
      cols.map(([key, label]) =>
        h(
          'th',
          {
            class: 'sortable',
            'data-sort': key,
            onclick: () => {
              if (t.sort === key) t.order = t.order === 'asc' ? 'desc' : 'asc';
              else {
                t.sort = key;
                t.order = 'asc';
              }
              t.offset = 0;
              loadTable().catch(showError);
            },
          },
          label + (t.sort === key ? (t.order === 'asc' ? ' ▲' : ' ▼') : ''),
        ),
      ),
    );
    const rows = r.trials.map((tr) =>
      h(
        'tr',
        { 'data-number': tr.number, class: tr.feasible ? '' : 'infeasible', onclick: () => (location.hash = `#/study/${enc(name)}/trial/${tr.number}`) },
        h('td', { class: 'num' }, tr.number),
        h('td', {}, h('span', { class: `badge ${tr.state.toLowerCase()}` }, tr.state)),
        Array.from({ length: nObj }, (_, k) => h('td', { class: 'num' }, tr.values ? fmt(tr.values[k]) : '')),
        params.map((p) => h('td', {}, Object.hasOwn(tr.params, p) ? fmt(tr.params[p]) : '')),
        h('td', { class: 'num' }, fmtDuration(tr.durationMs)),
      ),
    );
    const last = Math.min(r.total, r.offset + r.trials.length);
    fill(
      tableBox,
      h(
        'div',
        { class: 'pager' },
        h('button', { id: 'prev', disabled: t.offset === 0, onclick: () => ((t.offset = Math.max(0, t.offset - t.limit)), loadTable().catch(showError)) }, '‹ prev'),
        h('span', {}, ` ${r.total === 0 ? 0 : r.offset + 1}–${last} of `, h('span', { id: 'trial-total' }, String(r.total)), ' '),
        h('button', { id: 'next', disabled: last >= r.total, onclick: () => ((t.offset += t.limit), loadTable().catch(showError)) }, 'next ›'),
      ),
      h('table', { id: 'trials' }, h('thead', {}, head), h('tbody', {}, rows)),
    );
  };

  const filterBar = () => {
    const apply = () => {
      t.offset = 0;
      loadTable().catch(showError);
    };
    const stateBoxes = STATES.map((s) =>
      h(
        'label',
        {},
        h('input', {
          type: 'checkbox',
          'data-state': s,
          onchange: (e) => {
            if (e.target.checked) t.states.add(s);
            else t.states.delete(s);
            apply();
          },
        }),
        s.toLowerCase(),
      ),
    );
    const input = (key, label, hint) =>
      h(
        'label',
        {},
        `${label} `,
        h('input', {
          'data-filter': key,
          placeholder: hint,
          size: 10,
          onchange: (e) => {
            t.filters[key] = e.target.value.trim();
            apply();
          },
        }),
      );
    const o = overview;
    const nObj = o ? o.directions.length : 1;
    return h(
      'div',
      { class: 'filters' },
      h('span', {}, 'State: ', stateBoxes),
      Array.from({ length: nObj }, (_, k) => input(nObj === 1 ? 'value' : `value.${k}`, nObj === 1 ? 'value' : `value ${k}`, 'low..high')),
      (o ? o.paramNames : []).map((p) => input(`param.${p}`, p, 'low..high or =')),
    );
  };

  const filterBox = h('div', {});
  setView(header, h('h2', {}, 'Charts'), controlsBox, chartsBox, h('h2', {}, 'Trials'), filterBox, tableBox);

  const refresh = async (o) => {
    const first = overview === null;
    renderHeader(o);
    if (first) {
      fill(filterBox, filterBar());
      renderControls(o);
    }
    if (o.version === shownVersion) return;
    shownVersion = o.version;
    await loadTable();
    const wait = CHART_REFRESH_MS - (Date.now() - chartsAt);
    if (wait <= 0) await loadCharts();
    else if (chartTimer === null) {
      chartTimer = setTimeout(() => {
        chartTimer = null;
        loadCharts().catch(showError);
      }, wait);
    }
  };
  state.onUpdate = (studies) => {
    const o = studies.find((s) => s.name === name);
    if (o) refresh(o).catch(showError);
  };
  api(path).then(refresh).catch(showError);
}

// ---- trial detail -----------------------------------------------------------

function viewTrial(name, number) {
  const path = `studies/${enc(name)}/trials/${number}`;
  const box = h('div', { id: 'trial-detail' });
  setView(h('p', {}, h('a', { href: `#/study/${enc(name)}` }, `‹ ${name}`)), box);
  let shown = null;
  const render = (t) => {
    shown = JSON.stringify(t);
    const steps = Object.keys(t.intermediateValues)
      .map(Number)
      .sort((a, b) => a - b);
    const chartEl = steps.length > 0 ? h('div', { class: 'chart', 'data-kind': 'trial-intermediate', style: 'height:280px' }) : null;
    const userBox = h('div', {}, attrTable(t.userAttrs));
    fill(
      box,
      h('h1', {}, `Trial ${t.number} `, h('span', { class: `badge ${t.state.toLowerCase()}` }, t.state)),
      h(
        'table',
        { class: 'kv' },
        h(
          'tbody',
          {},
          h('tr', {}, h('th', {}, 'Values'), h('td', { id: 'trial-values' }, t.values ? t.values.map(fmt).join(', ') : '')),
          h('tr', {}, h('th', {}, 'Started'), h('td', {}, fmtTime(t.datetimeStart))),
          h('tr', {}, h('th', {}, 'Completed'), h('td', {}, fmtTime(t.datetimeComplete))),
          h('tr', {}, h('th', {}, 'Duration'), h('td', {}, fmtDuration(t.durationMs))),
          h('tr', {}, h('th', {}, 'Feasible'), h('td', {}, t.feasible ? 'yes' : 'no')),
        ),
      ),
      h('h2', {}, 'Parameters'),
      h(
        'table',
        { class: 'kv', id: 'trial-params' },
        h(
          'tbody',
          {},
          Object.keys(t.params).map((k) => h('tr', {}, h('th', {}, k), h('td', {}, fmt(t.params[k])), h('td', { class: 'muted' }, JSON.stringify(t.distributions[k])))),
        ),
      ),
      t.constraints ? [h('h2', {}, 'Constraints (≤ 0 is feasible)'), attrTable(t.constraints)] : null,
      chartEl ? [h('h2', {}, `Intermediate values (${steps.length})`), chartEl] : null,
      t.stderrTail ? [h('h2', {}, 'stderr (tail)'), h('pre', { class: 'stderr' }, t.stderrTail)] : null,
      h('h2', {}, 'Note'),
      noteEditor(path, t.userAttrs.note) ?? h('p', { class: 'muted' }, 'none'),
      h('h2', {}, 'User attributes'),
      userBox,
      attrEditor(path, (attrs) => fill(userBox, attrTable(attrs))),
      h('h2', {}, 'System attributes'),
      attrTable(t.systemAttrs),
    );
    if (chartEl) {
      drawChart(chartEl, {
        animation: false,
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'value', name: 'step' },
        yAxis: { type: 'value', scale: true },
        series: [{ type: 'line', showSymbol: steps.length <= 200, data: steps.map((s) => [s, Number(t.intermediateValues[s])]) }],
      });
    }
  };
  const load = () =>
    api(path)
      .then((t) => {
        if (JSON.stringify(t) !== shown) render(t);
      })
      .catch(showError);
  state.onUpdate = (studies) => {
    // Only a trial still running changes; a finished one is re-read on an edit.
    const o = studies.find((s) => s.name === name);
    if (o && shown !== null && ['RUNNING', 'WAITING'].includes(JSON.parse(shown).state)) load();
  };
  load();
}

// ---- compare ----------------------------------------------------------------

function viewCompare(params) {
  const chosen = new Set((params.get('studies') ?? '').split(',').filter((s) => s !== ''));
  let kind = params.get('kind') ?? 'history';
  const chartEl = h('div', { class: 'chart', 'data-kind': 'compare', style: 'height:420px' });
  const picker = h('div', { class: 'filters' });
  const status = h('p', { class: 'muted' });
  const draw = async () => {
    if (chosen.size === 0) {
      status.textContent = 'Pick one or more studies.';
      return;
    }
    const r = await api(`compare?studies=${[...chosen].map(enc).join(',')}&kind=${kind}&maxPoints=2000`);
    status.textContent = r.series.map((s) => `${s.study}: ${s.n} trials`).join(' · ');
    drawChart(chartEl, {
      animation: false,
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      grid: { top: 40, left: 60, right: 30, bottom: 50 },
      xAxis: { type: 'value', name: kind === 'edf' ? 'objective value' : 'trial', nameLocation: 'middle', nameGap: 28, scale: true },
      yAxis: { type: 'value', name: kind === 'edf' ? 'fraction of trials' : 'best value', scale: kind !== 'edf' },
      series: r.series.map((s) => ({ type: 'line', name: s.study, step: kind === 'edf' ? 'end' : 'end', showSymbol: false, data: s.points })),
    });
  };
  const fillPicker = (studies) => {
    fill(
      picker,
      h('span', {}, 'Studies: '),
      studies.map((o) =>
        h(
          'label',
          {},
          h('input', {
            type: 'checkbox',
            'data-study': o.name,
            checked: chosen.has(o.name),
            onchange: (e) => {
              if (e.target.checked) chosen.add(o.name);
              else chosen.delete(o.name);
              draw().catch(showError);
            },
          }),
          o.name,
        ),
      ),
      h(
        'select',
        {
          onchange: (e) => {
            kind = e.target.value;
            draw().catch(showError);
          },
        },
        h('option', { value: 'history', selected: kind === 'history' }, 'best value by trial'),
        h('option', { value: 'edf', selected: kind === 'edf' }, 'empirical distribution (EDF)'),
      ),
    );
  };
  setView(h('h1', {}, 'Compare studies'), picker, status, chartEl);
  fillPicker(state.studies);
  api('studies')
    .then((r) => {
      state.studies = r.studies;
      fillPicker(r.studies);
      return draw();
    })
    .catch(showError);
  state.onUpdate = () => draw().catch(showError);
}

// ---- routing and live updates ---------------------------------------------

function route() {
  state.onUpdate = null;
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, search] = hash.split('?');
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  if (parts[0] === 'study' && parts.length === 2) viewStudy(parts[1]);
  else if (parts[0] === 'study' && parts[2] === 'trial' && parts.length === 4) viewTrial(parts[1], Number(parts[3]));
  else if (parts[0] === 'compare') viewCompare(new URLSearchParams(search ?? ''));
  else viewStudies();
}

function listen() {
  const live = document.getElementById('live');
  const es = new EventSource('/api/events');
  es.addEventListener('open', () => live.classList.add('on'));
  es.addEventListener('error', () => live.classList.remove('on'));
  es.addEventListener('studies', (e) => {
    live.classList.add('on');
    state.studies = JSON.parse(e.data);
    if (state.onUpdate) state.onUpdate(state.studies);
  });
}

window.addEventListener('hashchange', route);
api('info')
  .then((info) => {
    state.info = info;
    document.getElementById('mode').textContent = info.allowEdit ? 'edits allowed' : 'read-only';
  })
  .catch(() => {})
  .finally(() => {
    route();
    listen();
  });
