/**
 * Which GL driver renders: NVIDIA's GLX library (`cuda`) or Mesa llvmpipe
 * (`cpu`). libglvnd picks the GLX vendor per X screen; Xvfb's own GLX is Mesa,
 * so the GPU needs `__GLX_VENDOR_LIBRARY_NAME=nvidia` set before gl loads.
 * After loading, the proof is what this process actually mapped
 * (/proc/self/maps) and, when installed, glxinfo's renderer string.
 *
 * Pure: planning and parsing only; probe-host.ts touches the host.
 */
import { BatchRenderError } from '../../errors.js';
import type { DeviceRequest } from '../../types.js';

export type Device = 'cpu' | 'cuda';

/** What the host offers, gathered by `probeHost`. */
export interface HostGpuProbe {
  /** e.g. ['/dev/nvidia0', '/dev/nvidiactl'] */
  nvidiaDevices: string[];
  /** Path of libGLX_nvidia.so.0, or null when not found. */
  glxNvidiaLib: string | null;
}

export interface DevicePlan {
  device: Device;
  /** Set in process.env before gl loads; children inherit it. */
  env: Record<string, string>;
  /** Why this device, one line. */
  reason: string;
  /** Backend that draws: headless-gl on GLX (the default), or the EGL addon. */
  gl?: 'glx' | 'egl';
  /** EGL: the CUDA ordinal of the GPU among several (see egl/pick-egl-device.ts). */
  gpu?: number | null;
}

export type LoadedDriver = 'nvidia' | 'llvmpipe' | 'softpipe' | 'mesa' | 'unknown';

export interface DriverEvidence {
  driver: LoadedDriver;
  /** GL-related shared objects mapped in the process (basenames). */
  libs: string[];
}

const NVIDIA_ENV = { __GLX_VENDOR_LIBRARY_NAME: 'nvidia' };
// Force Mesa's software path, even if some other vendor would be picked.
const CPU_ENV = { __GLX_VENDOR_LIBRARY_NAME: 'mesa', LIBGL_ALWAYS_SOFTWARE: '1' };

/** Decides the device from the request and the host. Throws DEVICE_UNAVAILABLE for `cuda` without a GPU. */
export function planDevice(request: DeviceRequest, host: HostGpuProbe): DevicePlan {
  if (request === 'cpu') return { device: 'cpu', env: { ...CPU_ENV }, reason: 'requested cpu' };
  const missing = missingGpuParts(host);
  if (request === 'cuda') {
    if (missing) throw deviceUnavailable(`--device cuda: ${missing}`);
    return { device: 'cuda', env: { ...NVIDIA_ENV }, reason: `requested cuda (${host.glxNvidiaLib})` };
  }
  if (missing) return { device: 'cpu', env: { ...CPU_ENV }, reason: `auto: cpu, ${missing}` };
  return { device: 'cuda', env: { ...NVIDIA_ENV }, reason: `auto: NVIDIA GPU found (${host.nvidiaDevices[0]}, ${host.glxNvidiaLib})` };
}

function missingGpuParts(host: HostGpuProbe): string | null {
  if (!host.nvidiaDevices.some((d) => /^\/dev\/nvidia\d+$/.test(d))) return 'no NVIDIA device (/dev/nvidia0 … absent)';
  if (!host.glxNvidiaLib) {
    return 'NVIDIA GLX library libGLX_nvidia.so.0 not found (the container needs NVIDIA_DRIVER_CAPABILITIES with "graphics")';
  }
  return null;
}

export const deviceUnavailable = (msg: string, cause?: unknown) =>
  new BatchRenderError('DEVICE_UNAVAILABLE', msg, { cause });

const GL_LIB = /(libGLX_\w+|libnvidia-glcore|libnvidia-eglcore|libnvidia-tls|libEGL_\w+|\w+_dri|libLLVM|libGL\b|libGLX\b|libGLdispatch|libglapi|libgallium)[^/]*\.so[.\d]*$/;

/** Which GL driver a process has loaded, from the text of /proc/<pid>/maps. */
export function parseLoadedDrivers(mapsText: string): DriverEvidence {
  const libs = new Set<string>();
  for (const line of mapsText.split('\n')) {
    const path = line.split(/\s+/)[5];
    if (!path || !path.startsWith('/')) continue;
    const base = path.slice(path.lastIndexOf('/') + 1);
    if (GL_LIB.test(base)) libs.add(base);
  }
  const list = [...libs].sort();
  const has = (re: RegExp) => list.some((l) => re.test(l));
  let driver: LoadedDriver = 'unknown';
  if (has(/^libGLX_nvidia|^libnvidia-glcore/)) driver = 'nvidia';
  else if (has(/^(swrast_dri|libgallium)/) && has(/^libLLVM/)) driver = 'llvmpipe';
  else if (has(/^swrast_dri/)) driver = 'softpipe';
  else if (has(/^libGLX_mesa|_dri\.so/)) driver = 'mesa';
  return { driver, libs: list };
}

export interface GlxinfoSummary {
  vendor: string | null;
  renderer: string | null;
  version: string | null;
}

/** Picks the strings out of `glxinfo -B` output. */
export function parseGlxinfo(text: string): GlxinfoSummary {
  const get = (key: string) => new RegExp(`^\\s*OpenGL ${key} string:\\s*(.+)$`, 'm').exec(text)?.[1].trim() ?? null;
  return { vendor: get('vendor'), renderer: get('renderer'), version: get('(?:core profile )?version') };
}

/** Device a renderer string or maps evidence points to. */
export function deviceOf(evidence: DriverEvidence, glxRenderer: string | null): Device | 'unknown' {
  if (glxRenderer) {
    if (/llvmpipe|softpipe|swrast/i.test(glxRenderer)) return 'cpu';
    if (/nvidia/i.test(glxRenderer)) return 'cuda'; // e.g. 'NVIDIA H100 80GB HBM3/PCIe/SSE2'
  }
  if (evidence.driver === 'nvidia') return 'cuda';
  if (evidence.driver === 'llvmpipe' || evidence.driver === 'softpipe') return 'cpu';
  return 'unknown';
}

/** Throws DEVICE_UNAVAILABLE when `cuda` was asked for but something else runs. */
export function assertDevice(planned: Device, evidence: DriverEvidence, glxRenderer: string | null): void {
  if (planned !== 'cuda') return;
  const got = deviceOf(evidence, glxRenderer);
  if (got !== 'cuda') {
    const what = glxRenderer ?? `${evidence.driver} (${evidence.libs.join(', ') || 'no GL libraries mapped'})`;
    throw deviceUnavailable(`--device cuda: the GL context runs on ${what}, not the NVIDIA GPU`);
  }
}
