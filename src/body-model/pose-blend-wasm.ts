/**
 * WebAssembly SIMD kernel for the pose-corrective product (486 × 3V
 * multiply-adds per frame, the bulk of a forward pass). Same math, grouping
 * and order of additions as accumulate-rows.ts, so results are bit-identical;
 * it is faster because each instruction converts and multiplies two floats.
 *
 * The module is assembled here from a few dozen opcodes (no toolchain, no
 * binary blob in the repo). Rows and the accumulator live in the module's
 * memory; the loader writes posedirs straight into that memory.
 */
import { accumulatePacked, packNonzero } from './accumulate-rows.js';

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
    try {
      const bytes = assemble() as Uint8Array<ArrayBuffer>;
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

// ---- assembler -------------------------------------------------------------

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
const name = (s: string) => [...uleb(s.length), ...Buffer.from(s, 'utf8')];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
const localGet = (i: number) => [0x20, ...uleb(i)];
const localSet = (i: number) => [0x21, ...uleb(i)];
const i32Const = (v: number) => [0x41, ...uleb(v)]; // small non-negative values only

const OP = {
  v128Load: 0x00, v128Store: 0x0b, f64x2Splat: 0x14, v128Load64Zero: 0x5d,
  f64x2PromoteLowF32x4: 0x5f, f64x2Add: 0xf0, f64x2Mul: 0xf2,
} as const;

/**
 * acc{G}(out, n4, p0..p{G-1}, c0..c{G-1}): for each 4-value chunk i < n4,
 *   t = c0·row0 + c1·row1 + … (left to right), out[i] += t
 * with rows read as float32 at byte addresses p_k and out as float64.
 */
function accBody(G: number): number[] {
  const OUT = 0, N4 = 1;
  const P = (k: number) => 2 + k;
  const C = (k: number) => 2 + G + k;
  const I = 2 + 2 * G, END = I + 1, O = I + 2, T = I + 3; // i32 locals
  const S = (k: number) => I + 4 + k;                     // v128 splats
  const TLO = I + 4 + G, THI = TLO + 1;                   // v128 partial sums
  const code: number[] = [];
  for (let k = 0; k < G; k++) code.push(...localGet(C(k)), ...simd(OP.f64x2Splat), ...localSet(S(k)));
  code.push(...localGet(N4), ...i32Const(4), 0x74 /* i32.shl */, ...localSet(END));
  code.push(...i32Const(0), ...localSet(I), ...localGet(OUT), ...localSet(O));
  code.push(0x02, 0x40, 0x03, 0x40); // block, loop
  code.push(...localGet(I), ...localGet(END), 0x4f /* i32.ge_u */, 0x0d, 1 /* br_if 1 */);
  for (let k = 0; k < G; k++) {
    code.push(...localGet(P(k)), ...localGet(I), 0x6a /* i32.add */, ...localSet(T));
    for (const [offset, acc] of [[0, TLO], [8, THI]]) {
      if (k > 0) code.push(...localGet(acc));
      code.push(...localGet(T), ...simd(OP.v128Load64Zero, 0, offset), ...simd(OP.f64x2PromoteLowF32x4));
      code.push(...localGet(S(k)), ...simd(OP.f64x2Mul));
      if (k > 0) code.push(...simd(OP.f64x2Add));
      code.push(...localSet(acc));
    }
  }
  for (const [offset, acc] of [[0, TLO], [16, THI]]) {
    code.push(...localGet(O), ...localGet(O), ...simd(OP.v128Load, 4, offset), ...localGet(acc), ...simd(OP.f64x2Add));
    code.push(...simd(OP.v128Store, 4, offset));
  }
  code.push(...localGet(I), ...i32Const(16), 0x6a, ...localSet(I));
  code.push(...localGet(O), ...i32Const(32), 0x6a, ...localSet(O));
  code.push(0x0c, 0 /* br 0 */, 0x0b, 0x0b /* end loop, end block */, 0x0b /* end func */);
  const locals = vec([[...uleb(4), I32], [...uleb(G + 2), V128]]);
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

function assemble(): Uint8Array<ArrayBuffer> {
  const types = GROUPS.map((G) => [0x60, ...vec([I32, I32, ...new Array(G).fill(I32), ...new Array(G).fill(F64)].map((t) => [t])), 0]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec([[...name('env'), ...name('mem'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec(GROUPS.map((_, i) => uleb(i)))),
    ...section(7, vec(GROUPS.map((G, i) => [...name(`acc${G}`), 0x00, ...uleb(i)]))),
    ...section(10, vec(GROUPS.map((G) => accBody(G)))),
  ];
  return Uint8Array.from(bytes);
}
