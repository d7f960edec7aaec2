/**
 * WebAssembly SIMD kernel for the pose-corrective product (486 × 3V
 * multiply-adds per frame, the bulk of a forward pass). Same math, grouping
 * and order of additions as accumulate-rows.ts, so results are bit-identical;
 * it is faster because each instruction converts and multiplies two floats.
 *
 * The kernel's source is pose-blend.wat; scripts/build-wasm.mjs assembles it
 * at build time into pose-blend.wasm next to this module's compiled file.
 * Rows and the accumulator live in the module's memory; the loader writes
 * posedirs straight into that memory.
 */
import { readFileSync } from 'node:fs';
import { accumulatePacked, packNonzero } from './accumulate-rows.js';

const WASM_URL = new URL('./pose-blend.wasm', import.meta.url);

export interface WasmRowKernel {
  /** (numRows × n) float32 rows, a view into wasm memory. */
  readonly rows: Float32Array;
  /** (n) float64 accumulator, a view into wasm memory. */
  readonly out: Float64Array;
  /** out += Σ_k coeffs[k] · rows[k], k < count; idx (≥ count) is scratch. */
  accumulate(coeffs: ArrayLike<number>, count: number, idx: Int32Array): void;
}

/** Rows folded per call, largest first, exactly as the JS kernel groups them. */
const GROUPS = [8, 4, 1] as const;

type AccFn = (out: number, n4: number, ...ptrsAndCoeffs: number[]) => void;

let compiled: WebAssembly.Module | null | undefined;

function module(): WebAssembly.Module | null {
  if (compiled === undefined) {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = readFileSync(WASM_URL) as Uint8Array<ArrayBuffer>;
    } catch (err) {
      // A build without its kernel is broken, not slow: say so instead of falling back.
      throw new Error(`pose-blend kernel ${WASM_URL.pathname} is missing (${(err as NodeJS.ErrnoException).code}); run npm run build`, { cause: err });
    }
    try {
      compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      compiled = null; // no WebAssembly SIMD here: the JS kernel is used
    }
  }
  return compiled;
}

/** A kernel for numRows rows of length n, or null where WebAssembly SIMD is unavailable. */
export function createWasmRowKernel(numRows: number, n: number): WasmRowKernel | null {
  const mod = module();
  if (!mod) return null;
  const outBytes = Math.ceil((n * 8) / 16) * 16;
  const total = outBytes + numRows * n * 4;
  if (total >= 2 ** 31) return null; // pointers are passed as i32
  const memory = new WebAssembly.Memory({ initial: Math.ceil(total / 65536) });
  const inst = new WebAssembly.Instance(mod, { env: { mem: memory } });
  const fns = GROUPS.map((g) => inst.exports[`acc${g}`] as unknown as AccFn);
  // The memory never grows, so these views stay valid.
  const out = new Float64Array(memory.buffer, 0, n);
  const rows = new Float32Array(memory.buffer, outBytes, numRows * n);
  const n4 = Math.floor(n / 4);
  const rowBytes = n * 4;
  const argBufs = GROUPS.map((size) => [0, n4, ...new Array<number>(2 * size).fill(0)]);

  return {
    rows,
    out,
    accumulate(coeffs, count, idx) {
      const m = packNonzero(coeffs, count, idx);
      let g = 0;
      for (let gi = 0; gi < GROUPS.length; gi++) {
        const size = GROUPS[gi];
        const fn = fns[gi];
        const args = argBufs[gi];
        for (; g + size <= m; g += size) {
          for (let k = 0; k < size; k++) {
            args[2 + k] = outBytes + idx[g + k] * rowBytes;
            args[2 + size + k] = coeffs[idx[g + k]];
          }
          fn(...(args as [number, number, ...number[]]));
        }
      }
      // The last n mod 4 values, in JS with the same grouping.
      if (n4 * 4 < n) accumulatePacked(out, rows, n, coeffs, 0, idx, m, n4 * 4);
    },
  };
}
