/** Tree paths and sphere centres on hand-made cases (values worked out by hand). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sumFromRoot, treePaths } from '../../src/body-model/tree-paths.js';
import { emptyTerms, sphereCentre } from '../../src/body-model/sphere-centres.js';

//      0
//     / \
//    1   4
//    |
//    2
//    |
//    3
const PARENTS = [-1, 0, 1, 2, 0];
const BONES = [0, 1, 2, 4, 8]; // bone j links j to its parent

test('meet, anchor and path sums follow the tree', () => {
  const p = treePaths(PARENTS);
  const reach = sumFromRoot(PARENTS, (j) => BONES[j]);
  assert.deepEqual([...reach], [0, 1, 3, 7, 8]);
  assert.equal(p.meet(3, 4), 0);
  assert.equal(p.meet(3, 1), 1);
  assert.equal(p.along(reach, 3, 4), 1 + 2 + 4 + 8);
  assert.equal(p.along(reach, 1, 3), 2 + 4);
  // j an ancestor of k: j's child on the way to k; otherwise j itself.
  assert.equal(p.anchor(0, 3), 1);
  assert.equal(p.anchor(1, 3), 2);
  assert.equal(p.anchor(2, 3), 3);
  assert.equal(p.anchor(3, 1), 3);
  assert.equal(p.anchor(4, 3), 4);
  assert.equal(p.anchor(3, 3), 3);
});

test('a sphere centre moves to the middle of its points and its radius is exact there', () => {
  // Two points 10 apart on x, weight 1: the best centre is their midpoint, radius 5 (from o = 0: 10).
  const t = emptyTerms();
  for (const x of [0, 10]) { t.w.push(1); t.c.push(0); t.p.push(x, 0, 0); t.start.push(t.w.length); }
  const { centre, radius } = sphereCentre(t);
  assert.ok(Math.abs(centre[0] - 5) < 0.05 && Math.abs(centre[1]) < 0.05 && Math.abs(centre[2]) < 0.05, `centre ${[...centre]}`);
  assert.ok(radius >= 5 && radius < 5.05, `radius ${radius}`);
  // The radius is the max bound at that centre: |p − o| over both points.
  assert.ok(Math.abs(radius - Math.max(Math.hypot(centre[0], centre[1], centre[2]), Math.hypot(10 - centre[0], centre[1], centre[2]))) < 1e-9);
  // A term c + |o| (a parent's transform) pulls the centre back towards the joint: 0.5·|x − o| + 0.5·(4 + |o|) at x = 10 is 7 for any o on [0, 10].
  const u = emptyTerms();
  u.w.push(0.5, 0.5); u.c.push(0, 4); u.p.push(10, 0, 0, 0, 0, 0); u.start.push(2);
  assert.ok(Math.abs(sphereCentre(u).radius - 7) < 1e-9);
});
