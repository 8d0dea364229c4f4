/**
 * The chart kit: presentational components drawn the same way in the app and in the self-contained HTML
 * report. No stylesheet is needed: colours and sizes come from `theme.ts` as SVG presentation attributes
 * and inline styles, so `renderToStaticMarkup` gives a finished picture.
 */
export { ConfusionMatrix, CONFUSION_NOTE } from './ConfusionMatrix';
export { ImportancesChart, type Importance } from './ImportancesChart';
export { Legend, Swatch, type LegendEntry, type SwatchKind } from './Legend';
export { PipelineGraph, type GraphStep, type GraphWire } from './PipelineGraph';
export { ROC_EXPLAINED, RocPlot, rocCurvesOfModels, type ModelWithRoc, type RocCurve } from './RocChart';
export { ScatterPlot, type ActualPredicted } from './ScatterPlot';
