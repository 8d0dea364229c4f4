import { z } from 'zod';

/**
 * A setting with a few named choices: each value next to the words the form shows for it, so the two
 * can never drift apart. The form reads the labels from `enumLabels`, in the values' order.
 */
export function choice<const Options extends Record<string, string>>(
  options: Options,
  settings: { default: NoInfer<Extract<keyof Options, string>>; title: string; description: string },
) {
  const values = Object.keys(options) as [Extract<keyof Options, string>, ...Extract<keyof Options, string>[]];
  return z
    .enum(values)
    .default(settings.default)
    .meta({ title: settings.title, description: settings.description, enumLabels: Object.values(options) });
}

/** A choice of several columns of the incoming table; empty means the step's usual columns. */
export function columnsParam(title: string, description: string) {
  return z.array(z.string()).default([]).meta({ title, description, widget: 'columns' });
}

/** The column to predict, chosen among the incoming table's columns. */
export function targetParam(description: string) {
  return z.string().default('').meta({ title: 'Column to predict', description, widget: 'column' });
}

/** A seed that makes a random choice of rows the same every run. */
export function seedParam(title: string, description: string) {
  return z.number().int().min(0).default(42).meta({ title, description });
}

/** A file uploaded and kept by Pipelab (a table, photos, a model), referred to by its content hash. */
export function storedFileParam(title: string, description: string, widget: 'dataset' | 'model') {
  return z.string().default('').meta({ title, description, widget });
}
