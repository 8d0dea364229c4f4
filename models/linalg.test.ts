import { describe, expect, it } from 'vitest';
import {
  choleskyFactor,
  choleskySolve,
  leastSquaresQR,
  minimizeLbfgs,
  softmaxInto,
  standardizationMoments,
} from './linalg';

describe('Cholesky', () => {
  it('solves a symmetric positive-definite system', () => {
    const matrix = Float64Array.from([4, 2, 0.4, 2, 5, 1, 0.4, 1, 3]);
    const x = choleskySolve(choleskyFactor(matrix, 3), 3, [1, 2, 3]);
    for (let i = 0; i < 3; i++) {
      const row = matrix[i * 3] * x[0] + matrix[i * 3 + 1] * x[1] + matrix[i * 3 + 2] * x[2];
      expect(row).toBeCloseTo(i + 1, 12);
    }
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => choleskyFactor(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/not positive definite/);
  });
});

describe('leastSquaresQR', () => {
  it('solves an overdetermined system exactly when it is consistent', () => {
    // 4 rows × 2 columns, b = 2·col0 − 3·col1.
    const a = Float64Array.from([1, 0, 1, 1, 1, 2, 1, 3]);
    const b = Float64Array.from([2, -1, -4, -7]);
    const { solution, dependent } = leastSquaresQR(a, 4, 2, b);
    expect(solution[0]).toBeCloseTo(2, 12);
    expect(solution[1]).toBeCloseTo(-3, 12);
    expect(dependent).toEqual([]);
  });

  it('skips zero and dependent columns and names what they depend on', () => {
    // Columns: u, 0, v, u + v.
    const u = [1, 2, 3, 4, 5];
    const v = [1, -1, 2, 0, 1];
    const a = Float64Array.from(u.flatMap((ui, i) => [ui, 0, v[i], ui + v[i]]));
    const b = Float64Array.from(u.map((ui, i) => 3 * ui - v[i]));
    const { solution, dependent } = leastSquaresQR(a, 5, 4, b);
    expect(Array.from(solution).map((x) => Number(x.toFixed(10)))).toEqual([3, 0, -1, 0]);
    expect(dependent).toEqual([
      { column: 1, dependsOn: [] },
      { column: 3, dependsOn: [0, 2] },
    ]);
  });
});

describe('minimizeLbfgs', () => {
  const rosenbrock = (x: Float64Array) => ({
    value: (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2,
    gradient: Float64Array.from([
      -2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2),
      200 * (x[1] - x[0] ** 2),
    ]),
  });

  it('finds the minimum of the Rosenbrock function', async () => {
    const result = await minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]), {
      maxIterations: 200,
      stepTolerance: 1e-12,
    });
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
  });

  it('reports when it runs out of iterations and lets the caller stop it', async () => {
    const limited = await minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]), { maxIterations: 3, stepTolerance: 0 });
    expect(limited).toMatchObject({ iterations: 3, converged: false });
    const stopped = minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]), {
      maxIterations: 100,
      stepTolerance: 0,
      onIteration: (iteration) => {
        if (iteration === 2) throw new Error('Cancelled');
      },
    });
    await expect(stopped).rejects.toThrow('Cancelled');
  });

  it('stops once an iteration lowers the objective by less than the relative tolerance', async () => {
    // Rosenbrock shifted up by 1e4: early iterations still gain more than 1e-6 of the value, later ones do not.
    const shifted = (x: Float64Array) => ({ ...rosenbrock(x), value: rosenbrock(x).value + 1e4 });
    const options = { maxIterations: 200, stepTolerance: 0 };
    const full = await minimizeLbfgs(shifted, Float64Array.from([-1.2, 1]), options);
    const early = await minimizeLbfgs(shifted, Float64Array.from([-1.2, 1]), { ...options, relativeDecreaseTolerance: 1e-6 });
    expect(early.converged).toBe(true);
    expect(early.iterations).toBeGreaterThan(1);
    expect(early.iterations).toBeLessThan(full.iterations);
    expect(early.value).toBeLessThan(shifted(Float64Array.from([-1.2, 1])).value);
    expect(full.value).toBeLessThan(early.value);
  });

  it('needs a single step on a quadratic when preconditioned with its exact Hessian', async () => {
    // f(x) = ½ xᵀAx − bᵀx with A = [[3, 1], [1, 2]].
    const lower = choleskyFactor(Float64Array.from([3, 1, 1, 2]), 2);
    const quadratic = (x: Float64Array) => ({
      value: 0.5 * (3 * x[0] * x[0] + 2 * x[0] * x[1] + 2 * x[1] * x[1]) - x[0] - x[1],
      gradient: Float64Array.from([3 * x[0] + x[1] - 1, x[0] + 2 * x[1] - 1]),
    });
    const result = await minimizeLbfgs(quadratic, new Float64Array(2), {
      maxIterations: 10,
      stepTolerance: 1e-12,
      gradientTolerance: 1e-12,
      precondition: (g) => choleskySolve(lower, 2, g),
    });
    expect(result.iterations).toBe(1);
    expect(result.x[0]).toBeCloseTo(0.2, 12);
    expect(result.x[1]).toBeCloseTo(0.4, 12);
  });
});

describe('small helpers', () => {
  it('standardises columns and flags constant ones', () => {
    const moments = standardizationMoments({ data: Float64Array.from([1, 5, 3, 5]), rows: 2, cols: 2 });
    expect(Array.from(moments.means)).toEqual([2, 5]);
    expect(Array.from(moments.scales)).toEqual([1, 1]);
    expect(moments.constant).toEqual([false, true]);
  });

  it('computes softmax without overflow', () => {
    const out = new Float64Array(3);
    softmaxInto(Float64Array.from([1000, 1000, 0]), out, 0);
    expect(Array.from(out)).toEqual([0.5, 0.5, 0]);
  });
});
