/**
 * The float32 loops of the training kernels are written with named locals ($row) and i32 parameters
 * (byte offsets into the backend's memory, sizes, counters); this maps them onto the shared assembler.
 */
import { assembleModule as assembleCore, I32 } from '../wasm-assembler';

export { F32, I32, V128 } from '../wasm-assembler';

export interface FunctionSource {
  name: string;
  /** Parameter names, all i32. */
  params: string[];
  /** Further locals by name and type. */
  locals: [string, number][];
  source: string;
}

/** A module importing its memory as env.memory and exporting `functions`, each returning nothing. */
export function assembleModule(functions: FunctionSource[]): Uint8Array<ArrayBuffer> {
  return assembleCore(
    functions.map((f) => ({
      name: f.name,
      params: f.params.map(() => I32),
      locals: f.locals.map(([, type]): [number, number] => [1, type]),
      localNames: [...f.params, ...f.locals.map(([local]) => local)],
      source: f.source,
    })),
  );
}

/** Instructions for `for (name = from; name < to; name += step) body`, from/to/step as instruction text. */
export function forLoop(local: string, from: string, to: string, step: string, body: string): string {
  return `
    ${from}  local.set ${local}
    block
      loop
        local.get ${local}  ${to}  i32.ge_s  br_if 1
        ${body}
        local.get ${local}  ${step}  i32.add  local.set ${local}
        br 0
      end
    end`;
}

export const i32Locals = (...names: string[]): [string, number][] => names.map((n) => [n, I32]);

/** Instructions adding `step` (instruction text) to the i32 local `local`. */
export const inc = (local: string, step: string) => `local.get ${local}  ${step}  i32.add  local.set ${local}`;

/** Pushes max(a, b) (cmp i32.gt_s) or min(a, b) (cmp i32.lt_s) of two i32 instruction texts. */
export const pick = (a: string, b: string, cmp: 'i32.gt_s' | 'i32.lt_s') => `${a}  ${b}  ${a}  ${b}  ${cmp}  select`;

/** The immediate of an i8x16.shuffle that picks 32-bit lanes (0–3 first operand, 4–7 second). */
export const lanes32 = (...picks: number[]) => picks.flatMap((p) => [4 * p, 4 * p + 1, 4 * p + 2, 4 * p + 3]).join(',');
