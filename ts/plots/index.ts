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
export { plotContour, type ContourOptions, type ContourData, type ContourAxis } from './contour.js';
export { plotParamImportances, type ImportanceData } from './importance.js';
export { plotEdf, type EdfOptions, type EdfStudy, type EdfCurve, type EdfData } from './edf.js';
export { plotParetoFront, type ParetoOptions, type ParetoPoint, type ParetoData } from './pareto.js';
export { hypervolume, paretoFrontIndices, dominates, plotHypervolumeHistory, type HypervolumeOptions, type HypervolumeData } from './hypervolume.js';
export { plotTimeline, STATE_COLORS, type TimelineOptions, type TimelineBar, type TimelineData } from './timeline.js';
export { plotRank, type RankOptions, type RankPanel, type RankData } from './rank.js';
export { panelGrids } from './slice.js';
