/**
 * Loads the EGL addon (native/egl, built by `npm run build:egl`). It links
 * libEGL/libGLESv2 (libglvnd), so loading it needs no X server or display.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { configError } from '../../errors.js';
import type { GlCalls, GlConstantName } from '../gl-calls.js';

/** One EGL device as the addon reports it (EGL_EXT_device_query). */
export interface NativeEglDevice {
  extensions: string;
  drmDeviceFile: string | null;
  renderNodeFile: string | null;
  /** EGL_CUDA_DEVICE_NV: the CUDA device ordinal, NVIDIA only. */
  cudaDevice: number | null;
  /** EGL_VENDOR of the device's display; null when it would not initialise (see `error`). */
  vendor: string | null;
  version?: string;
  error?: string;
}

export interface NativeEglContext extends Omit<GlCalls, 'getExtension' | 'getContextAttributes' | GlConstantName> {
  /** eglQueryString on this context's display. */
  eglString(name: number): string;
  /** Frees the context and its framebuffer now; later calls throw. */
  destroy(): void;
}

export interface EglAddon {
  /** deviceIndex -1: Mesa's surfaceless platform; else that EGL device. */
  EglContext: new (width: number, height: number, deviceIndex: number) => NativeEglContext;
  /** vendors = false: skip opening each device's display (vendor and version stay null). */
  listDevices(vendors?: boolean): NativeEglDevice[];
  /** eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS). */
  clientExtensions(): string;
  glConstants: Record<GlConstantName, number>;
  eglConstants: { VENDOR: number; VERSION: number; EXTENSIONS: number; CLIENT_APIS: number };
}

// dist/src/render/egl/ → repository root.
const ADDON_PATH = fileURLToPath(new URL('../../../../native/egl/build/Release/batch_render_egl.node', import.meta.url));

let addon: EglAddon | undefined;

export function loadEglAddon(): EglAddon {
  if (addon) return addon;
  if (!existsSync(ADDON_PATH)) throw configError(`EGL addon not built: ${ADDON_PATH} is missing (run npm run build:egl)`);
  try {
    addon = createRequire(import.meta.url)(ADDON_PATH) as EglAddon;
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0];
    throw configError(`cannot load the EGL addon ${ADDON_PATH}: ${msg} (needs libEGL.so.1 and libGLESv2.so.2: Debian libegl1 libgles2)`, err);
  }
  return addon;
}
