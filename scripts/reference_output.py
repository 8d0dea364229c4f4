"""How the scikit-learn reference scripts print and store figures: plain JSON, floats at full precision."""
import json

import numpy as np


def clean(value):
    """The value with NumPy scalars and arrays turned into plain Python, floats kept to the last bit."""
    if isinstance(value, dict):
        return {key: clean(v) for key, v in value.items()}
    if isinstance(value, np.ndarray):
        return clean(value.tolist())
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, (np.floating, float)):
        return float(repr(float(value)))
    if isinstance(value, (np.integer, np.bool_)):
        return value.item()
    if isinstance(value, np.str_):
        return str(value)
    return value


def show(label, value):
    print(f'{label}: {json.dumps(clean(value))}')
