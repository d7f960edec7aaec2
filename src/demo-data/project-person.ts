/**
 * Camera and image-space keys of one person (focal, princpt, bbox_xywh and
 * the informational ones), consistent with the pose: the approximate
 * skeleton is posed, moved by cam_trans and projected, so the box really
 * surrounds the person the renderer will draw.
 */
import { bodyPoints, poseSkeleton, JOINT } from './approx-skeleton.js';
import type { SmplxParams } from './signing-motion.js';

/** OSX config values stored in every file (informational). */
export const CFG_OUTPUT_HM_SHAPE = [16, 16, 12];
export const CFG_INPUT_IMG_SHAPE = [512, 384];
/** Rows of OSX's joint_img. */
export const JOINT_IMG_ROWS = 137;

export interface PersonImageKeys {
  focal: [number, number];
  princpt: [number, number];
  bboxXywh: [number, number, number, number];
  /** (137, 3) in the output heatmap grid (x, y, depth bin). */
  jointImg: Float64Array;
  lhandBbox: [number, number, number, number]; // x1, y1, x2, y2 pixels
  rhandBbox: [number, number, number, number];
  faceBbox: [number, number, number, number];
  /** (2, 3) affine from the model's input crop to the source image. */
  bb2imgTrans: Float64Array;
}

/**
 * OSX's virtual camera has a 5000 px focal; scaled by image height / 1600 it
 * makes a person ~6.5 m away fill ~85% of the frame height.
 */
export function demoFocal(imageSize: readonly [number, number]): [number, number] {
  const f = (5000 * imageSize[0]) / 1600;
  return [f, f];
}

export function projectPerson(p: SmplxParams, imageSize: readonly [number, number]): PersonImageKeys {
  const [h, w] = imageSize;
  const focal = demoFocal(imageSize);
  const princpt: [number, number] = [w / 2, h / 2];
  const skel = poseSkeleton(p.rootPose, p.bodyPose, p.camTrans);
  const proj = (q: readonly number[]): [number, number] => [focal[0] * (q[0] / q[2]) + princpt[0], focal[1] * (q[1] / q[2]) + princpt[1]];
  const uv = bodyPoints(skel).map(proj);
  const box = (pts: Array<[number, number]>, pad: number): [number, number, number, number] => {
    const xs = pts.map((q) => q[0]);
    const ys = pts.map((q) => q[1]);
    const [x1, x2, y1, y2] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    return [x1 - pad, y1 - pad, x2 + pad, y2 + pad];
  };
  // OSX-style person box: tight box, widened to the 3:4 input aspect, scaled 1.1.
  const [x1, y1, x2, y2] = box(uv, 0);
  let bw = x2 - x1;
  let bh = y2 - y1;
  if (bw < bh * 0.75) bw = bh * 0.75; else bh = bw / 0.75;
  bw *= 1.1; bh *= 1.1;
  const bboxXywh: [number, number, number, number] = [(x1 + x2 - bw) / 2, (y1 + y2 - bh) / 2, bw, bh];

  const handPad = (focal[0] * 0.12) / p.camTrans[2];
  const lw = proj(skel.joints[JOINT.lWrist]);
  const rw = proj(skel.joints[JOINT.rWrist]);
  const head = proj(skel.joints[JOINT.head]);
  const [hmD, hmH, hmW] = CFG_OUTPUT_HM_SHAPE;
  const jointImg = new Float64Array(JOINT_IMG_ROWS * 3);
  for (let r = 0; r < JOINT_IMG_ROWS; r++) {
    const q = uv[r % uv.length];
    jointImg[r * 3] = ((q[0] - bboxXywh[0]) / bw) * hmW;
    jointImg[r * 3 + 1] = ((q[1] - bboxXywh[1]) / bh) * hmH;
    jointImg[r * 3 + 2] = hmD / 2;
  }
  const s = bw / CFG_INPUT_IMG_SHAPE[1];
  return {
    focal,
    princpt,
    bboxXywh,
    jointImg,
    lhandBbox: box([lw], handPad),
    rhandBbox: box([rw], handPad),
    faceBbox: box([head], handPad * 0.9),
    bb2imgTrans: Float64Array.from([s, 0, bboxXywh[0], 0, s, bboxXywh[1]]),
  };
}
