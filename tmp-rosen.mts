import { minimizeLbfgs } from './models/linalg';
const rosenbrock = (x: Float64Array) => ({
  value: (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2,
  gradient: Float64Array.from([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)]),
});
const r = await minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]), { maxIterations: 200, stepTolerance: 1e-12, onIteration: (i, v) => { if (i % 5 === 0) console.log(i, v); } });
console.log(r);
