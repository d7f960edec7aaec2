/**
 * Resolves --device once, in the main process, before any renderer starts
 * (a GPU that does not work fails the run here, not in every worker). The
 * plan (device, the GL vendor env it needs, why) goes to every renderer,
 * which applies it before GL loads.
 */
import type { DeviceRequest } from '../../types.js';
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
