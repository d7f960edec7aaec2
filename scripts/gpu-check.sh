#!/usr/bin/env bash
# What to run on a machine with an NVIDIA GPU (docs/performance.md, "Drawing
# without X: EGL"): lists the EGL devices, renders the golden frame and a
# 1800-frame benchmark with `--device cuda --gl egl`, prints the renderer
# strings the drawing context reported and frames/s, and exits non-zero if
# the GPU did not draw (wrong renderer, failed run, or a wrong picture).
#
#   scripts/gpu-check.sh [--device cuda|cpu] [--frames 1800] [--out gpu_check_out]
#
# --device cpu runs the same checks on Mesa llvmpipe (to test the script
# where there is no GPU).
set -euo pipefail
cd "$(dirname "$0")/.."

DEVICE=cuda
FRAMES=1800
OUT=gpu_check_out
while [ $# -gt 0 ]; do
  case "$1" in
    --device) DEVICE="$2"; shift 2 ;;
    --frames) FRAMES="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    *) echo "gpu-check: unknown option $1" >&2; exit 2 ;;
  esac
done
case "$DEVICE" in cuda) WANT='NVIDIA' ;; cpu) WANT='llvmpipe|softpipe' ;; *) echo "gpu-check: --device cuda or cpu" >&2; exit 2 ;; esac
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

# Build what is missing (offline: npm's bundled node-gyp and the local Node headers).
[ -f dist/src/cli/main.js ] || npm run build --silent
if [ ! -f native/egl/build/Release/batch_render_egl.node ]; then
  NPM_DIR="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
  node "$NPM_DIR/node_modules/node-gyp/bin/node-gyp.js" rebuild -C native/egl --loglevel=warn \
    --nodedir="$(node -p 'require("path").resolve(process.execPath, "../..")')"
fi

echo "== host"
echo "DISPLAY=${DISPLAY:-<unset>}  CUDA_VISIBLE_DEVICES=${CUDA_VISIBLE_DEVICES:-<unset>}"
if command -v nvidia-smi >/dev/null; then nvidia-smi -L || true; else echo "nvidia-smi: not installed"; fi

echo "== EGL devices"
node --input-type=module -e '
  const { listEglDevices, eglClientExtensions } = await import("./dist/src/render/egl/list-egl-devices.js");
  console.log("client extensions:", eglClientExtensions().join(" ") || "(none)");
  for (const d of listEglDevices()) {
    console.log(`#${d.index} vendor=${d.vendor ?? "?"} drm=${d.drmDeviceFile ?? "-"} driver=${d.drmDriver ?? "-"} cuda=${d.cudaDevice ?? "-"}${d.error ? ` error=${d.error}` : ""}`);
    console.log(`   ${d.extensions.join(" ")}`);
  }'

# The renderer section of a run's report, one line; fails unless it names $WANT and EGL drew.
check_renderer() {
  node --input-type=module -e '
    import { readFileSync } from "node:fs";
    const r = JSON.parse(readFileSync(process.argv[1], "utf8")).renderer ?? {};
    const e = r.evidence ?? {};
    console.log(`renderer: ${r.gl_renderer} | ${r.gl_vendor} | ${r.gl_version} | backend ${e.backend} | EGL ${e.egl_vendor} ${e.egl_version}, device ${e.egl_device_index} (${e.egl_device_extension})`);
    console.log(`  ${e.reason}; driver ${e.driver?.driver}: ${(e.driver?.libs ?? []).join(" ")}`);
    if (!new RegExp(process.argv[2], "i").test(`${r.gl_vendor} ${r.gl_renderer}`)) { console.error(`gpu-check: FAIL: renderer is not ${process.argv[2]}`); process.exit(1); }
    if (e.backend !== "egl") { console.error("gpu-check: FAIL: did not draw through EGL"); process.exit(1); }
  ' "$1" "$WANT"
}

echo "== golden frame (--device $DEVICE --gl egl)"
node --input-type=module -e '
  const { writeDemoSequence } = await import("./dist/src/demo-data/write-sequence.js");
  await writeDemoSequence(process.argv[1], { frames: 8, seed: 5, failures: false });' "$OUT/golden_seq"
rm -rf "$OUT/golden"
bin/batch-render --npz_dir "$OUT/golden_seq" --output_dir "$OUT/golden" --img_size 320 --no-mp4 \
  --device "$DEVICE" --gl egl >"$OUT/golden.log" 2>&1 || { tail -5 "$OUT/golden.log"; echo "gpu-check: FAIL: golden run exited non-zero" >&2; exit 1; }
check_renderer "$OUT/golden/render_report.json"
# The same threshold as test/integration/picture.test.ts.
node --input-type=module -e '
  const sharp = (await import("sharp")).default;
  const rgb = (p) => sharp(p).removeAlpha().raw().toBuffer();
  const [a, b] = await Promise.all([rgb(process.argv[1]), rgb(process.argv[2])]);
  if (a.length !== b.length) { console.error("gpu-check: FAIL: golden size differs"); process.exit(1); }
  let sum = 0, far = 0;
  for (let i = 0; i < a.length; i++) { const d = Math.abs(a[i] - b[i]); sum += d; if (d > 40) far++; }
  const mean = sum / a.length, farPct = 100 * far / a.length;
  console.log(`golden: mean abs difference ${mean.toFixed(2)}/255, ${farPct.toFixed(2)} % of samples off by > 40 (limits 1.5, 0.5 %)`);
  if (!(mean < 1.5 && farPct < 0.5)) { console.error("gpu-check: FAIL: the picture does not match the golden image"); process.exit(1); }
' "$OUT/golden/mesh_0006.png" fixtures/expected/golden_mesh_0006.png

echo "== benchmark: $FRAMES frames at 720x720 (--device $DEVICE --gl egl)"
# The benchmark's own data (scripts/bench.ts): 12 % no-person frames, a SMPL-X-sized body.
node --input-type=module -e '
  import { existsSync, writeFileSync } from "node:fs";
  const [dir, body, frames] = [process.argv[1], process.argv[2], Number(process.argv[3])];
  if (!existsSync(`${dir}/.complete`)) {
    const { writeDemoSequence } = await import("./dist/src/demo-data/write-sequence.js");
    await writeDemoSequence(dir, { frames, seed: 1, noPersonRate: 0.12, failures: false });
    writeFileSync(`${dir}/.complete`, "");
  }
  if (!existsSync(body)) {
    const { writeDemoBody } = await import("./dist/src/body-model/demo-body/write-demo-body.js");
    await writeDemoBody(body, { targetVertices: 10475 });
  }' "$OUT/bench_seq_$FRAMES" "$OUT/SMPLX_NEUTRAL.npz" "$FRAMES"
rm -rf "$OUT/bench"
T0=$(date +%s.%N)
bin/batch-render --npz_dir "$OUT/bench_seq_$FRAMES" --model_path "$OUT/SMPLX_NEUTRAL.npz" --output_dir "$OUT/bench" \
  --img_size 720 --use_fallback --device "$DEVICE" --gl egl >"$OUT/bench.log" 2>&1 \
  || { tail -5 "$OUT/bench.log"; echo "gpu-check: FAIL: benchmark run exited non-zero" >&2; exit 1; }
T1=$(date +%s.%N)
check_renderer "$OUT/bench/render_report.json"
PNGS=$(find "$OUT/bench" -name 'mesh_*.png' | wc -l)
node -e 'const [f, t0, t1, n] = process.argv.slice(1).map(Number);
  console.log(`frames/s: ${(f / (t1 - t0)).toFixed(1)} end to end (${f} frames in ${(t1 - t0).toFixed(1)} s, ${n} PNGs + render.mp4)`);' \
  "$FRAMES" "$T0" "$T1" "$PNGS"
[ "$PNGS" -gt 0 ] && [ -s "$OUT/bench/render.mp4" ] || { echo "gpu-check: FAIL: no images or video written" >&2; exit 1; }
echo "gpu-check: OK ($DEVICE drew through EGL)"
