import { createRequire } from 'node:module';
import path from 'node:path';
import type { ReactElement } from 'react';
import { ConfusionMatrix } from '../../charts/ConfusionMatrix';
import { ImportancesChart, type Importance } from '../../charts/ImportancesChart';
import { PipelineGraph } from '../../charts/PipelineGraph';
import { ROC_EXPLAINED, RocPlot, rocCurvesOfModels, type ModelWithRoc } from '../../charts/RocChart';
import { ScatterPlot, type ActualPredicted } from '../../charts/ScatterPlot';
import { runColor, seriesColor } from '../../charts/theme';
import type { Graph } from '../../nodes/graph-document';
import { appRoot } from '../../nodes/lib/paths';
import { emptyLookup, titleOf, type NodeLookup } from './lookup';

/**
 * The report's charts: the app's chart kit rendered to static markup, so a printed or mailed report draws
 * exactly what the results panel shows. React escapes every piece of user text on the way.
 */

/**
 * Next.js refuses a plain `import 'react-dom/server'` in route code (it is meant for pages), but the report is
 * a standalone document built on the server, not a page. Node's own require loads the renderer from the
 * app's node_modules at run time (as the TensorFlow.js backends are loaded), out of the bundler's sight; the kit's components use no hooks, so the renderer
 * works with whichever React copy created the elements.
 */
const nodeRequire = createRequire(path.join(appRoot(), 'package.json'));
const renderToStaticMarkup = (element: ReactElement): string =>
  (nodeRequire('react-dom/server') as typeof import('react-dom/server')).renderToStaticMarkup(element);

/** The pipeline as boxes at their canvas positions joined by wires; boxes coloured by node status when given. */
export function graphSvg(graph: Graph, lookup: NodeLookup = emptyLookup, statuses: Record<string, string> = {}): string {
  const steps = graph.nodes.map((node) => ({
    id: node.id,
    title: titleOf(lookup, node.type),
    position: node.position,
    status: statuses[node.id],
    category: lookup(node.type)?.category,
  }));
  return renderToStaticMarkup(<PipelineGraph steps={steps} wires={graph.edges} />);
}

/** ROC curves of an evaluation's models on one chart, coloured as in the app's results panel. */
export function rocSvg(models: readonly ModelWithRoc[]): string {
  return renderToStaticMarkup(<RocPlot curves={rocCurvesOfModels(models)} ariaLabel="ROC curves" caption={ROC_EXPLAINED} />);
}

/** One run's curves in a comparison: one curve takes the run's colour, as on the compare page; several take the series colours. */
export function runRocSvg(runIndex: number, curves: readonly { model: string; fpr: number[]; tpr: number[] }[]): string {
  const color = (index: number) => (curves.length === 1 ? runColor(runIndex) : seriesColor(index));
  const drawn = curves.map((curve, index) => ({ id: `${runIndex}-${index}`, label: curve.model, color: color(index), fpr: curve.fpr, tpr: curve.tpr }));
  return renderToStaticMarkup(<RocPlot curves={drawn} ariaLabel="ROC curves" />);
}

/** Rows: actual class; columns: predicted class; right answers green, mix-ups red. */
export function confusionTable(confusion: number[][], classes: string[]): string {
  return renderToStaticMarkup(<ConfusionMatrix classes={classes} matrix={confusion} />);
}

export function scatterSvg(points: ActualPredicted[]): string {
  return renderToStaticMarkup(<ScatterPlot points={points} />);
}

export function importancesSvg(importances: Importance[]): string {
  return renderToStaticMarkup(<ImportancesChart importances={importances} />);
}
