/**
 * Host probes for the device choice (impure): NVIDIA device nodes and
 * libraries, the GL libraries this process mapped, glxinfo, and a GL
 * context tried in a throwaway child process.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import { parseGlxinfo, parseLoadedDrivers, type DriverEvidence, type GlxinfoSummary, type HostGpuProbe } from './select-device.js';

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
