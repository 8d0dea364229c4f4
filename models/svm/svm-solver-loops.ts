/**
 * The two scans over the active set that every SMO iteration makes, in WebAssembly where it is
 * available (typed-array loops in JavaScript pay a bounds check per element and start out
 * interpreted, which dominates short fits) and in plain JavaScript otherwise. Both versions do
 * libsvm's arithmetic in libsvm's order, so they select the same working sets.
 */
import { TAU } from './svm-pair-update';
import { F64, I32, WasmProgram, type FunctionSource } from './svm-wasm-assembler';

/**
 * Solver state the loops read, as arrays the solver reorders in place when it shrinks:
 * gradient G, labels y (±1), diagonal Q_ii, and membership of I_up and I_low (1 or 0).
 */
export interface SolverLoops {
  G: Float64Array;
  y: Float64Array;
  QD: Float64Array;
  inUp: Uint8Array;
  inLow: Uint8Array;
  /** max y_j·G_j over I_low, found by the last selectPartner call. */
  lastGMax2: number;
  /**
   * The second half of WSS3: among j in I_low that violate the optimality conditions together
   * with i (whose violation is gMax), the one whose update lowers the objective most; −1 if none.
   */
  selectPartner(Qi: Float32Array, i: number, gMax: number, activeSize: number): number;
  /**
   * G_k += Q_ik·Δα_i + Q_jk·Δα_j over the active set. Returns the argmax of −y_t·G_t over I_up,
   * which the next selection starts with: finding it during the update saves a pass.
   */
  updateGradient(Qi: Float32Array, i: number, Qj: Float32Array, deltaI: number, deltaJ: number, activeSize: number): number;
  release(): void;
}

/**
 * updateGradient(G, Qi, Qj, deltaI, deltaJ, inUp, y, n) → argmax, Qi and Qj float32.
 * Locals: 8 k, 9 best (i32); 10 gradient, 11 violation, 12 largest (f64).
 */
const UPDATE_GRADIENT_SOURCE = `
  f64.const -Infinity  local.set 12
  i32.const -1  local.set 9
  i32.const 0  local.set 8
  block
    loop
      local.get 8  local.get 7  i32.ge_s  br_if 1
      local.get 0  local.get 8  i32.const 3  i32.shl  i32.add  f64.load 0
      local.get 1  local.get 8  i32.const 2  i32.shl  i32.add  f32.load 0  f64.promote_f32  local.get 3  f64.mul
      local.get 2  local.get 8  i32.const 2  i32.shl  i32.add  f32.load 0  f64.promote_f32  local.get 4  f64.mul
      f64.add  f64.add  local.set 10
      local.get 0  local.get 8  i32.const 3  i32.shl  i32.add  local.get 10  f64.store 0
      local.get 5  local.get 8  i32.add  i32.load8_u 0
      if
        local.get 6  local.get 8  i32.const 3  i32.shl  i32.add  f64.load 0  f64.neg  local.get 10  f64.mul
        local.tee 11  local.get 12  f64.ge
        if
          local.get 11  local.set 12
          local.get 8  local.set 9
        end
      end
      local.get 8  i32.const 1  i32.add  local.set 8
      br 0
    end
  end
  local.get 9
`;

/**
 * selectPartner(G, y, QD, inLow, Qi, n, gMax, QDi, twoYi, out) → index; writes the largest
 * y_j·G_j over I_low to the float64 at `out`. Qi is float32.
 * Locals: 10 j, 11 best (i32); 12 yG, 13 gradientDiff, 14 quadratic, 15 objectiveDiff,
 * 16 smallest objectiveDiff, 17 largest yG (f64).
 */
const SELECT_PARTNER_SOURCE = `
  f64.const -Infinity  local.set 17
  f64.const Infinity  local.set 16
  i32.const -1  local.set 11
  i32.const 0  local.set 10
  block
    loop
      local.get 10  local.get 5  i32.ge_s  br_if 1
      local.get 3  local.get 10  i32.add  i32.load8_u 0
      if
        local.get 1  local.get 10  i32.const 3  i32.shl  i32.add  f64.load 0
        local.get 0  local.get 10  i32.const 3  i32.shl  i32.add  f64.load 0
        f64.mul  local.tee 12  local.get 17  f64.ge
        if  local.get 12  local.set 17  end
        local.get 6  local.get 12  f64.add  local.tee 13  f64.const 0  f64.gt
        if
          local.get 7  local.get 2  local.get 10  i32.const 3  i32.shl  i32.add  f64.load 0  f64.add
          local.get 8  local.get 1  local.get 10  i32.const 3  i32.shl  i32.add  f64.load 0  f64.mul
          local.get 4  local.get 10  i32.const 2  i32.shl  i32.add  f32.load 0  f64.promote_f32
          f64.mul  f64.sub  local.set 14
          local.get 13  local.get 13  f64.mul  f64.neg
          local.get 14  f64.const ${TAU}  local.get 14  f64.const 0  f64.gt  select
          f64.div  local.tee 15  local.get 16  f64.le
          if
            local.get 15  local.set 16
            local.get 10  local.set 11
          end
        end
      end
      local.get 10  i32.const 1  i32.add  local.set 10
      br 0
    end
  end
  local.get 9  local.get 17  f64.store 0
  local.get 11
`;

const program = new WasmProgram([
  {
    name: 'updateGradient',
    params: [I32, I32, I32, F64, F64, I32, I32, I32],
    results: [I32],
    locals: [[2, I32], [3, F64]],
    source: UPDATE_GRADIENT_SOURCE,
  },
  {
    name: 'selectPartner',
    params: [I32, I32, I32, I32, I32, I32, F64, F64, F64, I32],
    results: [I32],
    locals: [[2, I32], [6, F64]],
    source: SELECT_PARTNER_SOURCE,
  },
] satisfies FunctionSource[]);

export function createSolverLoops(l: number): SolverLoops {
  return loadWebAssemblyLoops(l) ?? javaScriptLoops(l);
}

function loadWebAssemblyLoops(l: number): SolverLoops | null {
  // Byte offsets; the float32 rows start on a multiple of 8 whatever l is.
  const flagsEnd = 26 * l + 8;
  const at = { G: 0, y: 8 * l, QD: 16 * l, out: 24 * l, inUp: 24 * l + 8, inLow: 25 * l + 8, Qi: flagsEnd + (-flagsEnd & 7) };
  const QjAt = at.Qi + 4 * l;
  const workspace = program.acquire(QjAt + 4 * l);
  if (!workspace) return null;
  const { buffer } = workspace.memory;
  const { updateGradient, selectPartner } = workspace.exports;
  const stagedQi = new Float32Array(buffer, at.Qi, l);
  const stagedQj = new Float32Array(buffer, QjAt, l);
  const out = new Float64Array(buffer, at.out, 1);
  // Row i is copied in once per iteration: selectPartner stages it, updateGradient reuses it.
  let stagedRow = -1;
  let stagedLength = -1;
  const stage = (Qi: Float32Array, i: number, activeSize: number) => {
    if (i === stagedRow && activeSize === stagedLength) return;
    stagedQi.set(Qi.subarray(0, activeSize));
    stagedRow = i;
    stagedLength = activeSize;
  };
  const loops: SolverLoops = {
    G: new Float64Array(buffer, at.G, l),
    y: new Float64Array(buffer, at.y, l),
    QD: new Float64Array(buffer, at.QD, l),
    inUp: new Uint8Array(buffer, at.inUp, l),
    inLow: new Uint8Array(buffer, at.inLow, l),
    lastGMax2: -Infinity,
    selectPartner(Qi, i, gMax, activeSize) {
      stagedRow = -1;
      stage(Qi, i, activeSize);
      const j = selectPartner(at.G, at.y, at.QD, at.inLow, at.Qi, activeSize, gMax, loops.QD[i], 2 * loops.y[i], at.out);
      loops.lastGMax2 = out[0];
      return j;
    },
    updateGradient(Qi, i, Qj, deltaI, deltaJ, activeSize) {
      stage(Qi, i, activeSize);
      stagedQj.set(Qj.subarray(0, activeSize));
      return updateGradient(at.G, at.Qi, QjAt, deltaI, deltaJ, at.inUp, at.y, activeSize);
    },
    release: () => program.release(workspace),
  };
  return loops;
}

function javaScriptLoops(l: number): SolverLoops {
  const loops: SolverLoops = {
    G: new Float64Array(l),
    y: new Float64Array(l),
    QD: new Float64Array(l),
    inUp: new Uint8Array(l),
    inLow: new Uint8Array(l),
    lastGMax2: -Infinity,
    selectPartner(Qi, i, gMax, activeSize) {
      const { G, y, QD, inLow } = loops;
      const twoYi = 2 * y[i];
      const QDi = QD[i];
      let gMax2 = -Infinity;
      let best = -1;
      let smallest = Infinity;
      for (let j = 0; j < activeSize; j++) {
        if (inLow[j] === 0) continue;
        const yG = y[j] * G[j];
        if (yG >= gMax2) gMax2 = yG;
        const gradientDiff = gMax + yG;
        if (gradientDiff <= 0) continue;
        const quadratic = QDi + QD[j] - twoYi * y[j] * Qi[j];
        const objectiveDiff = -(gradientDiff * gradientDiff) / (quadratic > 0 ? quadratic : TAU);
        if (objectiveDiff <= smallest) {
          best = j;
          smallest = objectiveDiff;
        }
      }
      loops.lastGMax2 = gMax2;
      return best;
    },
    updateGradient(Qi, _i, Qj, deltaI, deltaJ, activeSize) {
      const { G, y, inUp } = loops;
      let largest = -Infinity;
      let best = -1;
      for (let k = 0; k < activeSize; k++) {
        const gradient = G[k] + (Qi[k] * deltaI + Qj[k] * deltaJ);
        G[k] = gradient;
        if (inUp[k] === 0) continue;
        const violation = -y[k] * gradient;
        if (violation >= largest) {
          largest = violation;
          best = k;
        }
      }
      return best;
    },
    release() {},
  };
  return loops;
}
