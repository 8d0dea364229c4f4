import { classCountOf, featureNamesOf, type Estimator, type FitOptions } from '../estimator';
import { readRow, type Matrix } from '../frame';
import { assertFiniteFeatures, minimizeLbfgs, sigmoid, softmaxInto } from '../linalg';
import { createYielder } from '../yield';
import { createProblem, toOriginalUnits } from './logistic-objective';

export interface LogisticRegressionParams {
  /** Penalty strength, 1/C in scikit-learn terms. 0 fits without a penalty. */
  l2: number;
  /** 'balanced' weighs each row by n / (K · rows in its class), like scikit-learn. */
  classWeight: 'none' | 'balanced';
  /** Upper bound on optimiser iterations. */
  maxIter: number;
}

export const defaultLogisticRegressionParams: LogisticRegressionParams = { l2: 1, classWeight: 'none', maxIter: 100 };

export interface LogisticRegressionJSON {
  kind: 'logisticRegression';
  params: LogisticRegressionParams;
  featureNames: string[];
  nClasses: number;
  /** Binary: one row (weights for class 1). Multiclass: one row per class. */
  coefficients: number[][];
  intercepts: number[];
  iterations: number;
  converged: boolean;
}

type FittedState = Omit<LogisticRegressionJSON, 'kind' | 'params'>;

function copyState(state: FittedState): FittedState {
  return {
    featureNames: [...state.featureNames],
    nClasses: state.nClasses,
    coefficients: state.coefficients.map((row) => [...row]),
    intercepts: [...state.intercepts],
    iterations: state.iterations,
    converged: state.converged,
  };
}

/**
 * L2-penalised logistic regression with the same objective as scikit-learn's
 * LogisticRegression(C = 1/l2): a single sigmoid weight vector for two classes, a multinomial
 * softmax for more, intercepts unpenalised. The loss and its gradient run in float64 JavaScript
 * over the caller's matrix, except several classes on a mid-sized dense table, whose products run
 * on TensorFlow.js; the optimiser itself (preconditioned L-BFGS) runs in float64. The objective,
 * its gradient and the preconditioner live in logistic-objective.ts and the modules it names.
 */
export class LogisticRegression implements Estimator {
  readonly params: LogisticRegressionParams;
  private state: FittedState | null = null;

  constructor(params: Partial<LogisticRegressionParams> = {}) {
    const merged = { ...defaultLogisticRegressionParams, ...params };
    if (!(merged.l2 >= 0) || !Number.isFinite(merged.l2)) {
      throw new Error(`The regularisation strength must be zero or positive (got ${merged.l2}).`);
    }
    if (!Number.isInteger(merged.maxIter) || merged.maxIter < 1) {
      throw new Error(`Maximum iterations must be a whole number of at least 1 (got ${merged.maxIter}).`);
    }
    this.params = merged;
  }

  async fit(X: Matrix, y: Int32Array, options: FitOptions = {}): Promise<this> {
    const featureNames = featureNamesOf(X, options);
    const nClasses = classCountOf(y, options);
    validateTrainingData(X, y, nClasses, featureNames);
    throwIfCancelled(options.signal);
    const problem = createProblem(X, y, nClasses, sampleWeights(y, nClasses, this.params.classWeight), this.params.l2);
    const pause = createYielder();
    try {
      const outputs = problem.outputs;
      const result = await minimizeLbfgs((theta) => problem.evaluate(theta), new Float64Array(problem.size), {
        maxIterations: this.params.maxIter,
        stepTolerance: 1e-8,
        gradientTolerance: 1e-6 * problem.totalWeight,
        // SciPy's default ftol, which scikit-learn keeps: stop once a step gains almost nothing.
        relativeDecreaseTolerance: 2.2e-9,
        precondition: problem.precondition,
        preconditionedSquare: problem.inverseSquare,
        onIteration: async (iteration, value) => {
          throwIfCancelled(options.signal);
          const meanLoss = (value / problem.totalWeight).toFixed(5);
          options.onProgress?.(iteration / this.params.maxIter, `Iteration ${iteration}: loss ${meanLoss}`);
          await pause();
          throwIfCancelled(options.signal);
        },
      });
      const { coefficients, intercepts } = toOriginalUnits(result.x, problem.means, problem.scales, outputs);
      const { iterations, converged } = result;
      this.state = { featureNames: [...featureNames], nClasses, coefficients, intercepts, iterations, converged };
      options.onProgress?.(1, result.converged ? 'Converged' : `Reached the limit of ${result.iterations} iterations before fully converging`);
      return this;
    } finally {
      problem.dispose();
    }
  }

  /** Class probabilities, rows × K row-major (K = 2 for binary: [P(0), P(1)]). */
  predictProba(X: Matrix): Float64Array {
    const state = this.fitted();
    if (X.cols !== state.featureNames.length) {
      throw new Error(`The model expects ${state.featureNames.length} feature columns but got ${X.cols}.`);
    }
    const K = state.nClasses;
    const scores = new Float64Array(state.coefficients.length);
    const proba = new Float64Array(X.rows * K);
    const row = new Float64Array(X.cols);
    for (let i = 0; i < X.rows; i++) {
      readRow(X, i, row);
      state.coefficients.forEach((weights, k) => {
        let z = state.intercepts[k];
        for (let j = 0; j < X.cols; j++) z += weights[j] * row[j];
        scores[k] = z;
      });
      if (K === 2) {
        const positive = sigmoid(scores[0]);
        proba[i * 2] = 1 - positive;
        proba[i * 2 + 1] = positive;
      } else {
        softmaxInto(scores, proba, i * K);
      }
    }
    return proba;
  }

  predict(X: Matrix): Int32Array {
    const K = this.fitted().nClasses;
    const proba = this.predictProba(X);
    const labels = new Int32Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (proba[i * K + k] > proba[i * K + best]) best = k;
      labels[i] = best;
    }
    return labels;
  }

  get coefficients(): number[][] {
    return this.fitted().coefficients.map((row) => [...row]);
  }

  get intercepts(): number[] {
    return [...this.fitted().intercepts];
  }

  get featureNames(): string[] {
    return [...this.fitted().featureNames];
  }

  /** False when training stopped at maxIter before the optimum was reached. */
  get converged(): boolean {
    return this.fitted().converged;
  }

  get iterations(): number {
    return this.fitted().iterations;
  }

  toJSON(): LogisticRegressionJSON {
    return { kind: 'logisticRegression', params: { ...this.params }, ...copyState(this.fitted()) };
  }

  static fromJSON(json: LogisticRegressionJSON): LogisticRegression {
    if (json.kind !== 'logisticRegression') throw new Error(`Expected a logistic regression model, got "${json.kind}".`);
    const expectedRows = json.nClasses === 2 ? 1 : json.nClasses;
    if (json.coefficients.length !== expectedRows || json.intercepts.length !== expectedRows) {
      throw new Error('Saved logistic regression is inconsistent: coefficient rows do not match the class count.');
    }
    const model = new LogisticRegression(json.params);
    model.state = copyState(json);
    return model;
  }

  private fitted(): FittedState {
    if (!this.state) throw new Error('The logistic regression has not been trained yet.');
    return this.state;
  }
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Error('Cancelled');
}

function validateTrainingData(X: Matrix, y: Int32Array, nClasses: number, featureNames: string[]): void {
  if (X.rows === 0) throw new Error('There are no rows to train on.');
  if (X.rows !== y.length) throw new Error(`Feature rows (${X.rows}) and labels (${y.length}) differ in count.`);
  if (featureNames.length !== X.cols) {
    throw new Error(`Got ${featureNames.length} feature names for ${X.cols} feature columns.`);
  }
  if (!Number.isInteger(nClasses) || nClasses < 2) {
    throw new Error('Classification needs at least two classes in the target.');
  }
  const counts = new Array<number>(nClasses).fill(0);
  for (const label of y) {
    if (label < 0 || label >= nClasses) throw new Error(`Label index ${label} is outside 0..${nClasses - 1}.`);
    counts[label]++;
  }
  const missing = counts.findIndex((count) => count === 0);
  if (missing >= 0) {
    throw new Error(`Class ${missing} has no rows in the training data; every class needs at least one example.`);
  }
  assertFiniteFeatures(X, featureNames);
}

/** Per-row weights; 'balanced' gives n / (K · count_k) as in sklearn's compute_class_weight. */
function sampleWeights(y: Int32Array, nClasses: number, classWeight: LogisticRegressionParams['classWeight']): Float32Array {
  const weights = new Float32Array(y.length).fill(1);
  if (classWeight === 'none') return weights;
  const counts = new Array<number>(nClasses).fill(0);
  for (const label of y) counts[label]++;
  for (let i = 0; i < y.length; i++) weights[i] = y.length / (nClasses * counts[y[i]]);
  return weights;
}
