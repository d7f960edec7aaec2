/**
 * The camera of OSX / SMPLer-X style regressors, as pure functions.
 *
 * The model sees a crop around the person, resized to its input. Its
 * `cam_trans` is expressed for a virtual pinhole camera on a virtual image of
 * `bodyShape` = [h, w] pixels (OSX cfg.input_body_shape, 256×192) with focal
 * `focal` = [fx, fy] (cfg.focal, 5000 px) and principal point at its centre
 * (cfg.princpt). Mapping that camera back onto the source image (OSX demo.py):
 *   focal   = [fx / bodyW * box.w,            fy / bodyH * box.h]
 *   princpt = [bodyW/2 / bodyW * box.w + box.x, bodyH/2 / bodyH * box.h + box.y]
 * where box is the processed crop box (process_bbox) in source pixels.
 */

/** Axis-aligned box in source pixels: top-left corner and size. */
export interface BoxXywh {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface CameraSpec {
  /** Virtual focal lengths [fx, fy] in pixels of the virtual image (OSX: 5000, 5000). */
  focal: [number, number];
  /** Virtual image [height, width] the focal refers to (OSX: input_body_shape 256×192). */
  bodyShape: [number, number];
}

export const OSX_CAMERA: CameraSpec = { focal: [5000, 5000], bodyShape: [256, 192] };
/** OSX process_bbox enlarges the aspect-corrected box by this factor. */
export const OSX_BBOX_SCALE = 1.25;

/**
 * OSX sanitize_bbox: clamps the top-left corner into the image and the far
 * corner to the last pixel. Like OSX, the far corner is measured from the
 * clamped corner. Returns null for an empty box.
 */
export function sanitizeBox(box: BoxXywh, imgW: number, imgH: number): BoxXywh | null {
  const x1 = Math.max(0, box.x);
  const y1 = Math.max(0, box.y);
  const x2 = Math.min(imgW - 1, x1 + Math.max(0, box.w - 1));
  const y2 = Math.min(imgH - 1, y1 + Math.max(0, box.h - 1));
  if (box.w * box.h > 0 && x2 > x1 && y2 > y1) return { x: x1, y: y1, w: x2 - x1, h: y2 - y1 };
  return null;
}

/**
 * OSX process_bbox: sanitize, grow the short side to reach `aspect` (w/h of
 * the model input), then scale ×`scale` around the centre. May extend past
 * the image; the crop pads with zeros there.
 */
export function processBox(box: BoxXywh, imgW: number, imgH: number, aspect: number, scale = OSX_BBOX_SCALE): BoxXywh | null {
  const b = sanitizeBox(box, imgW, imgH);
  if (!b) return null;
  let { w, h } = b;
  const cx = b.x + w / 2;
  const cy = b.y + h / 2;
  if (w > aspect * h) h = w / aspect;
  else if (w < aspect * h) w = h * aspect;
  w *= scale;
  h *= scale;
  return { x: cx - w / 2, y: cy - h / 2, w, h };
}

/** Focal and principal point in source pixels for a processed box (OSX demo.py). */
export function cameraForBox(box: BoxXywh, cam: CameraSpec): { focal: [number, number]; princpt: [number, number] } {
  const [bodyH, bodyW] = cam.bodyShape;
  const [vcx, vcy] = [bodyW / 2, bodyH / 2];
  return {
    focal: [(cam.focal[0] / bodyW) * box.w, (cam.focal[1] / bodyH) * box.h],
    princpt: [(vcx / bodyW) * box.w + box.x, (vcy / bodyH) * box.h + box.y],
  };
}

/** xyxy corners → xywh. */
export const xyxyToXywh = (x1: number, y1: number, x2: number, y2: number): BoxXywh => ({ x: x1, y: y1, w: x2 - x1, h: y2 - y1 });
