"""An OSX-format sequence and an SMPL-X-layout body model written by numpy itself,
independently of batch-render's own writer, with every failure case of the data
contract. Prints the expected check of every frame as JSON.

usage: numpy_sequence.py OUT_DIR MODEL_PATH FRAMES VERTICES
"""
import json, os, sys, zipfile
import numpy as np

out, model_path, frames, V = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rng = np.random.default_rng(1234)
os.makedirs(out, exist_ok=True)

# --- body model: a random but valid rig with V vertices, float64, compressed, with pickled extras.
parents = [-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 15, 15, 15,
           20, 25, 26, 20, 28, 29, 20, 31, 32, 20, 34, 35, 20, 37, 38,
           21, 40, 41, 21, 43, 44, 21, 46, 47, 21, 49, 50, 21, 52, 53]
joints = np.zeros((55, 3))
for j in range(1, 55):
    joints[j] = joints[parents[j]] + rng.normal(0, 0.08, 3) + np.array([0, 0.1 if j < 22 else 0.02, 0])
owner = rng.integers(0, 55, V)
v_template = joints[owner] + rng.normal(0, 0.03, (V, 3))
weights = np.zeros((V, 55))
weights[np.arange(V), owner] = 0.7
weights[np.arange(V), [max(parents[o], 0) for o in owner]] += 0.3
J_regressor = np.zeros((55, V))
for j in range(55):
    idx = np.where(owner == j)[0]
    if len(idx) == 0:
        idx = np.array([j % V])
    J_regressor[j, idx] = 1.0 / len(idx)
faces = np.stack([rng.permutation(V)[:3] for _ in range(2 * V)]).astype(np.uint32)
kintree = np.array([[4294967295] + parents[1:], list(range(55))], dtype=np.int64)
np.savez_compressed(model_path,
    v_template=v_template, f=faces, J_regressor=J_regressor, weights=weights, kintree_table=kintree,
    shapedirs=rng.normal(0, 1e-3, (V, 3, 400)), posedirs=rng.normal(0, 1e-3, (V, 3, 486)),
    hands_meanl=rng.normal(0, 0.1, 45), hands_meanr=rng.normal(0, 0.1, 45),
    joint2num=np.array({'pelvis': 0}, dtype=object), part2num=np.array([{'a': 1}], dtype=object),
    allow_pickle=np.array(True))

# --- frames
def person(i):
    return {
        f'person_{i}_smplx_root_pose': np.array([np.pi, 0, 0]) + rng.normal(0, 0.05, 3),
        f'person_{i}_smplx_body_pose': rng.normal(0, 0.2, 63),
        f'person_{i}_smplx_lhand_pose': rng.normal(0, 0.3, 45),
        f'person_{i}_smplx_rhand_pose': rng.normal(0, 0.3, 45),
        f'person_{i}_smplx_jaw_pose': rng.normal(0, 0.1, 3),
        f'person_{i}_smplx_shape': rng.normal(0, 0.5, 10),
        f'person_{i}_smplx_expr': rng.normal(0, 0.5, 10),
        f'person_{i}_cam_trans': np.array([rng.normal(0, 0.1), rng.normal(0.3, 0.05), 7 + rng.normal(0, 0.3)]),
        f'person_{i}_focal': np.array([5000.0, 5000.0]),
        f'person_{i}_princpt': np.array([640.0, 360.0]),
    }

cases = ['ok'] * frames
def put(kind, count):
    free = [k for k in range(1, frames - 1) if cases[k] == 'ok']
    for k in rng.choice(free, count, replace=False):
        cases[k] = kind
cases[0] = 'no_person'
for kind, n in [('no_person', frames // 8), ('missing_key', 3), ('corrupt_trunc', 2), ('corrupt_notzip', 2),
                ('corrupt_header', 1), ('corrupt_object', 2), ('invalid_nan', 2), ('invalid_inf', 1),
                ('invalid_len', 2), ('missing_file', 2), ('two_people', 5), ('big_endian', 5), ('shapes', 5)]:
    put(kind, n)

expected = {}
common = lambda: {'image_path': np.array('/data/v.mp4'), 'image_size': np.array([720, 1280]),
                  'cfg_output_hm_shape': np.array([16, 16, 12]), 'cfg_input_img_shape': np.array([512, 384])}
for k, case in enumerate(cases):
    frame = k + 1
    path = os.path.join(out, f'frame_{frame:04d}_params.npz')
    d = common()
    check = {'no_person': 'no_person', 'missing_key': 'missing_key', 'missing_file': 'missing_file'}.get(case)
    if case.startswith('corrupt'):
        check = 'corrupt'
    elif case.startswith('invalid'):
        check = 'invalid_value'
    elif check is None:
        check = 'ok'
    expected[frame] = check
    if case == 'missing_file':
        continue
    if case == 'no_person':
        d['person_ids'] = np.zeros((0,), dtype=np.int64)
    else:
        d['person_ids'] = np.array([0, 1] if case == 'two_people' else [0])
        d.update(person(0))
        if case == 'two_people':
            d.update(person(1))
    if case == 'missing_key':
        del d['person_0_smplx_lhand_pose']
    if case == 'invalid_nan':
        d['person_0_smplx_body_pose'][7] = np.nan
    if case == 'invalid_inf':
        d['person_0_smplx_jaw_pose'][1] = np.inf
    if case == 'invalid_len':
        d['person_0_smplx_rhand_pose'] = d['person_0_smplx_rhand_pose'][:42]
    if case == 'big_endian':
        d = {key: (v.astype(v.dtype.newbyteorder('>')) if v.dtype.kind == 'f' else v) for key, v in d.items()}
    if case == 'shapes':
        d['person_0_smplx_body_pose'] = d['person_0_smplx_body_pose'].reshape(21, 3)
        d['person_0_smplx_root_pose'] = d['person_0_smplx_root_pose'].reshape(1, 3)
        d['person_0_cam_trans'] = d['person_0_cam_trans'].reshape(1, 3).astype(np.float32)
    if case == 'corrupt_object':
        d['person_0_smplx_expr'] = np.array([1, 'x', None], dtype=object)
    np.savez(path, **d)
    if case == 'corrupt_trunc':
        data = open(path, 'rb').read()
        open(path, 'wb').write(data[: len(data) // 3])
    if case == 'corrupt_notzip':
        open(path, 'wb').write(b'version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 5123\n')
    if case == 'corrupt_header':
        # Rewrite one member with a broken .npy header inside a valid zip.
        tmp = path + '.tmp.zip'
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, 'w') as dst:
            for item in src.infolist():
                blob = src.read(item.filename)
                if item.filename == 'person_0_smplx_body_pose.npy':
                    blob = blob[:8] + b'\xff\xff' + blob[10:]
                dst.writestr(item, blob)
        os.replace(tmp, path)
print(json.dumps(expected))
