/** The EGL devices this process can see, with what identifies each. */
import { readlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { loadEglAddon } from './load-egl-addon.js';

export interface EglDevice {
  /** Position in eglQueryDevicesEXT's list (what the addon opens). */
  index: number;
  extensions: string[];
  /** EGL_DRM_DEVICE_FILE_EXT, e.g. /dev/dri/card1; null without EGL_EXT_device_drm. */
  drmDeviceFile: string | null;
  renderNodeFile: string | null;
  /** Kernel driver behind the DRM file (/sys/class/drm/cardN/device/driver), e.g. 'nvidia'. */
  drmDriver: string | null;
  /** EGL_CUDA_DEVICE_NV: the CUDA ordinal of this GPU, NVIDIA only. */
  cudaDevice: number | null;
  /** EGL_VENDOR of the device's display, e.g. 'NVIDIA' or 'Mesa Project'. */
  vendor: string | null;
  eglVersion: string | null;
  /** Why the device's display would not initialise, if it would not. */
  error: string | null;
}

/** `vendors: false` skips opening every device's display to read EGL_VENDOR (cheaper; vendor stays null). */
export function listEglDevices(opts: { vendors?: boolean } = {}): EglDevice[] {
  return loadEglAddon().listDevices(opts.vendors ?? true).map((d, index) => ({
    index,
    extensions: d.extensions.split(/\s+/).filter(Boolean),
    drmDeviceFile: d.drmDeviceFile || null,
    renderNodeFile: d.renderNodeFile || null,
    drmDriver: d.drmDeviceFile ? drmDriverOf(d.drmDeviceFile) : null,
    cudaDevice: d.cudaDevice,
    vendor: d.vendor,
    eglVersion: d.version ?? null,
    error: d.error ?? null,
  }));
}

/** EGL client extensions (platforms offered), split. */
export function eglClientExtensions(): string[] {
  return loadEglAddon().clientExtensions().split(/\s+/).filter(Boolean);
}

function drmDriverOf(file: string): string | null {
  try {
    return basename(readlinkSync(`/sys/class/drm/${basename(file)}/device/driver`));
  } catch {
    return null;
  }
}
