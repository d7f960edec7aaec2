#!/usr/bin/env python3
"""Reference frame classifier written from docs/npz-format.md alone, with
numpy as the reader: used to check that demo files fail the way their ground
truth says. Not the tool's scanner, not the tool's NPZ reader.

usage: classify_frame.py FILE...   prints one JSON object: path -> result
result: {"check": ..., "persons": N, "arrays": {key: {"dtype", "shape", "data"}}}
dtype is numpy's without the byte order ('f4', 'U40'); data is flattened,
non-finite values as null.
"""
import json
import math
import os
import sys

import numpy as np

PERSON_SIZES = {'smplx_root_pose': 3, 'smplx_body_pose': 63, 'smplx_lhand_pose': 45, 'smplx_rhand_pose': 45,
                'smplx_jaw_pose': 3, 'smplx_shape': 10, 'smplx_expr': 10, 'cam_trans': 3}


def plain(x):
    return None if isinstance(x, float) and not math.isfinite(x) else x


def classify(path):
    if not os.path.exists(path):
        return {'check': 'missing_file', 'persons': 0, 'arrays': {}}
    arrays = {}
    try:
        with np.load(path, allow_pickle=False) as z:  # never unpickle
            for k in z.files:
                arrays[k] = np.asarray(z[k])
    except Exception:  # not a zip, truncated, bad .npy header, object array
        return {'check': 'corrupt', 'persons': 0, 'arrays': {}}
    out = {k: {'dtype': a.dtype.str[1:], 'shape': list(a.shape), 'data': [plain(x) for x in a.reshape(-1).tolist()]}
           for k, a in arrays.items()}

    def result(check, persons):
        return {'check': check, 'persons': persons, 'arrays': out}

    if 'person_ids' not in arrays:
        return result('missing_key', 0)
    persons = int(arrays['person_ids'].size)
    if persons == 0:
        return result('no_person', 0)
    for name, size in PERSON_SIZES.items():
        a = arrays.get(f'person_0_{name}')
        if a is None:
            return result('missing_key', persons)
        if a.dtype.kind not in 'fiu' or a.size != size or not np.all(np.isfinite(a)):
            return result('invalid_value', persons)
    return result('ok', persons)


print(json.dumps({p: classify(p) for p in sys.argv[1:]}))
