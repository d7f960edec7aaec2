/**
 * Run as a child process: opens a small EGL context for `--device` (argv[2]:
 * cpu, cuda or auto; argv[3]: the GPU ordinal or '') and prints one JSON line
 * saying which device drew, or why none did. A child keeps a failed driver
 * out of the main process, which may still fall back to headless-gl.
 */
import { createEglContext, type EglContextInfo } from './create-egl-context.js';

export type EglProbeResult =
  | { ok: true; device: 'cpu' | 'cuda'; reason: string; info: EglContextInfo }
  | { ok: false; code: string; error: string };

const [request, gpuArg] = process.argv.slice(2);
const gpu = gpuArg ? Number(gpuArg) : undefined;

function open(device: 'cpu' | 'cuda'): EglContextInfo {
  const { gl, info } = createEglContext({ width: 16, height: 16, device, gpu });
  gl.destroy();
  return info;
}

const where = (i: EglContextInfo) =>
  `${i.deviceIndex === null ? 'EGL surfaceless platform' : `EGL device ${i.deviceIndex}`} (${i.deviceExtension}), ${i.glRenderer}`;

let result: EglProbeResult;
try {
  if (request === 'cpu' || request === 'cuda') {
    const info = open(request);
    result = { ok: true, device: request, reason: `requested ${request}: ${where(info)}`, info };
  } else {
    try {
      const info = open('cuda');
      result = { ok: true, device: 'cuda', reason: `auto: NVIDIA GPU, ${where(info)}`, info };
    } catch (err) {
      const info = open('cpu');
      const why = (err as Error).message.replace(/^--device cuda: /, '');
      result = { ok: true, device: 'cpu', reason: `auto: cpu, ${where(info)}; no GPU: ${why}`, info };
    }
  }
} catch (err) {
  result = { ok: false, code: (err as { code?: string }).code ?? 'CONFIG', error: (err as Error).message };
}
process.stdout.write(`${JSON.stringify(result)}\n`);
