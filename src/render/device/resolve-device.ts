/**
 * Resolves --device once, in the main process, before any renderer starts
 * (a GPU that does not work fails the run here, not in every worker). The
 * plan (backend, device, the GL vendor env it needs, why) goes to every
 * renderer, which applies it before GL loads.
 */
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { BatchRenderError, type ErrorCode } from '../../errors.js';
import type { DeviceRequest } from '../../types.js';
import type { EglProbeResult } from '../egl/egl-probe-child.js';
import { deviceUnavailable, planDevice, type DevicePlan } from './select-device.js';
import { probeGlInChild, probeHost } from './probe-host.js';

/** GLX backend: a GPU plan is proven by a GL context in a child process on `display` first. */
export async function resolveGlxDevice(request: DeviceRequest, display: string): Promise<DevicePlan> {
  const host = probeHost();
  const plan = planDevice(request, host);
  if (plan.device !== 'cuda') return plan;
  const probe = await probeGlInChild({ ...process.env, DISPLAY: display, ...plan.env });
  if (probe.ok && probe.evidence?.driver === 'nvidia') return plan;
  const why = probe.ok ? `context came up on ${probe.evidence?.driver}` : probe.error;
  if (request === 'cuda') throw deviceUnavailable(`--device cuda: NVIDIA GLX context failed on DISPLAY=${display}: ${why}`);
  return { ...planDevice('cpu', host), reason: `auto: cpu, NVIDIA GLX context failed (${why})` };
}

/**
 * EGL backend: the device is proven by an EGL context in a child process
 * (egl/egl-probe-child.ts); `auto` takes the NVIDIA GPU when one draws.
 * Throws the child's error (DEVICE_UNAVAILABLE for cuda, CONFIG otherwise).
 */
export async function resolveEglDevice(request: DeviceRequest, gpu: number | null): Promise<DevicePlan> {
  const script = fileURLToPath(new URL('../egl/egl-probe-child.js', import.meta.url));
  const r = await execa(process.execPath, [script, request, gpu === null ? '' : String(gpu)], { reject: false, timeout: 30_000 });
  let res: EglProbeResult;
  try {
    res = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as EglProbeResult;
  } catch {
    const why = r.stderr.trim().split('\n').filter(Boolean).slice(-2).join(' | ') || (r.signal ? `killed by ${r.signal}` : `exit code ${r.exitCode}`);
    throw new BatchRenderError(request === 'cuda' ? 'DEVICE_UNAVAILABLE' : 'CONFIG', `EGL probe failed: ${why}`);
  }
  if (!res.ok) throw new BatchRenderError(res.code as ErrorCode, res.error);
  return { device: res.device, env: {}, reason: res.reason, gl: 'egl', gpu };
}
