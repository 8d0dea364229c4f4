/** Stand-in for a non-positive curvature, as in libsvm. */
export const TAU = 1e-12;

/**
 * The two-variable subproblem of SMO in closed form, exactly as libsvm computes it: α_i and α_j
 * move along the line that keeps y_i·α_i + y_j·α_j fixed, to the minimum of the objective on
 * that line, and are then clipped back into the box 0 ≤ α ≤ C. Qij is the signed kernel entry
 * y_i·y_j·K(x_i, x_j), QDi and QDj the diagonal, Gi and Gj the gradient at i and j.
 */
export function solvePair(
  alpha: Float64Array,
  i: number,
  j: number,
  sameLabel: boolean,
  Gi: number,
  Gj: number,
  QDi: number,
  QDj: number,
  Qij: number,
  Ci: number,
  Cj: number,
): void {
  if (sameLabel) {
    let quadratic = QDi + QDj - 2 * Qij;
    if (quadratic <= 0) quadratic = TAU;
    clipSameLabels(alpha, i, j, (Gi - Gj) / quadratic, Ci, Cj);
  } else {
    let quadratic = QDi + QDj + 2 * Qij;
    if (quadratic <= 0) quadratic = TAU;
    clipOppositeLabels(alpha, i, j, (-Gi - Gj) / quadratic, Ci, Cj);
  }
}

/** Labels differ: α_i − α_j stays fixed while both move by delta. */
function clipOppositeLabels(alpha: Float64Array, i: number, j: number, delta: number, Ci: number, Cj: number): void {
  const diff = alpha[i] - alpha[j];
  alpha[i] += delta;
  alpha[j] += delta;
  if (diff > 0) {
    if (alpha[j] < 0) {
      alpha[j] = 0;
      alpha[i] = diff;
    }
  } else if (alpha[i] < 0) {
    alpha[i] = 0;
    alpha[j] = -diff;
  }
  if (diff > Ci - Cj) {
    if (alpha[i] > Ci) {
      alpha[i] = Ci;
      alpha[j] = Ci - diff;
    }
  } else if (alpha[j] > Cj) {
    alpha[j] = Cj;
    alpha[i] = Cj + diff;
  }
}

/** Labels agree: α_i + α_j stays fixed while delta moves from α_i to α_j. */
function clipSameLabels(alpha: Float64Array, i: number, j: number, delta: number, Ci: number, Cj: number): void {
  const sum = alpha[i] + alpha[j];
  alpha[i] -= delta;
  alpha[j] += delta;
  if (sum > Ci) {
    if (alpha[i] > Ci) {
      alpha[i] = Ci;
      alpha[j] = sum - Ci;
    }
  } else if (alpha[j] < 0) {
    alpha[j] = 0;
    alpha[i] = sum;
  }
  if (sum > Cj) {
    if (alpha[j] > Cj) {
      alpha[j] = Cj;
      alpha[i] = sum - Cj;
    }
  } else if (alpha[i] < 0) {
    alpha[i] = 0;
    alpha[j] = sum;
  }
}
