/**
 * An OpenGL ES 3.0 context on an EGL device, drawing into an offscreen
 * framebuffer (RGBA8 + 24-bit depth): no X server, no window, no pbuffer.
 * GLES 3.0 rather than desktop 3.3 core: GLSL ES 1.00 (the WebGL shaders) is
 * valid there unchanged, so both backends compile one shader source; 32-bit
 * indices are core; and it is what NVIDIA's and Mesa's EGL both offer headless.
 */
import { BatchRenderError } from '../../errors.js';
import type { GlCalls } from '../gl-calls.js';
import { eglClientExtensions, listEglDevices } from './list-egl-devices.js';
import { loadEglAddon } from './load-egl-addon.js';
import { pickEglDevice, type EglTarget } from './pick-egl-device.js';

export interface EglGl extends GlCalls {
  /** Frees the context now instead of at GC; later calls throw. */
  destroy(): void;
}

/** What drew, read from the context itself (glGetString / eglQueryString). */
export interface EglContextInfo {
  glVendor: string;
  glRenderer: string;
  glVersion: string;
  eglVendor: string;
  eglVersion: string;
  /** The extension that identified the device, e.g. EGL_MESA_device_software or EGL_NV_device_cuda. */
  deviceExtension: string;
  /** EGL device index; null on the surfaceless platform (no device). */
  deviceIndex: number | null;
}

export interface EglContextOptions {
  width: number;
  height: number;
  device: 'cpu' | 'cuda';
  /** CUDA ordinal among several GPUs (see pick-egl-device.ts). */
  gpu?: number;
}

// headless-gl's context is created with these too (it forces antialias off).
const ATTRIBUTES: WebGLContextAttributes = { alpha: true, antialias: false, depth: true, stencil: false, premultipliedAlpha: false, preserveDrawingBuffer: true };

export function createEglContext(opts: EglContextOptions): { gl: EglGl; info: EglContextInfo } {
  const { width, height, device } = opts;
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new RangeError(`Expected positive integer width and height but received ${width}×${height}`);
  }
  const addon = loadEglAddon();
  // The software device is known by its extension; only an NVIDIA search may need each display's vendor.
  const devices = listEglDevices({ vendors: device === 'cuda' });
  const target = pickEglDevice(device, devices, eglClientExtensions(), { gpu: opts.gpu, cudaVisibleDevices: process.env.CUDA_VISIBLE_DEVICES });
  const where = describeTarget(target);
  let native;
  try {
    native = new addon.EglContext(width, height, target.deviceIndex ?? -1);
  } catch (err) {
    throw contextError(device, `EGL ${device} context on ${where} failed: ${(err as Error).message}`, err);
  }
  const gl = Object.assign(native, addon.glConstants, {
    // 32-bit indices are core in GLES 3.0; the renderer asks for nothing else.
    getExtension: (name: string) => (name === 'OES_element_index_uint' ? {} : null),
    getContextAttributes: () => ({ ...ATTRIBUTES }),
  }) as unknown as EglGl;
  const info: EglContextInfo = {
    glVendor: String(gl.getParameter(gl.VENDOR)),
    glRenderer: String(gl.getParameter(gl.RENDERER)),
    glVersion: String(gl.getParameter(gl.VERSION)),
    eglVendor: native.eglString(addon.eglConstants.VENDOR),
    eglVersion: native.eglString(addon.eglConstants.VERSION),
    deviceExtension: target.deviceExtension,
    deviceIndex: target.deviceIndex,
  };
  // The proof is what the context says it runs on, not which device we asked for.
  const ranOn = `${info.glVendor} / ${info.glRenderer}`;
  const ok = device === 'cuda' ? /nvidia/i.test(ranOn) : /llvmpipe|softpipe|swrast/i.test(ranOn);
  if (!ok) {
    gl.destroy();
    throw contextError(device, `EGL ${device} context on ${where} runs on ${ranOn}, not ${device === 'cuda' ? 'an NVIDIA GPU' : 'Mesa software'}`);
  }
  return { gl, info };
}

function describeTarget(t: EglTarget): string {
  return t.platform === 'surfaceless' ? 'the surfaceless platform' : `EGL device ${t.deviceIndex} (${t.deviceExtension})`;
}

function contextError(device: 'cpu' | 'cuda', msg: string, cause?: unknown): BatchRenderError {
  return new BatchRenderError(device === 'cuda' ? 'DEVICE_UNAVAILABLE' : 'CONFIG', msg.replace(/\s*\n\s*/g, ' '), { cause });
}
