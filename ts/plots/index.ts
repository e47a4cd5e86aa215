/**
 * `tunekit/plots`: the charts of a study, as plain data plus an Apache
 * ECharts option (JSON) for the dashboard, the report or a page of your own
 * (see docs/plots.md).
 * @module
 */
export { DEFAULT_MAX_POINTS, downsample, type ChartOption, type ChartSeries, type JsonValue, type Plot, type PlotKind, type PlotOptions, type StudyPlotOptions } from './common.js';
export { plotOptimizationHistory, type HistoryOptions, type HistoryData } from './history.js';
export { plotIntermediateValues, type IntermediateOptions, type IntermediateData, type LearningCurve } from './intermediate.js';
export { plotParallelCoordinate, type ParallelOptions, type ParallelData } from './parallel.js';
export { plotSlice, type SliceOptions, type SliceData, type SlicePanel } from './slice.js';
export { RENDER_SCRIPT, echartsBundlePath } from './render.js';
