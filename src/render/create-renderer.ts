/**
 * Makes the renderer for a resolved device: a backend's drawing context
 * wrapped by the shared mesh renderer.
 */
import type { DevicePlan } from './device/select-device.js';
import { createGlRenderer, type Renderer } from './gl-renderer.js';
import { createGlxContext } from './glx/glx-context.js';

export interface RendererOptions {
  width: number;
  height: number;
  /** From openGlBackend, in the main process: the backend (plan.gl) and the device. */
  plan: DevicePlan;
}

export async function createRenderer(opts: RendererOptions): Promise<Renderer> {
  const { width, height } = opts;
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new RangeError(`Expected positive integer width and height but received ${width}×${height}`);
  }
  const ctx = opts.plan.gl === 'egl'
    ? (await import('./egl/egl-gl-context.js')).createEglGlContext(width, height, opts.plan)
    : await createGlxContext(width, height, opts.plan);
  try {
    return createGlRenderer(ctx, width, height);
  } catch (err) {
    ctx.destroy();
    throw err;
  }
}
