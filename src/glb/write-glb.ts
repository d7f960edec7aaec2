/**
 * `--export glb`: the whole sequence as one animated, skinned glTF 2.0
 * binary (render.glb), built with @gltf-transform/core. Per person: the rest
 * mesh shaped by the mean betas, the model's skeleton as nodes, a skin with
 * the top-4 LBS weights, and one animation (a key per frame, at the run's
 * fps) of every joint's rotation and the root's translation, in the input's
 * OpenCV camera coordinates under one root node turned 180° about x (glTF is
 * y up, looking down −z). docs/glb-export.md has the layout and its limits.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Document, NodeIO, type Accessor, type Node } from '@gltf-transform/core';
import type { BodyModel } from '../body-model/body-model.js';
import { SMPLX_JOINT_NAMES } from '../body-model/body-model.js';
import { loadBodyModel } from '../body-model/load-body-model.js';
import { computeVertexNormals } from '../render/vertex-normals.js';
import { readFrameFile, type PersonSelector } from '../scan/read-frame.js';
import { outputWriteError } from '../errors.js';
import type { PersonParams, RGB } from '../types.js';
import { makeContinuous } from '../temporal/quaternion.js';
import { writeFileAtomicAsync } from '../output/write-atomic.js';
import { inverseBindMatrices, jointQuaternions, localOffsets, meanBetas, restShape, topWeights } from './glb-rig.js';
import { sequenceTracks, type GlbFrame, type PersonTrack, type SequenceTracks } from './glb-tracks.js';

export const GLB_NAME = 'render.glb';

/** OpenCV camera (x right, y down, z forward) → glTF (y up, −z forward): 180° about x, as (x, y, z, w). */
export const OPENCV_TO_GLTF: [number, number, number, number] = [1, 0, 0, 0];

export interface GlbOptions {
  fps: number;
  flatHandMean: boolean;
  /** Person k (in person-id order) gets colors[k % n], as in the render. */
  colors: readonly RGB[];
}

/** The report's `glb` section. */
export interface GlbSummary {
  file: string;
  frames: number;
  fps: number;
  joints: number;
  persons: number;
  size_bytes: number;
}

const jointName = (j: number) => SMPLX_JOINT_NAMES[j] ?? `joint_${j}`;

/**
 * Builds the glTF document of a sequence (no I/O). Keyframe k is at k/fps;
 * one more key at N/fps repeats the last frame, so the clip lasts exactly
 * N/fps seconds and frame k is shown over [k/fps, (k+1)/fps).
 */
export function buildGlbDocument(model: BodyModel, seq: SequenceTracks, opts: GlbOptions): Document {
  const doc = new Document();
  const buffer = doc.createBuffer();
  const N = seq.frames.length;
  const keys = N + 1;
  const times = doc.createAccessor('time').setType('SCALAR').setBuffer(buffer)
    .setArray(Float32Array.from({ length: keys }, (_, k) => k / opts.fps));
  const axis = doc.createNode('opencv_to_gltf').setRotation(OPENCV_TO_GLTF);
  const scene = doc.createScene('sequence').addChild(axis);
  doc.getRoot().setDefaultScene(scene);
  const animation = doc.createAnimation('sequence');
  const skinWeights = topWeights(model);
  const joints = doc.createAccessor('joints').setType('VEC4').setBuffer(buffer).setArray(skinWeights.joints);
  const weights = doc.createAccessor('weights').setType('VEC4').setBuffer(buffer).setArray(skinWeights.weights);
  const indices = doc.createAccessor('indices').setType('SCALAR').setBuffer(buffer)
    .setArray(model.numVertices <= 65535 ? Uint16Array.from(model.faces) : Uint32Array.from(model.faces));

  const personsExtras = seq.tracks.map((track, k) => {
    const betas = meanBetas(track.ownBetas.length > 0 ? track.ownBetas : track.params.filter((p) => p).map((p) => p!.betas));
    const rest = restShape(model, betas);
    const prefix = seq.tracks.length > 1 ? `person_${track.personId}/` : '';
    const nodes = skeletonNodes(doc, model, rest.joints, prefix);
    axis.addChild(nodes[0]);
    animate(doc, animation, buffer, times, model, track, rest.joints, nodes, opts.flatHandMean, keys);

    const normals = new Float32Array(rest.vertices.length);
    computeVertexNormals(rest.vertices, model.faces, normals);
    const c = opts.colors[k % opts.colors.length];
    const material = doc.createMaterial(`${prefix}body`).setBaseColorFactor([c[0], c[1], c[2], 1]).setMetallicFactor(0).setRoughnessFactor(0.8).setDoubleSided(true);
    const prim = doc.createPrimitive().setMaterial(material).setIndices(indices)
      .setAttribute('POSITION', doc.createAccessor(`${prefix}position`).setType('VEC3').setBuffer(buffer).setArray(rest.vertices))
      .setAttribute('NORMAL', doc.createAccessor(`${prefix}normal`).setType('VEC3').setBuffer(buffer).setArray(normals))
      .setAttribute('JOINTS_0', joints).setAttribute('WEIGHTS_0', weights);
    const skin = doc.createSkin(`${prefix}skin`).setSkeleton(nodes[0])
      .setInverseBindMatrices(doc.createAccessor(`${prefix}inverse_bind`).setType('MAT4').setBuffer(buffer).setArray(inverseBindMatrices(rest.joints)));
    for (const n of nodes) skin.addJoint(n);
    // The skinned mesh's node sits at the scene root: glTF ignores its own transform, the joints carry the pose.
    scene.addChild(doc.createNode(`${prefix}body`).setMesh(doc.createMesh(`${prefix}body`).addPrimitive(prim)).setSkin(skin));
    return { person_id: track.personId, betas, hidden_frames: track.hidden };
  });

  doc.getRoot().setExtras({
    generator: 'batch-render --export glb',
    fps: opts.fps,
    frames: N,
    frame_numbers: seq.frames,
    coordinates: 'OpenCV camera (x right, y down, z forward, metres) under the root node opencv_to_gltf, turned 180° about x',
    shape: 'rest mesh from each person\'s mean betas over the frames showing their own parameters; no expression',
    pose_correctives: false,
    flat_hand_mean: opts.flatHandMean,
    held_frames: seq.held,
    persons: personsExtras,
  });
  return doc;
}

/** One node per joint, parented as in the model, at its rest offset. */
function skeletonNodes(doc: Document, model: BodyModel, restJoints: Float64Array, prefix: string): Node[] {
  const offsets = localOffsets(restJoints, model.parents);
  const nodes: Node[] = [];
  for (let j = 0; j < model.numJoints; j++) {
    const n = doc.createNode(prefix + jointName(j)).setTranslation([offsets[j * 3], offsets[j * 3 + 1], offsets[j * 3 + 2]]);
    nodes.push(n);
    if (model.parents[j] >= 0) nodes[model.parents[j]].addChild(n);
  }
  return nodes;
}

/**
 * Per-joint rotation tracks, the root's translation (rest root + cam_trans)
 * and a STEP scale track on the root: 0 while the person is hidden. A hidden
 * frame keeps the last shown pose (the first one before any), so the LINEAR
 * tracks never blend towards a pose that is not shown.
 */
function animate(
  doc: Document, animation: ReturnType<Document['createAnimation']>, buffer: ReturnType<Document['createBuffer']>, times: Accessor,
  model: BodyModel, track: PersonTrack, restJoints: Float64Array, nodes: Node[], flatHandMean: boolean, keys: number,
): void {
  const J = model.numJoints;
  const rot = new Float64Array(keys * J * 4);
  const trans = new Float32Array(keys * 3);
  const scale = new Float32Array(keys * 3);
  const pose = new Float64Array(J * 3);
  const q = new Float64Array(4);
  const N = keys - 1;
  let last: PersonParams | null = track.params.find((p) => p) ?? null;
  for (let k = 0; k < keys; k++) {
    const own = k < N ? track.params[k] : track.params[N - 1];
    const p = own ?? last!;
    last = p;
    jointQuaternions(model, p, flatHandMean, rot, k * J * 4, pose, q);
    for (let c = 0; c < 3; c++) {
      trans[k * 3 + c] = restJoints[c] + p.camTrans[c];
      scale[k * 3 + c] = own ? 1 : 0;
    }
  }
  // Nearest representative of each rotation to the previous key: slerp between keys takes the short way in every viewer.
  for (let j = 0; j < J; j++) makeContinuous(rot, keys, J * 4, j * 4);
  const channel = (node: Node, path: 'rotation' | 'translation' | 'scale', type: 'VEC3' | 'VEC4', values: Float32Array, interpolation: 'LINEAR' | 'STEP') => {
    const sampler = doc.createAnimationSampler().setInput(times).setInterpolation(interpolation)
      .setOutput(doc.createAccessor().setType(type).setBuffer(buffer).setArray(values));
    animation.addSampler(sampler).addChannel(doc.createAnimationChannel().setTargetNode(node).setTargetPath(path).setSampler(sampler));
  };
  for (let j = 0; j < J; j++) {
    const r = new Float32Array(keys * 4);
    for (let k = 0; k < keys; k++) for (let c = 0; c < 4; c++) r[k * 4 + c] = rot[k * J * 4 + j * 4 + c];
    channel(nodes[j], 'rotation', 'VEC4', r, 'LINEAR');
  }
  channel(nodes[0], 'translation', 'VEC3', trans, 'LINEAR');
  channel(nodes[0], 'scale', 'VEC3', scale, 'STEP');
}

export async function encodeGlb(doc: Document): Promise<Uint8Array> {
  return new NodeIO().writeBinary(doc);
}

export interface SequenceGlbInput {
  outDir: string;
  modelPath: string;
  /** The run's frames with their final status. */
  frames: readonly GlbFrame[];
  /** Frame → its input file. */
  pathOf: ReadonlyMap<number, string | null>;
  person: PersonSelector;
  /** The temporal stage's parameters per frame, where it produced them. */
  persons: ReadonlyMap<number, PersonParams[]> | null;
  maxBetas: number;
  opts: GlbOptions;
}

/** Reads the shown frames' parameters again, builds and writes render.glb; the report's section. */
export async function writeSequenceGlb(input: SequenceGlbInput): Promise<GlbSummary> {
  const model = loadBodyModel(input.modelPath, { maxShapeDirs: input.maxBetas, maxExprDirs: 0 });
  const seq = sequenceTracks(input.frames, (f) => {
    const fromTemporal = input.persons?.get(f);
    if (fromTemporal) return fromTemporal;
    const path = input.pathOf.get(f);
    return path ? readFrameFile(path, input.person).persons : [];
  });
  const bytes = await encodeGlb(buildGlbDocument(model, seq, input.opts));
  const file = join(input.outDir, GLB_NAME);
  try {
    await writeFileAtomicAsync(file, bytes);
  } catch (err) {
    throw outputWriteError(GLB_NAME, err);
  }
  return { file: GLB_NAME, frames: seq.frames.length, fps: input.opts.fps, joints: model.numJoints, persons: seq.tracks.length, size_bytes: statSync(file).size };
}
