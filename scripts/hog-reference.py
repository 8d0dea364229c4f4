#!/usr/bin/env python3
"""Reference numbers for models/images/features.test.ts (hogFeatures).

Run with a Python that has scikit-image (Debian: apt-get install python3-skimage):
    /usr/bin/python3 scripts/hog-reference.py
and paste the printed values into the test. The figures in the test come from scikit-image 0.19.3.

Images are read as 0-255 grayscale and divided by 255, which is what hogFeatures(block, ..., 255)
does with an unscaled PixelBlock. The colour case stacks three sample photos as R, G and B.
"""
import json

import numpy as np
from PIL import Image
from skimage.feature import hog

SAMPLES = ['bag/0001.png', 'sneaker/0001.png', 'coat/0001.png']
SETTINGS = [
    {'cellSize': 4, 'orientations': 9},
    {'cellSize': 7, 'orientations': 8},
]


def load(name):
    return np.asarray(Image.open(f'samples/fashion-products/{name}').convert('L'), dtype=np.float64) / 255.0


def summary(features):
    return {
        'length': int(features.size),
        'first10': [float(v) for v in features[:10]],
        'sum': float(features.sum()),
        # Weights that depend on the position catch values landing in the wrong column.
        'weightedSum': float((features * (np.arange(features.size) % 7 + 1)).sum()),
        'firstNonzero': [[int(i), float(features[i])] for i in np.flatnonzero(features)[:10]],
    }


def describe(image, setting, channel_axis=None):
    features = hog(
        image,
        orientations=setting['orientations'],
        pixels_per_cell=(setting['cellSize'], setting['cellSize']),
        cells_per_block=(2, 2),
        block_norm='L2-Hys',
        feature_vector=True,
        channel_axis=channel_axis,
    )
    return summary(features)


def main():
    result = {}
    for name in SAMPLES:
        image = load(name)
        result[name] = {f"{s['cellSize']}/{s['orientations']}": describe(image, s) for s in SETTINGS}
    colour = np.stack([load(name) for name in SAMPLES], axis=-1)
    result['rgb'] = {f"{s['cellSize']}/{s['orientations']}": describe(colour, s, channel_axis=-1) for s in SETTINGS}
    print(json.dumps(result, indent=2))


if __name__ == '__main__':
    main()
