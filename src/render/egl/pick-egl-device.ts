/**
 * Which EGL display to open for `--device cpu|cuda`. Pure: the caller passes
 * the devices (listEglDevices) and the client extensions.
 *
 * cpu: Mesa's software device (EGL_MESA_device_software), else Mesa's
 * surfaceless platform. cuda: an NVIDIA device. Several GPUs: `gpu` is a
 * CUDA ordinal, as CUDA numbers them under CUDA_VISIBLE_DEVICES. NVIDIA's
 * EGL_CUDA_DEVICE_NV maps each EGL device to that ordinal (EGL's own order
 * can differ); without it, an integer CUDA_VISIBLE_DEVICES list is applied
 * to the NVIDIA devices in EGL order.
 */
import { BatchRenderError, configError } from '../../errors.js';
import type { EglDevice } from './list-egl-devices.js';

export type EglTarget =
  | { platform: 'device'; deviceIndex: number; deviceExtension: string }
  | { platform: 'surfaceless'; deviceIndex: null; deviceExtension: 'EGL_MESA_platform_surfaceless' };

export interface PickOptions {
  gpu?: number;
  /** process.env.CUDA_VISIBLE_DEVICES */
  cudaVisibleDevices?: string;
}

export function isNvidiaDevice(d: EglDevice): boolean {
  return d.extensions.includes('EGL_NV_device_cuda') || /nvidia/i.test(d.vendor ?? '') ||
    /nvidia/i.test(d.drmDeviceFile ?? '') || /^nvidia/.test(d.drmDriver ?? '');
}

export function pickEglDevice(device: 'cpu' | 'cuda', devices: EglDevice[], clientExtensions: string[], opts: PickOptions = {}): EglTarget {
  if (clientExtensions.length === 0 && devices.length === 0) {
    const msg = 'EGL has no vendor library: libglvnd found no usable EGL vendor JSON (/usr/share/glvnd/egl_vendor.d or __EGL_VENDOR_LIBRARY_FILENAMES; Mesa\'s is in libegl-mesa0)';
    throw device === 'cuda' ? unavailable(msg) : configError(`EGL cpu: ${msg}`);
  }
  if (device === 'cpu') {
    const sw = devices.find((d) => d.extensions.includes('EGL_MESA_device_software'));
    if (sw) return { platform: 'device', deviceIndex: sw.index, deviceExtension: 'EGL_MESA_device_software' };
    if (clientExtensions.includes('EGL_MESA_platform_surfaceless')) {
      return { platform: 'surfaceless', deviceIndex: null, deviceExtension: 'EGL_MESA_platform_surfaceless' };
    }
    throw configError(
      `EGL cpu: no Mesa software device (EGL_MESA_device_software) among ${devices.length} EGL devices and no EGL_MESA_platform_surfaceless (needs libegl-mesa0, libgl1-mesa-dri)`);
  }
  const nvidia = devices.filter(isNvidiaDevice);
  const lookedFor = `NVIDIA EGL device (EGL_NV_device_cuda, or NVIDIA in EGL_VENDOR / EGL_DRM_DEVICE_FILE_EXT) among ${devices.length} EGL devices [${devices.map(describe).join('; ')}]`;
  if (nvidia.length === 0) throw unavailable(`no ${lookedFor}`);
  const gpu = opts.gpu ?? 0;
  if (!(Number.isInteger(gpu) && gpu >= 0)) throw new BatchRenderError('USAGE', `--gpu must be a non-negative integer, got ${gpu}`);
  const cvd = opts.cudaVisibleDevices?.trim();
  if (cvd !== undefined && (cvd === '' || cvd === '-1' || cvd === 'NoDevFiles')) {
    throw unavailable(`CUDA_VISIBLE_DEVICES="${opts.cudaVisibleDevices}" hides every GPU`);
  }
  const withOrdinal = nvidia.find((d) => d.cudaDevice === gpu);
  const pick = (d: EglDevice): EglTarget => ({
    platform: 'device', deviceIndex: d.index,
    deviceExtension: d.extensions.includes('EGL_NV_device_cuda') ? 'EGL_NV_device_cuda' : d.extensions.includes('EGL_EXT_device_drm') ? 'EGL_EXT_device_drm' : 'EGL_EXT_device_base',
  });
  if (withOrdinal) return pick(withOrdinal);
  if (nvidia.some((d) => d.cudaDevice !== null)) {
    throw unavailable(`no NVIDIA EGL device has CUDA ordinal ${gpu} (EGL_CUDA_DEVICE_NV: ${nvidia.map((d) => d.cudaDevice).join(', ')})`);
  }
  const visible = cvd !== undefined && /^\d+(,\d+)*$/.test(cvd) ? cvd.split(',').map(Number) : nvidia.map((_, i) => i);
  const physical = visible[gpu];
  if (physical === undefined || physical >= nvidia.length) {
    throw unavailable(`GPU ${gpu} not available: ${nvidia.length} NVIDIA EGL device(s)${cvd !== undefined ? `, CUDA_VISIBLE_DEVICES=${cvd}` : ''}`);
  }
  return pick(nvidia[physical]);
}

const unavailable = (msg: string) => new BatchRenderError('DEVICE_UNAVAILABLE', `--device cuda: ${msg}`);

function describe(d: EglDevice): string {
  const id = d.extensions.includes('EGL_MESA_device_software') ? 'Mesa software' : d.drmDeviceFile ?? d.renderNodeFile ?? 'no DRM file';
  return `#${d.index} ${d.vendor ?? 'vendor unknown'}, ${id}`;
}
