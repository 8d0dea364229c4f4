/**
 * WebAssembly programs for the support vector loops: modules assembled from instruction text by
 * ./wasm-assembler, compiled once and handed out with their own memory (WasmProgram).
 */
import { assembleModule, type FunctionSource } from '../kernels/wasm-assembler';

export { F64, I32, V128, assembleModule, type FunctionSource } from '../kernels/wasm-assembler';

export type Exported = (...args: number[]) => number;

export interface Workspace {
  memory: WebAssembly.Memory;
  exports: Record<string, Exported>;
}

/** Idle instances kept per program, and the largest memory worth keeping. */
const MAX_IDLE_WORKSPACES = 4;
const MAX_IDLE_WORKSPACE_BYTES = 64 * 1024 * 1024;

/**
 * A module compiled once (lazily), handing out instances with their own memory. Released
 * instances are kept for the next caller: creating WebAssembly memory costs tens of
 * microseconds, which adds up over the dozens of small solves of a multiclass fit.
 */
export class WasmProgram {
  private compiled: WebAssembly.Module | null | undefined;
  private readonly idle: Workspace[] = [];

  constructor(private readonly functions: FunctionSource[]) {}

  /** An instance with at least `bytes` of memory, or null where WebAssembly SIMD is unavailable. */
  acquire(bytes: number): Workspace | null {
    const module = this.module();
    if (!module || bytes > 2 ** 31) return null;
    const pages = Math.max(1, Math.ceil(bytes / 65536));
    let workspace = this.idle.pop();
    if (!workspace) {
      const memory = new WebAssembly.Memory({ initial: pages });
      const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, Exported>;
      workspace = { memory, exports };
    }
    const available = workspace.memory.buffer.byteLength / 65536;
    if (available < pages) workspace.memory.grow(pages - available);
    return workspace;
  }

  /** Hands an instance back; its memory's views must not be used afterwards. */
  release(workspace: Workspace): void {
    const small = workspace.memory.buffer.byteLength <= MAX_IDLE_WORKSPACE_BYTES;
    if (small && this.idle.length < MAX_IDLE_WORKSPACES && !this.idle.includes(workspace)) this.idle.push(workspace);
  }

  private module(): WebAssembly.Module | null {
    if (this.compiled === undefined) {
      try {
        const bytes = assembleModule(this.functions);
        const valid = typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes);
        this.compiled = valid ? new WebAssembly.Module(bytes) : null;
      } catch {
        this.compiled = null;
      }
    }
    return this.compiled;
  }
}
