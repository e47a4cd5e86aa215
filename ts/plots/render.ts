import { createRequire } from 'node:module';

/**
 * The browser side of the charts: a small script (plain ES2017, no imports)
 * that the report inlines and the dashboard serves. After the ECharts
 * bundle has loaded, it defines `window.tunekitCharts` with
 *
 * - `render(echarts, items)`: mounts each `{ id, chart }` (a {@link Plot}'s
 *   `chart`) in the element with that id (`echarts.init` + `setOption`),
 *   replacing an earlier chart there, and returns the instances by id;
 * - `update(id, chart)`: sets a new option on a mounted chart (live updates);
 * - `instances`: the mounted charts by element id;
 * - `renderers`: the custom series' `renderItem` functions by the name a
 *   chart option gives as a string (`"tunekit.timeline"`).
 *
 * Charts resize with the window.
 */
export const RENDER_SCRIPT = `(function () {
  'use strict';
  function timelineItem(params, api) {
    var start = api.coord([api.value(0), api.value(2)]);
    var end = api.coord([api.value(1), api.value(2)]);
    var band = api.size([0, 1])[1];
    var h = Math.max(1, Math.min(14, band * 0.8));
    return {
      type: 'rect',
      shape: { x: start[0], y: start[1] - h / 2, width: Math.max(1, end[0] - start[0]), height: h },
      style: api.style(),
    };
  }
  var renderers = { 'tunekit.timeline': timelineItem };
  var instances = {};
  function resolve(chart) {
    var option = JSON.parse(JSON.stringify(chart));
    (option.series || []).forEach(function (s) {
      if (s.type === 'custom' && typeof s.renderItem === 'string') {
        var f = renderers[s.renderItem];
        if (!f) throw new Error('tunekitCharts: unknown renderItem ' + s.renderItem);
        s.renderItem = f;
      }
    });
    return option;
  }
  function render(echarts, items) {
    items.forEach(function (item) {
      var el = document.getElementById(item.id);
      if (!el) throw new Error('tunekitCharts: no element with id ' + item.id);
      if (instances[item.id]) instances[item.id].dispose();
      var chart = echarts.init(el, null, { renderer: 'canvas' });
      chart.setOption(resolve(item.chart));
      instances[item.id] = chart;
    });
    return instances;
  }
  function update(id, chart) {
    var inst = instances[id];
    if (!inst) throw new Error('tunekitCharts: no chart mounted at ' + id);
    inst.setOption(resolve(chart), true);
    return inst;
  }
  window.addEventListener('resize', function () {
    Object.keys(instances).forEach(function (id) { instances[id].resize(); });
  });
  window.tunekitCharts = { render: render, update: update, instances: instances, renderers: renderers };
})();
`;

/** The file path of the ECharts browser bundle (`echarts/dist/echarts.min.js`, a dependency of tunekit) that {@link RENDER_SCRIPT} runs with. */
export function echartsBundlePath(): string {
  return createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
}
