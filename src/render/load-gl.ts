/**
 * Lazy, typed access to headless-gl. It ships no types and can be loaded only
 * once per process, after the device env (__GLX_VENDOR_LIBRARY_NAME…) is set.
 */
import { createRequire } from 'node:module';

export type CreateGl = (width: number, height: number, attributes?: WebGLContextAttributes) => WebGLRenderingContext | null;

let createGl: CreateGl | undefined;

export function loadGl(): CreateGl {
  return (createGl ??= createRequire(import.meta.url)('gl') as CreateGl);
}

export function isGlLoaded(): boolean {
  return createGl !== undefined;
}

/** Frees the native context now instead of at GC. */
export function destroyContext(gl: WebGLRenderingContext): void {
  (gl.getExtension('STACKGL_destroy_context') as { destroy(): void } | null)?.destroy();
}
