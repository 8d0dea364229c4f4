/**
 * The order in which scikit-learn's best splitter tries features. When two splits are equally
 * good, the one met first wins, so following scikit-learn's order — drawn from the same random
 * stream its random_state gives — makes ties go the same way and grows the same tree.
 *
 * scikit-learn keeps one working permutation of the features for the whole fit. At each node it
 * draws features from it without replacement, skipping those already known to be constant in the
 * node, and moves features it finds constant to the front for the node's descendants.
 */
export class FeatureSampler {
  /** scikit-learn's working permutation; a node's known constant features come first. */
  readonly features: Int32Array;
  private readonly constantFeatures: Int32Array;
  private state: number;

  constructor(featureCount: number, randomState: number) {
    this.features = new Int32Array(featureCount);
    for (let j = 0; j < featureCount; j++) this.features[j] = j;
    this.constantFeatures = new Int32Array(featureCount);
    this.state = numpyRandomInt31(randomState);
  }

  /**
   * Offers every feature of a node in scikit-learn's order. `tryFeature` searches one feature and
   * returns false when the feature turns out constant in the node. Returns how many features are
   * constant in the node, which is what its children start from as known constants; the others
   * are then features[constantCount…].
   */
  visit(knownConstants: number, tryFeature: (feature: number) => boolean): number {
    const { features, constantFeatures } = this;
    const featureCount = features.length;
    let unvisitedEnd = featureCount;
    let [visited, drawnKnown, found] = [0, 0, 0];
    let constants = knownConstants;
    while (unvisitedEnd > constants && (visited < featureCount || visited <= found + drawnKnown)) {
      visited++;
      let pick = this.randomInt(drawnKnown, unvisitedEnd - found);
      if (pick < knownConstants) {
        swap(features, drawnKnown++, pick);
        continue;
      }
      pick += found;
      if (!tryFeature(features[pick])) {
        swap(features, pick, constants);
        found++;
        constants++;
        continue;
      }
      swap(features, --unvisitedEnd, pick);
    }
    // Restore the known constants' order for the node's siblings and record the newly found ones.
    features.set(constantFeatures.subarray(0, knownConstants));
    constantFeatures.set(features.subarray(knownConstants, constants), knownConstants);
    return constants;
  }

  /** scikit-learn's rand_int: low + our_rand_r() mod (high − low), an xorshift step. */
  private randomInt(low: number, high: number): number {
    let s = this.state === 0 ? 1 : this.state;
    s = (s ^ (s << 13)) >>> 0;
    s = (s ^ (s >>> 17)) >>> 0;
    s = (s ^ (s << 5)) >>> 0;
    this.state = s;
    return low + ((s % 0x80000000) % (high - low));
  }
}

function swap(values: Int32Array, i: number, j: number): void {
  const kept = values[i];
  values[i] = values[j];
  values[j] = kept;
}

const MT_SIZE = 624;

/** numpy.random.RandomState(seed).randint(0, 2³¹ − 1), the seed of a scikit-learn tree's random stream. */
function numpyRandomInt31(seed: number): number {
  const state = new Uint32Array(MT_SIZE);
  state[0] = seed >>> 0;
  for (let i = 1; i < MT_SIZE; i++) {
    const previous = state[i - 1] ^ (state[i - 1] >>> 30);
    state[i] = (Math.imul(1812433253, previous) + i) >>> 0;
  }
  twist(state);
  // numpy draws 32-bit words, masks them to 31 bits and rejects values above the range.
  for (let index = 0; ; index++) {
    if (index === MT_SIZE) {
      twist(state);
      index = 0;
    }
    const value = (temper(state[index]) & 0x7fffffff) >>> 0;
    if (value <= 0x7ffffffe) return value;
  }
}

/** One Mersenne Twister generation step (MT19937). */
function twist(state: Uint32Array): void {
  for (let i = 0; i < MT_SIZE; i++) {
    const y = (state[i] & 0x80000000) | (state[(i + 1) % MT_SIZE] & 0x7fffffff);
    state[i] = state[(i + 397) % MT_SIZE] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
  }
}

function temper(word: number): number {
  let y = word;
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >>> 18;
  return y >>> 0;
}
