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
