#!/usr/bin/env python3
"""Writes a small SMPL-X-layout body model with numpy alone (np.savez), built
independently of the TypeScript demo-body generator: a cube of 8 vertices
around each of the 55 joints of a random SMPL-X-shaped tree, skinned to its
joint and that joint's parent. With a VARIANT, one thing is broken the way a
bad file would be, for the loader's error messages.

usage: numpy_model.py OUT.npz [VARIANT]
VARIANT: ok, face_index, no_faces, nan_vertex, inf_shapedirs, no_weights,
         weights_shape, zero_weight_row, jreg_shape, posedirs_shape,
         hands_mean_length, text_template
"""
import sys

import numpy as np

J = 55
PARENTS = [-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 15, 15, 15,
           20, 25, 26, 20, 28, 29, 20, 31, 32, 20, 34, 35, 20, 37, 38,
           21, 40, 41, 21, 43, 44, 21, 46, 47, 21, 49, 50, 21, 52, 53]
CUBE = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)], dtype=np.float64)
# Two triangles per cube side, outward (corner index = 4x + 2y + z over {0,1}).
QUADS = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]


def build(rng):
    joints = np.zeros((J, 3))
    for j in range(1, J):
        d = rng.normal(size=3)
        d /= np.linalg.norm(d)
        joints[j] = joints[PARENTS[j]] + d * rng.uniform(0.05, 0.2)
    half = rng.uniform(0.02, 0.06, size=J)
    V = 8 * J
    v_template = (joints[:, None, :] + half[:, None, None] * CUBE[None]).reshape(V, 3)
    faces = []
    for j in range(J):
        for a, b, c, d in QUADS:
            faces += [[8 * j + a, 8 * j + b, 8 * j + c], [8 * j + a, 8 * j + c, 8 * j + d]]
    J_regressor = np.zeros((J, V))
    weights = np.zeros((V, J))
    for j in range(J):
        J_regressor[j, 8 * j:8 * j + 8] = 1 / 8  # the cube's centre: the joint
        if PARENTS[j] < 0:
            weights[8 * j:8 * j + 8, j] = 1.0
        else:
            weights[8 * j:8 * j + 8, j] = 0.8
            weights[8 * j:8 * j + 8, PARENTS[j]] = 0.2
    return {
        'v_template': v_template,
        'f': np.asarray(faces, dtype=np.uint32),
        'shapedirs': rng.normal(scale=0.002, size=(V, 3, 20)),
        'posedirs': rng.uniform(-1e-3, 1e-3, size=(V, 3, (J - 1) * 9)).astype(np.float32),
        'J_regressor': J_regressor,
        'weights': weights,
        'kintree_table': np.array([[4294967295] + PARENTS[1:], list(range(J))], dtype=np.int64),
        'hands_meanl': rng.uniform(-0.2, 0.2, size=45),
        'hands_meanr': rng.uniform(-0.2, 0.2, size=45),
    }


def break_it(m, variant):
    V = m['v_template'].shape[0]
    if variant == 'face_index':
        m['f'][3, 1] = V
    elif variant == 'no_faces':
        m['f'] = np.zeros((0, 3), dtype=np.uint32)
    elif variant == 'nan_vertex':
        m['v_template'][3, 1] = np.nan
    elif variant == 'inf_shapedirs':
        m['shapedirs'][V - 1, 2, 19] = np.inf
    elif variant == 'no_weights':
        del m['weights']
    elif variant == 'weights_shape':
        m['weights'] = m['weights'][:, :54]
    elif variant == 'zero_weight_row':
        m['weights'][5] = 0
    elif variant == 'jreg_shape':
        m['J_regressor'] = m['J_regressor'][:, :V - 1]
    elif variant == 'posedirs_shape':
        m['posedirs'] = m['posedirs'][:, :, :485]
    elif variant == 'hands_mean_length':
        m['hands_meanl'] = m['hands_meanl'][:44]
    elif variant == 'text_template':
        m['v_template'] = np.array(['a', 'b', 'c'])
    elif variant != 'ok':
        raise SystemExit(f'unknown variant {variant}')


def main(argv):
    out = argv[0]
    variant = argv[1] if len(argv) > 1 else 'ok'
    m = build(np.random.default_rng(7))
    break_it(m, variant)
    np.savez(out, **m)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
