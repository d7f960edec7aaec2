/**
 * Lazy, typed access to headless-gl. It ships no types and loads once per
 * process; libglvnd fixes its GLX vendor at that moment, so the device's env
 * is applied here, just before, and a second, different env is refused.
 */
import { createRequire } from 'node:module';
import { deviceUnavailable } from '../device/select-device.js';

export type CreateGl = (width: number, height: number, attributes?: WebGLContextAttributes) => WebGLRenderingContext | null;

let createGl: CreateGl | undefined;
let loadedEnv: string | undefined;

export function loadGl(env: Record<string, string> = {}): CreateGl {
  const key = JSON.stringify(env);
  if (createGl && key !== loadedEnv) throw deviceUnavailable(`GL is already loaded in this process with ${loadedEnv}; cannot switch to ${key}`);
  if (!createGl) {
    Object.assign(process.env, env);
    createGl = createRequire(import.meta.url)('gl') as CreateGl;
    loadedEnv = key;
  }
  return createGl;
}

/** Frees the native context now instead of at GC. */
export function destroyContext(gl: WebGLRenderingContext): void {
  (gl.getExtension('STACKGL_destroy_context') as { destroy(): void } | null)?.destroy();
}
