/**
 * Which GL driver renders: NVIDIA's GLX library (`cuda`) or Mesa llvmpipe
 * (`cpu`). libglvnd picks the GLX vendor per X screen; Xvfb's own GLX is Mesa,
 * so the GPU needs `__GLX_VENDOR_LIBRARY_NAME=nvidia` set before gl loads.
 * After loading, the proof is what this process actually mapped
 * (/proc/self/maps) and, when installed, glxinfo's renderer string.
 *
 * The parse/plan functions are pure; the probe functions touch the host.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
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

/** A renderer description when glxinfo is absent, from what is mapped. */
export function describeFromMaps(evidence: DriverEvidence): { vendor: string; renderer: string } {
  const llvm = evidence.libs.find((l) => l.startsWith('libLLVM'));
  const llvmVer = llvm ? /libLLVM-?([\d.]+?)\.so/.exec(llvm)?.[1] : undefined;
  switch (evidence.driver) {
    case 'nvidia':
      return { vendor: 'NVIDIA Corporation', renderer: 'NVIDIA (libGLX_nvidia; glxinfo not installed)' };
    case 'llvmpipe':
      return { vendor: 'Mesa', renderer: `llvmpipe${llvmVer ? ` (LLVM ${llvmVer})` : ''} (from /proc/self/maps; glxinfo not installed)` };
    case 'softpipe':
      return { vendor: 'Mesa', renderer: 'softpipe (from /proc/self/maps; glxinfo not installed)' };
    case 'mesa':
      return { vendor: 'Mesa', renderer: 'Mesa (from /proc/self/maps; glxinfo not installed)' };
    default:
      return { vendor: 'unknown', renderer: 'unknown (glxinfo not installed)' };
  }
}

// ---- host probes (impure) ----

const LIB_DIRS = ['/usr/lib/x86_64-linux-gnu', '/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/nvidia/lib64', '/usr/lib/aarch64-linux-gnu'];

export function probeHost(): HostGpuProbe {
  let nvidiaDevices: string[] = [];
  try {
    nvidiaDevices = readdirSync('/dev').filter((n) => n.startsWith('nvidia')).map((n) => `/dev/${n}`).sort();
  } catch {
    // no /dev (not Linux): no GPU for us
  }
  const dirs = [...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), ...LIB_DIRS];
  let glxNvidiaLib = dirs.map((d) => `${d}/libGLX_nvidia.so.0`).find((p) => existsSync(p)) ?? null;
  glxNvidiaLib ??= findInLdCache('libGLX_nvidia.so.0');
  return { nvidiaDevices, glxNvidiaLib };
}

/** Looks a soname up in /etc/ld.so.cache text (covers dirs from ld.so.conf.d). */
function findInLdCache(soname: string): string | null {
  try {
    const cache = readFileSync('/etc/ld.so.cache', 'latin1');
    const re = new RegExp(`/[\\w./-]*/${soname.replace(/\./g, '\\.')}`);
    const m = re.exec(cache);
    return m && existsSync(m[0]) ? m[0] : null;
  } catch {
    return null;
  }
}

export function readOwnMaps(): DriverEvidence {
  try {
    return parseLoadedDrivers(readFileSync('/proc/self/maps', 'utf8'));
  } catch {
    return { driver: 'unknown', libs: [] };
  }
}

/** `glxinfo -B` under `env`; null when glxinfo is not installed or fails. */
export async function runGlxinfo(env: NodeJS.ProcessEnv): Promise<GlxinfoSummary | null> {
  const r = await execa('glxinfo', ['-B'], { env, extendEnv: false, reject: false, timeout: 10_000 });
  if (r.failed) return null;
  return parseGlxinfo(r.stdout);
}

export interface ChildProbeResult {
  ok: boolean;
  evidence?: DriverEvidence;
  /** One line: why it failed. */
  error?: string;
}

/** Creates a throwaway GL context in a child process under `env`. */
export async function probeGlInChild(env: NodeJS.ProcessEnv): Promise<ChildProbeResult> {
  const script = new URL('./gl-probe-child.js', import.meta.url);
  const r = await execa(process.execPath, [script.pathname], { env, extendEnv: false, reject: false, timeout: 30_000 });
  try {
    const parsed = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as ChildProbeResult;
    if (parsed.ok) return parsed;
    return { ok: false, error: [parsed.error, lastLine(r.stderr)].filter(Boolean).join(': ') };
  } catch {
    return { ok: false, error: lastLine(r.stderr) || (r.signal ? `probe killed by ${r.signal}` : `probe exit code ${r.exitCode}`) };
  }
}

const lastLine = (s: string) => s.trim().split('\n').filter(Boolean).slice(-2).join(' | ');
