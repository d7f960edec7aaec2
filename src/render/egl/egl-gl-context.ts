/**
 * The EGL backend for GlRenderer: the addon's context for a resolved plan,
 * with the renderer strings read from that context (glGetString) and the GL
 * libraries this process mapped as the proof of the driver.
 */
import type { GlContext } from '../gl-renderer.js';
import type { DevicePlan } from '../device/select-device.js';
import { readOwnMaps } from '../device/probe-host.js';
import { createEglContext } from './create-egl-context.js';

export function createEglGlContext(width: number, height: number, plan: DevicePlan): GlContext {
  const { gl, info } = createEglContext({ width, height, device: plan.device, gpu: plan.gpu ?? undefined });
  const evidence = {
    backend: 'egl',
    reason: plan.reason,
    strings_from: 'glGetString / eglQueryString in the drawing context',
    egl_vendor: info.eglVendor,
    egl_version: info.eglVersion,
    egl_device_extension: info.deviceExtension,
    egl_device_index: info.deviceIndex,
    driver: readOwnMaps(),
    antialias: false,
  };
  return {
    gl,
    info: { device: plan.device, glVendor: info.glVendor, glRenderer: info.glRenderer, glVersion: info.glVersion },
    evidence,
    destroy: () => gl.destroy(),
  };
}
