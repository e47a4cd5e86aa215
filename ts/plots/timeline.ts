import { describeValue, TunekitError } from '../errors.js';
import type { FrozenTrial, TrialState } from '../study/types.js';
import { downsample, maxPointsOf, titleOf, type ChartOption, type ChartSeries, type Plot, type PlotOptions } from './common.js';

/** Options of {@link plotTimeline}. */
export interface TimelineOptions extends PlotOptions {
  /**
   * The end drawn for a trial still RUNNING, in milliseconds since the epoch.
   * @default the time of the call (`Date.now()`)
   */
  now?: number;
}

/** One bar of {@link plotTimeline}. */
export interface TimelineBar {
  /** Trial number. */
  number: number;
  /** Trial state. */
  state: TrialState;
  /** Start, milliseconds since the epoch. */
  start: number;
  /** End, milliseconds since the epoch (`now` for a RUNNING trial). */
  end: number;
  /** `end - start`, in milliseconds. */
  durationMs: number;
  /** Whether the trial is still running (its end is `now`). */
  running: boolean;
}

/** The numbers of {@link plotTimeline}. */
export interface TimelineData {
  /** Trials that have started, before downsampling. */
  nTrials: number;
  /** The drawn bars, by trial number. */
  bars: TimelineBar[];
}

/** The colour of each state in the timeline and the other state-coloured charts. */
export const STATE_COLORS: Readonly<Record<TrialState, string>> = { COMPLETE: '#1f77b4', PRUNED: '#ff7f0e', FAIL: '#d62728', RUNNING: '#2ca02c', WAITING: '#7f7f7f' };

/**
 * Timeline (Optuna's `plot_timeline`): one horizontal bar per started trial
 * from its start to its end (to `now` while it runs), by trial number,
 * coloured by state. Trials never started (WAITING) are not drawn. At most
 * `maxPoints` bars: the longest trial, then an even stride by number. The
 * bars are an ECharts custom series whose `renderItem` is the string
 * `"tunekit.timeline"`, which the render script resolves.
 */
export function plotTimeline(trials: readonly FrozenTrial[], options: TimelineOptions = {}): Plot<TimelineData> {
  const where = 'plotTimeline';
  const maxPoints = maxPointsOf(options, where);
  const now = options.now ?? Date.now();
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new TunekitError('INVALID_PARAMETER', `${where}: now must be a time in milliseconds, got ${describeValue(now)}`);
  const started = trials.filter((t) => t.datetimeStart !== null && t.state !== 'WAITING').sort((a, b) => a.number - b.number);
  const all: TimelineBar[] = started.map((t) => {
    const start = t.datetimeStart as number;
    const running = t.datetimeComplete === null;
    const end = Math.max(start, running ? now : (t.datetimeComplete as number));
    return { number: t.number, state: t.state, start, end, durationMs: end - start, running };
  });
  let longest = -1;
  all.forEach((b, i) => {
    if (longest < 0 || b.durationMs > all[longest]!.durationMs) longest = i;
  });
  const bars = downsample(all.length, maxPoints, longest >= 0 ? [longest] : []).map((i) => all[i]!);
  const title = titleOf(options, 'Timeline');
  const states: TrialState[] = ['COMPLETE', 'PRUNED', 'FAIL', 'RUNNING'];
  const series: ChartSeries[] = states.map((s) => ({
    type: 'custom',
    name: s,
    renderItem: 'tunekit.timeline',
    encode: { x: [0, 1], y: 2 },
    itemStyle: { color: STATE_COLORS[s] },
    data: bars.filter((b) => b.state === s).map((b) => [b.start, b.end, b.number, b.durationMs / 1000]),
  }));
  const chart: ChartOption = {
    title: { text: title, left: 'center' },
    tooltip: { trigger: 'item', formatter: '{a}: trial {@[2]}, {@[3]} s' },
    legend: { top: 28, data: states },
    grid: { left: 70, right: 30, top: 70, bottom: 60 },
    xAxis: { type: 'time', name: 'Time', nameLocation: 'middle', nameGap: 30 },
    yAxis: { type: 'value', name: 'Trial', inverse: true, min: 'dataMin', max: 'dataMax' },
    dataZoom: [
      { type: 'inside', yAxisIndex: 0 },
      { type: 'slider', yAxisIndex: 0, width: 14, right: 6 },
    ],
    series,
  };
  return { kind: 'timeline', title, data: { nTrials: all.length, bars }, chart, height: 420 };
}
