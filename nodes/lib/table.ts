import { distinctValues, getColumn, type Column, type Frame } from '../../models/frame';
import { fitPreprocessing, PreprocessingError, type StepSpec } from '../../models/preprocessing/preprocessing';
import type { z } from 'zod';
import { defineNode, NodeInputError, type NodeDefinition, type NodeRunResult } from '../define';
import type { TableValue } from '../values';
import { tablePreview } from './summarize';

/** Checks the chosen target and wraps a freshly read frame as a table value. */
export function tableFromFrame(frame: Frame, target: string, origin: string): TableValue {
  const chosen = target.trim() || null;
  if (chosen) checkTarget(frame, chosen);
  return { frame, target: chosen, source: frame, sourceTarget: chosen, steps: [], origin };
}

export function checkTarget(frame: Frame, target: string): void {
  checkTargetColumn(frame.columns.map((c) => c.name), () => getColumn(frame, target), target);
}

/** checkTarget for a table whose columns are read one at a time: only the target column is read. */
export function checkTargetColumn(names: string[], readTarget: () => Column, target: string): void {
  if (!names.includes(target)) {
    throw new NodeInputError(`The target column "${target}" is not in the table. Columns: ${names.join(', ')}.`);
  }
  const values = distinctValues(readTarget());
  if (values.length === 0) throw new NodeInputError(`The target column "${target}" is empty.`);
  if (values.length === 1) {
    throw new NodeInputError(`The target column "${target}" always holds "${values[0]}"; there is nothing to predict.`);
  }
}

/**
 * Adds one preprocessing step to a table. The preview is fitted on all rows; the split node
 * later refits every step on its training rows only.
 */
export function addStep(table: TableValue, spec: StepSpec): TableValue {
  return addStepWithState(table, spec).table;
}

/** addStep, also returning what the step learned on the preview rows (e.g. PCA's explained variance). */
export function addStepWithState(table: TableValue, spec: StepSpec): { table: TableValue; state: unknown } {
  try {
    const { output, target, fitted } = fitPreprocessing([spec], table.frame, table.target);
    return { table: { ...table, frame: output, target, steps: [...table.steps, spec] }, state: fitted.steps[0].state };
  } catch (error) {
    if (error instanceof PreprocessingError) throw new NodeInputError(error.message);
    throw error;
  }
}

export function tableResult(table: TableValue, notes?: string[]): NodeRunResult<{ table: TableValue }> {
  return { outputs: { table: table }, preview: tablePreview(table.frame, table.target, 20, notes) };
}

const TABLE_PORTS = [{ name: 'table', type: 'table', label: 'Table' }] as const;
type TableStepDefinition<P extends z.ZodObject> = NodeDefinition<P, typeof TABLE_PORTS, typeof TABLE_PORTS>;

/** Declares a step that takes a table and gives a table (preparation and feature steps). */
export function defineTableStep<P extends z.ZodObject>(spec: Omit<TableStepDefinition<P>, 'inputs' | 'outputs'>): TableStepDefinition<P> {
  return defineNode({ ...spec, inputs: TABLE_PORTS, outputs: TABLE_PORTS });
}
