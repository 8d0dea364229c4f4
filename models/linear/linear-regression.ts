import { featureNamesOf, type Estimator, type FitOptions } from '../estimator';
import type { Matrix } from '../frame';
import { assertFiniteFeatures, leastSquaresQR, standardizationMoments, type DependentColumn } from '../linalg';

export interface LinearRegressionParams {
  /** Polynomial degree of the feature expansion, 1..5 (1 = plain linear model). */
  degree: number;
  /** Ridge penalty alpha; 0 = ordinary least squares. The intercept is never penalised. */
  l2: number;
}

export interface LinearRegressionJSON {
  kind: 'linearRegression';
  params: LinearRegressionParams;
  featureNames: string[];
  expandedNames: string[];
  intercept: number;
  coefficients: number[];
  /** Plain-language notes from fitting, such as redundant features that were left out. */
  warnings?: string[];
}

/** Beyond this many expanded columns the fit gets slow and the model is rarely meaningful. */
const MAX_EXPANDED_FEATURES = 400;

/**
 * Least-squares linear model on (optionally polynomial) features, matching scikit-learn's
 * LinearRegression (l2 = 0) or Ridge (l2 > 0) on PolynomialFeatures(degree, include_bias=False).
 */
export class LinearRegression implements Estimator {
  readonly params: LinearRegressionParams;
  private state: {
    featureNames: string[];
    expandedNames: string[];
    intercept: number;
    coefficients: number[];
    warnings: string[];
  } | null = null;

  constructor(params: LinearRegressionParams) {
    if (!Number.isInteger(params.degree) || params.degree < 1 || params.degree > 5) {
      throw new Error(`Polynomial degree must be a whole number from 1 to 5 (got ${params.degree}).`);
    }
    if (!(params.l2 >= 0) || !Number.isFinite(params.l2)) {
      throw new Error(`The regularisation strength must be zero or positive (got ${params.l2}).`);
    }
    this.params = { ...params };
  }

  /** Uses `featureNames`; the fit is one direct solve, so there is nothing to cancel or report midway. */
  fit(X: Matrix, y: Float64Array, options: FitOptions = {}): this {
    const featureNames = featureNamesOf(X, options);
    validateTrainingData(X, y, featureNames);
    const expandedNames = polynomialFeatureNames(featureNames, this.params.degree);
    if (expandedNames.length > MAX_EXPANDED_FEATURES) {
      throw new Error(
        `Degree ${this.params.degree} turns ${featureNames.length} features into ${expandedNames.length} columns, ` +
          `more than the ${MAX_EXPANDED_FEATURES} this model can fit; choose fewer features or a lower degree.`,
      );
    }
    const expanded = polynomialFeatures(X, this.params.degree);
    const { intercept, coefficients, dependent } = solveCenteredLeastSquares(expanded, y, this.params.l2);
    this.state = {
      featureNames: [...featureNames],
      expandedNames,
      intercept,
      coefficients: Array.from(coefficients),
      warnings: dependent.map((d) => describeRedundancy(d, expandedNames)),
    };
    return this;
  }

  predict(X: Matrix): Float64Array {
    const state = this.fitted();
    if (X.cols !== state.featureNames.length) {
      throw new Error(`The model expects ${state.featureNames.length} feature columns but got ${X.cols}.`);
    }
    const expanded = polynomialFeatures(X, this.params.degree);
    const predictions = new Float64Array(X.rows);
    const p = expanded.cols;
    for (let i = 0; i < X.rows; i++) {
      let sum = state.intercept;
      for (let j = 0; j < p; j++) sum += state.coefficients[j] * expanded.data[i * p + j];
      predictions[i] = sum;
    }
    return predictions;
  }

  get intercept(): number {
    return this.fitted().intercept;
  }

  get coefficients(): number[] {
    return [...this.fitted().coefficients];
  }

  get expandedNames(): string[] {
    return [...this.fitted().expandedNames];
  }

  get featureNames(): string[] {
    return [...this.fitted().featureNames];
  }

  /** Plain-language notes from fitting (e.g. a feature that duplicates another was left out). */
  get warnings(): string[] {
    return [...this.fitted().warnings];
  }

  toJSON(): LinearRegressionJSON {
    const state = this.fitted();
    return {
      kind: 'linearRegression',
      params: { ...this.params },
      featureNames: [...state.featureNames],
      expandedNames: [...state.expandedNames],
      intercept: state.intercept,
      coefficients: [...state.coefficients],
      warnings: [...state.warnings],
    };
  }

  static fromJSON(json: LinearRegressionJSON): LinearRegression {
    if (json.kind !== 'linearRegression') throw new Error(`Expected a linear regression model, got "${json.kind}".`);
    if (json.coefficients.length !== json.expandedNames.length) {
      throw new Error('Saved linear regression is inconsistent: coefficient and feature counts differ.');
    }
    const model = new LinearRegression(json.params);
    model.state = {
      featureNames: [...json.featureNames],
      expandedNames: [...json.expandedNames],
      intercept: json.intercept,
      coefficients: [...json.coefficients],
      warnings: [...(json.warnings ?? [])],
    };
    return model;
  }

  private fitted() {
    if (!this.state) throw new Error('The linear regression has not been trained yet.');
    return this.state;
  }
}

function validateTrainingData(X: Matrix, y: Float64Array, featureNames: string[]): void {
  if (X.rows === 0) throw new Error('There are no rows to train on.');
  if (X.rows !== y.length) throw new Error(`Feature rows (${X.rows}) and target values (${y.length}) differ in count.`);
  if (featureNames.length !== X.cols) {
    throw new Error(`Got ${featureNames.length} feature names for ${X.cols} feature columns.`);
  }
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) throw new Error(`The target has a missing or infinite value at row ${i + 1}.`);
  }
  assertFiniteFeatures(X, featureNames);
}

/**
 * Fits on mean-centred data so the intercept drops out (and stays unpenalised), with columns
 * scaled to unit length so the QR redundancy test and the ridge penalty are well conditioned.
 * Ridge is solved as least squares on A stacked over sqrt(alpha)·I, again without forming AᵀA.
 */
function solveCenteredLeastSquares(X: Matrix, y: Float64Array, alpha: number) {
  const { rows: n, cols: p } = X;
  const { means, scales: deviations, constant } = standardizationMoments(X);
  // Unit-length columns: constant ones stay all zero, so QR reports them as redundant.
  const scales = Float64Array.from(deviations, (sd, j) => (constant[j] ? 0 : sd * Math.sqrt(n)));
  const yMean = y.reduce((sum, v) => sum + v, 0) / n;

  const augmentedRows = alpha > 0 ? n + p : n;
  const a = new Float64Array(augmentedRows * p);
  const b = new Float64Array(augmentedRows);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) {
      a[i * p + j] = scales[j] === 0 ? 0 : (X.data[i * p + j] - means[j]) / scales[j];
    }
    b[i] = y[i] - yMean;
  }
  if (alpha > 0) {
    for (let j = 0; j < p; j++) a[(n + j) * p + j] = Math.sqrt(alpha) / (scales[j] || 1);
  }

  const { solution, dependent } = leastSquaresQR(a, augmentedRows, p, b);
  const coefficients = new Float64Array(p);
  let intercept = yMean;
  for (let j = 0; j < p; j++) {
    coefficients[j] = scales[j] === 0 ? 0 : solution[j] / scales[j];
    intercept -= coefficients[j] * means[j];
  }
  return { intercept, coefficients, dependent };
}

function describeRedundancy(redundancy: DependentColumn, names: string[]): string {
  const name = names[redundancy.column];
  const others = redundancy.dependsOn.map((j) => names[j]);
  if (others.length === 0) {
    return `The feature ${name} has the same value in every row, so it was left out (coefficient 0).`;
  }
  if (others.length === 1) {
    return `The features ${others[0]} and ${name} are perfectly correlated; ${name} was left out (coefficient 0). Remove one of them.`;
  }
  return `The feature ${name} is an exact combination of ${others.join(', ')}, so it was left out (coefficient 0).`;
}

/**
 * Index tuples of every monomial up to `degree`, in scikit-learn's PolynomialFeatures order:
 * by total degree, then lexicographically (combinations with replacement).
 */
export function polynomialTerms(featureCount: number, degree: number): number[][] {
  const terms: number[][] = [];
  const extend = (prefix: number[], from: number, remaining: number) => {
    if (remaining === 0) {
      terms.push(prefix);
      return;
    }
    for (let j = from; j < featureCount; j++) extend([...prefix, j], j, remaining - 1);
  };
  for (let d = 1; d <= degree; d++) extend([], 0, d);
  return terms;
}

/** Same column order as scikit-learn's PolynomialFeatures(degree, include_bias=False). */
export function polynomialFeatures(X: Matrix, degree: number): Matrix {
  if (degree === 1) return { data: Float64Array.from(X.data), rows: X.rows, cols: X.cols };
  const terms = polynomialTerms(X.cols, degree);
  const cols = terms.length;
  const data = new Float64Array(X.rows * cols);
  for (let i = 0; i < X.rows; i++) {
    const rowStart = i * X.cols;
    terms.forEach((term, t) => {
      let product = 1;
      for (const j of term) product *= X.data[rowStart + j];
      data[i * cols + t] = product;
    });
  }
  return { data, rows: X.rows, cols };
}

/** Readable names for the expanded columns, e.g. "TV", "TV^2", "TV × Radio". */
export function polynomialFeatureNames(names: string[], degree: number): string[] {
  return polynomialTerms(names.length, degree).map((term) => {
    const parts: string[] = [];
    let start = 0;
    while (start < term.length) {
      let end = start;
      while (end < term.length && term[end] === term[start]) end++;
      const power = end - start;
      parts.push(power === 1 ? names[term[start]] : `${names[term[start]]}^${power}`);
      start = end;
    }
    return parts.join(' × ');
  });
}
