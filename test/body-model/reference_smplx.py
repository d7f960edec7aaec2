#!/usr/bin/env python3
"""Float64 numpy re-implementation of smplx's SMPLX forward pass (smplx/lbs.py,
smplx/body_models.py), the reference our TypeScript forward pass is checked
against. numpy only: torch and smplx are not needed.

usage: reference_smplx.py MODEL.npz PARAMS.npz OUT.npz [--flat-hand-mean] [--person I]

PARAMS.npz: root_pose (3), body_pose (63), lhand_pose (45), rhand_pose (45),
jaw_pose (3), betas (n), expr (m), cam_trans (3). With --person I it is a
frame file as the input contract gives it (docs/npz-format.md), read here
with numpy: person_I_smplx_root_pose, …, person_I_smplx_shape,
person_I_smplx_expr, person_I_cam_trans.
OUT.npz: vertices (V,3), joints (55,3), both + cam_trans.
"""
import sys

import numpy as np

SHAPE_SPACE_DIM = 300
EXPRESSION_SPACE_DIM = 100


def batch_rodrigues(rot_vecs, epsilon=1e-8):
    """(N,3) axis-angle -> (N,3,3), with smplx's +1e-8 inside the norm."""
    angle = np.linalg.norm(rot_vecs + epsilon, axis=1, keepdims=True)
    rot_dir = rot_vecs / angle
    cos = np.cos(angle)[:, :, None]
    sin = np.sin(angle)[:, :, None]
    rx, ry, rz = rot_dir[:, 0], rot_dir[:, 1], rot_dir[:, 2]
    zeros = np.zeros_like(rx)
    K = np.stack([zeros, -rz, ry, rz, zeros, -rx, -ry, rx, zeros], axis=1).reshape(-1, 3, 3)
    ident = np.eye(3)[None]
    return ident + sin * K + (1 - cos) * np.matmul(K, K)


def blend_shapes(betas, shape_disps):
    """(NB,), (V,3,NB) -> (V,3)"""
    return np.einsum('l,mkl->mk', betas, shape_disps)


def vertices2joints(J_regressor, vertices):
    """(J,V), (V,3) -> (J,3)"""
    return np.einsum('ik,ji->jk', vertices, J_regressor)


def transform_mat(R, t):
    """(N,3,3), (N,3,1) -> (N,4,4)"""
    top = np.concatenate([R, t], axis=2)
    bottom = np.tile(np.array([[[0.0, 0.0, 0.0, 1.0]]]), (R.shape[0], 1, 1))
    return np.concatenate([top, bottom], axis=1)


def batch_rigid_transform(rot_mats, joints, parents):
    """(J,3,3), (J,3), (J,) -> posed joints (J,3), relative transforms (J,4,4)"""
    joints = joints[:, :, None]
    rel_joints = joints.copy()
    rel_joints[1:] -= joints[parents[1:]]
    transforms_mat = transform_mat(rot_mats, rel_joints)
    chain = [transforms_mat[0]]
    for i in range(1, parents.shape[0]):
        chain.append(chain[parents[i]] @ transforms_mat[i])
    transforms = np.stack(chain, axis=0)
    posed_joints = transforms[:, :3, 3]
    joints_homogen = np.concatenate([joints, np.zeros((joints.shape[0], 1, 1))], axis=1)
    tj = transforms @ joints_homogen  # (J,4,1)
    rel = transforms - np.concatenate([np.zeros((joints.shape[0], 4, 3)), tj], axis=2)
    return posed_joints, rel


def lbs(betas, pose, v_template, shapedirs, posedirs, J_regressor, parents, lbs_weights):
    v_shaped = v_template + blend_shapes(betas, shapedirs)
    J = vertices2joints(J_regressor, v_shaped)
    rot_mats = batch_rodrigues(pose.reshape(-1, 3))
    pose_feature = (rot_mats[1:] - np.eye(3)).reshape(-1)
    pose_offsets = (pose_feature @ posedirs).reshape(-1, 3)
    v_posed = pose_offsets + v_shaped
    J_transformed, A = batch_rigid_transform(rot_mats, J, parents)
    T = (lbs_weights @ A.reshape(J.shape[0], 16)).reshape(-1, 4, 4)
    v_homo = np.concatenate([v_posed, np.ones((v_posed.shape[0], 1))], axis=1)
    verts = np.einsum('vij,vj->vi', T, v_homo)[:, :3]
    return verts, J_transformed


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    model_path, params_path, out_path = argv[:3]
    flat_hand_mean = '--flat-hand-mean' in argv[3:]
    m = np.load(model_path, allow_pickle=False)  # lazy: pickled entries are never read
    p = np.load(params_path, allow_pickle=False)
    if '--person' in argv[3:]:
        i = int(argv[argv.index('--person') + 1])
        frame_keys = {'root_pose': 'smplx_root_pose', 'body_pose': 'smplx_body_pose', 'lhand_pose': 'smplx_lhand_pose',
                      'rhand_pose': 'smplx_rhand_pose', 'jaw_pose': 'smplx_jaw_pose', 'betas': 'smplx_shape',
                      'expr': 'smplx_expr', 'cam_trans': 'cam_trans'}
        p = {k: p[f'person_{i}_{v}'] for k, v in frame_keys.items()}
    f64 = lambda k: np.asarray(m[k], dtype=np.float64)

    shapedirs = f64('shapedirs')
    if shapedirs.ndim < 3:
        shapedirs = shapedirs[:, :, None]
    K = shapedirs.shape[-1]
    if K < SHAPE_SPACE_DIM + EXPRESSION_SPACE_DIM:
        shape_end, expr_start, expr_end = 10, 10, 20
    else:
        shape_end, expr_start, expr_end = SHAPE_SPACE_DIM, SHAPE_SPACE_DIM, SHAPE_SPACE_DIM + EXPRESSION_SPACE_DIM
    betas = np.asarray(p['betas'], dtype=np.float64).reshape(-1)
    expr = np.asarray(p['expr'], dtype=np.float64).reshape(-1)
    nb = min(len(betas), min(K, shape_end))
    ne = min(len(expr), max(0, min(K, expr_end) - expr_start))
    dirs = np.concatenate([shapedirs[:, :, :nb], shapedirs[:, :, expr_start:expr_start + ne]], axis=2)
    coeffs = np.concatenate([betas[:nb], expr[:ne]])

    posedirs = f64('posedirs')
    posedirs = posedirs.reshape(-1, posedirs.shape[-1]).T  # (486, 3V), as smplx stores it
    parents = np.asarray(m['kintree_table'][0]).astype(np.int64)
    parents[0] = -1

    lmean = np.zeros(45) if flat_hand_mean else f64('hands_meanl').reshape(-1)
    rmean = np.zeros(45) if flat_hand_mean else f64('hands_meanr').reshape(-1)
    g = lambda k: np.asarray(p[k], dtype=np.float64).reshape(-1)
    full_pose = np.concatenate([
        g('root_pose'), g('body_pose'), g('jaw_pose'), np.zeros(3), np.zeros(3),
        g('lhand_pose') + lmean, g('rhand_pose') + rmean,
    ])
    verts, joints = lbs(coeffs, full_pose, f64('v_template'), dirs, posedirs,
                        f64('J_regressor'), parents, f64('weights'))
    t = g('cam_trans')
    np.savez(out_path, vertices=verts + t, joints=joints + t)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
