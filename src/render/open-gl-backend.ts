/**
 * Chooses the GL backend for `--gl egl|glx|auto`, once, in the main process,
 * and resolves the device on it. EGL draws with no X server; GLX is
 * headless-gl on an X display, so only that path starts Xvfb. auto: EGL first
 * on Linux, and headless-gl + Xvfb when EGL does not come up (the reason goes
 * to the report's warnings); elsewhere headless-gl.
 */
import { BatchRenderError } from '../errors.js';
import type { DeviceRequest, GlBackendRequest } from '../types.js';
import type { DevicePlan } from './device/select-device.js';

export interface GlBackend {
  /** For every renderer (createRenderer), in this process or the workers. */
  plan: DevicePlan;
  /** What the report should say about the choice (an EGL fallback, an ignored --gpu). */
  warnings: string[];
  /** Ends the Xvfb the GLX path started, if it did. Idempotent. */
  stop(): Promise<void>;
}

export async function openGlBackend(req: { gl: GlBackendRequest; device: DeviceRequest; gpu: number | null }): Promise<GlBackend> {
  const warnings: string[] = [];
  let eglError: Error | undefined;
  if (req.gl === 'egl' || (req.gl === 'auto' && process.platform === 'linux')) {
    const { resolveEglDevice } = await import('./device/resolve-device.js');
    try {
      return { plan: await resolveEglDevice(req.device, req.gpu), warnings, stop: async () => {} };
    } catch (err) {
      if (req.gl === 'egl') throw err;
      eglError = err as Error;
      warnings.push(`GL backend: EGL did not come up (${eglError.message}); drawing with headless-gl on GLX (Xvfb) instead`);
    }
  }
  if (req.gpu !== null) warnings.push(`--gpu ${req.gpu} is ignored by the GLX backend (libglvnd picks the GPU of the X screen)`);
  const [{ ensureDisplay }, { resolveGlxDevice }] = await Promise.all([import('./glx/start-xvfb.js'), import('./device/resolve-device.js')]);
  try {
    const display = await ensureDisplay();
    try {
      const plan = await resolveGlxDevice(req.device, display.display);
      return { plan: { ...plan, gl: 'glx' }, warnings, stop: () => display.stop() };
    } catch (err) {
      await display.stop();
      throw err;
    }
  } catch (err) {
    if (!eglError || !(err instanceof BatchRenderError)) throw err;
    // Neither backend: say both, in one line.
    throw new BatchRenderError(err.code, `${err.message} (EGL before it: ${eglError.message})`, { cause: err });
  }
}
