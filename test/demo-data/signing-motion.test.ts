import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signingFrame, handshapeAt, handPose, HANDSHAPE_PARAMS, HANDSHAPES, HANDSHAPE_FRAMES } from '../../src/demo-data/signing-motion.js';
import { poseSkeleton, JOINT } from '../../src/demo-data/approx-skeleton.js';
import { aaToMat, matVec, matToAa, composeAa, mirrorAa } from '../../src/body-model/axis-angle.js';

const FRAMES = 300;
const all = Array.from({ length: FRAMES }, (_, i) => signingFrame(i));

test('rotation helpers round-trip, including angles near π', () => {
  for (const aa of [[0.3, -0.2, 0.1], [Math.PI, 0, 0], [3.1, 0.05, -0.04], [0, 0, 0]]) {
    const back = matToAa(aaToMat(aa));
    const m1 = aaToMat(aa), m2 = aaToMat(back);
    for (let i = 0; i < 9; i++) assert.ok(Math.abs(m1[i] - m2[i]) < 1e-9, `${aa} → ${back}`);
  }
  const r = composeAa([0, 0, Math.PI / 2], [Math.PI / 2, 0, 0]);
  const v = matVec(aaToMat(r), [0, 1, 0]); // Rx(90°) sends y to z; Rz(90°) keeps z
  for (const [i, want] of [0, 0, 1].entries()) assert.ok(Math.abs(v[i] - want) < 1e-12);
});

test('every frame has the SMPL-X sizes and finite values; same index, same values', () => {
  for (const p of all) {
    assert.equal(p.rootPose.length, 3);
    assert.equal(p.bodyPose.length, 63);
    assert.equal(p.lhandPose.length, 45);
    assert.equal(p.rhandPose.length, 45);
    assert.equal(p.jawPose.length, 3);
    assert.equal(p.betas.length, 10);
    assert.equal(p.expr.length, 10);
    assert.equal(p.camTrans.length, 3);
    for (const a of Object.values(p)) for (const x of a) assert.ok(Number.isFinite(x));
  }
  assert.deepEqual(signingFrame(123), signingFrame(123));
  assert.notDeepEqual(signingFrame(123, { seed: 5 }).bodyPose, signingFrame(123).bodyPose);
});

test('root is the OSX half turn about x, with only a small sway', () => {
  for (const p of all) {
    const m = aaToMat(p.rootPose);
    // Body up (+y) → camera −y (up in the image); body forward (+z) → camera −z (toward the camera).
    assert.ok(matVec(m, [0, 1, 0])[1] < -0.99);
    assert.ok(matVec(m, [0, 0, 1])[2] < -0.99);
    assert.ok(matVec(m, [1, 0, 0])[0] > 0.99);
  }
});

test('in camera space the person stands upright, facing the camera, hands in front of the chest', () => {
  for (const [i, p] of all.entries()) {
    const { joints: j } = poseSkeleton(p.rootPose, p.bodyPose, p.camTrans);
    const chest = j[JOINT.spine3], neck = j[JOINT.neck], pelvis = j[JOINT.pelvis];
    assert.ok(j[JOINT.head][1] < neck[1] && neck[1] < pelvis[1] && pelvis[1] < j[JOINT.lAnkle][1], `frame ${i}: not upright`);
    for (const w of [JOINT.lWrist, JOINT.rWrist]) {
      const wr = j[w];
      assert.ok(wr[2] < chest[2] - 0.12, `frame ${i}: wrist ${w} not in front of the chest (z ${wr[2]} vs ${chest[2]})`);
      assert.ok(wr[1] > neck[1] && wr[1] < pelvis[1] - 0.1, `frame ${i}: wrist ${w} not at chest height`);
      // Elbows bent: wrist above its elbow.
      assert.ok(wr[1] < j[w - 2][1], `frame ${i}: elbow not bent up`);
    }
    // Subject's left is image right.
    assert.ok(j[JOINT.lWrist][0] > j[JOINT.rWrist][0]);
    assert.ok(j[JOINT.lShoulder][0] > j[JOINT.rShoulder][0]);
  }
});

test('wrists trace loops, not lines or points', () => {
  let ySpan = [Infinity, -Infinity], zSpan = [Infinity, -Infinity];
  for (const p of all) {
    const w = poseSkeleton([0, 0, 0], p.bodyPose).joints[JOINT.rWrist];
    ySpan = [Math.min(ySpan[0], w[1]), Math.max(ySpan[1], w[1])];
    zSpan = [Math.min(zSpan[0], w[2]), Math.max(zSpan[1], w[2])];
  }
  assert.ok(ySpan[1] - ySpan[0] > 0.06 && zSpan[1] - zSpan[0] > 0.03, `spans y ${ySpan} z ${zSpan}`);
});

test('camera translation drifts slowly within the OSX range', () => {
  for (const p of all) {
    const [x, y, z] = p.camTrans;
    assert.ok(x >= -0.01 && x <= 0.11 && y >= 0.19 && y <= 0.31 && z >= 5.99 && z <= 7.01, `${p.camTrans}`);
  }
  for (let i = 1; i < FRAMES; i++) assert.ok(Math.abs(all[i].camTrans[2] - all[i - 1].camTrans[2]) < 0.01);
});

test('handshapes change about every 15 frames, cover all shapes, and blend smoothly', () => {
  for (const hand of ['left', 'right'] as const) {
    const seen = new Set<string>();
    let changes = 0;
    for (let i = 0; i < FRAMES; i++) {
      const s = handshapeAt(i, hand);
      seen.add(s.from);
      assert.notEqual(s.from, s.to);
      if (i > 0 && handshapeAt(i - 1, hand).from !== s.from) changes++;
    }
    assert.deepEqual([...seen].sort(), [...HANDSHAPES].sort());
    assert.ok(Math.abs(changes - FRAMES / HANDSHAPE_FRAMES) <= 1, `${changes} changes`);
  }
  let maxStep = 0, maxRange = 0;
  for (let k = 0; k < 45; k++) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < FRAMES; i++) {
      const v = all[i].rhandPose[k];
      lo = Math.min(lo, v); hi = Math.max(hi, v);
      if (i > 0) maxStep = Math.max(maxStep, Math.abs(v - all[i - 1].rhandPose[k]));
    }
    maxRange = Math.max(maxRange, hi - lo);
  }
  assert.ok(maxRange > 1.2, `fingers barely move (${maxRange})`);
  assert.ok(maxStep < 0.5, `a finger jumps ${maxStep} rad in one frame`);
});

test('the right hand mirrors the left for the same shape', () => {
  for (const s of HANDSHAPES) {
    const l = handPose(HANDSHAPE_PARAMS[s], 'left');
    const r = handPose(HANDSHAPE_PARAMS[s], 'right');
    for (let j = 0; j < 15; j++) {
      const m = mirrorAa(l.subarray(j * 3, j * 3 + 3));
      for (let c = 0; c < 3; c++) assert.ok(Math.abs(m[c] - r[j * 3 + c]) < 1e-12);
    }
  }
  // Fist curls the left index toward the palm (−y): about −z.
  const fist = handPose(HANDSHAPE_PARAMS.fist, 'left');
  assert.ok(fist[2] < -1);
});

test('jaw opens a little; betas and expression stay constant', () => {
  const jaw = all.map((p) => p.jawPose[0]);
  assert.ok(Math.min(...jaw) >= 0 && Math.max(...jaw) <= 0.25 && Math.max(...jaw) - Math.min(...jaw) > 0.1);
  for (const p of all) {
    assert.deepEqual(p.betas, all[0].betas);
    assert.deepEqual(p.expr, all[0].expr);
  }
});
