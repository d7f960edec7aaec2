/**
 * The GLX backend: a headless-gl context on an X display (our Xvfb, or the
 * caller's DISPLAY). headless-gl hides GL_VENDOR/GL_RENDERER ("stack-gl",
 * "ANGLE"), so the strings come from `glxinfo -B` run with the same display
 * and GL vendor env, and the libraries this process mapped prove the driver.
 */
import { configError } from '../../errors.js';
import type { RendererInfo } from '../../types.js';
import type { GlContext } from '../gl-renderer.js';
import { assertDevice, deviceUnavailable, type DevicePlan } from '../device/select-device.js';
import { readOwnMaps, runGlxinfo } from '../device/probe-host.js';
import { destroyContext, loadGl } from './load-gl.js';

export async function createGlxContext(width: number, height: number, plan: DevicePlan): Promise<GlContext> {
  const display = process.env.DISPLAY;
  if (!display) throw configError('no X display for GL: DISPLAY is unset (start one with ensureDisplay())');
  const gl = loadGl(plan.env)(width, height, { antialias: true, alpha: true, depth: true, premultipliedAlpha: false, preserveDrawingBuffer: true });
  if (!gl) {
    const msg = `could not create a WebGL context on DISPLAY=${display} (${plan.reason})`;
    throw plan.device === 'cuda' ? deviceUnavailable(`--device cuda: ${msg}`) : configError(msg);
  }
  try {
    const driver = readOwnMaps();
    const glx = await runGlxinfo(process.env);
    assertDevice(plan.device, driver, glx?.renderer ?? null);
    const unknown = 'unknown (glxinfo not installed; headless-gl hides the GL strings)';
    const info: RendererInfo = {
      device: plan.device,
      glVendor: glx?.vendor ?? unknown,
      glRenderer: glx?.renderer ?? unknown,
      glVersion: glx?.version ?? unknown,
    };
    const evidence = {
      backend: 'glx',
      reason: plan.reason,
      display,
      strings_from: glx ? 'glxinfo -B on the same display and GL vendor env' : 'unavailable',
      driver,
      antialias: gl.getContextAttributes()?.antialias ?? false,
    };
    return { gl, info, evidence, destroy: () => destroyContext(gl) };
  } catch (err) {
    destroyContext(gl);
    throw err;
  }
}
