/**
 * A sequence and a body model written by numpy itself, not by our writer: an
 * unseen vertex count, float64 model saved compressed with pickled entries,
 * every failure case of the data contract. Skipped without python3 + numpy
 * (setup-debian.sh installs them, so CI runs it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli, readReport, countVideoFrames } from '../helpers/run-cli.js';
import { repoRoot } from '../helpers/paths.js';
import { requireNumpy } from '../helpers/python.js';

test('numpy-written sequence and model: every frame classified as numpy wrote it, outputs follow the policy',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'br-np-'));
    const seq = join(dir, 'frames');
    const model = join(dir, 'SMPLX_NEUTRAL.npz');
    const FRAMES = 80;
    const VERTICES = 1234;
    const gen = spawnSync(requireNumpy(), [resolve(repoRoot, 'test', 'integration', 'numpy_sequence.py'), seq, model, String(FRAMES), String(VERTICES)], { encoding: 'utf8' });
    assert.equal(gen.status, 0, gen.stderr);
    const expected: Record<string, string> = JSON.parse(gen.stdout);

    const out = join(dir, 'out');
    const r = await runCli(['--npz_dir', seq, '--output_dir', out, '--model_path', dir, '--img_size', '160', '--use_fallback']);
    assert.equal(r.code, 0, r.stderr);
    const report = readReport(out);
    assert.equal(report.input.model_vertices, VERTICES);
    assert.equal(report.frames.length, FRAMES);
    for (const f of report.frames) assert.equal(f.check, expected[f.frame], `frame ${f.frame}: ${f.detail}`);
    const counts: Record<string, number> = {};
    for (const c of Object.values(expected)) counts[c] = (counts[c] ?? 0) + 1;
    for (const reason of ['no_person', 'missing_key', 'corrupt', 'invalid_value', 'missing_file']) {
      assert.equal(report.reasons[reason], counts[reason] ?? 0, reason);
    }
    assert.equal(report.totals.rendered, counts.ok);
    assert.equal(report.totals.fallback, FRAMES - counts.ok);
    assert.equal(readdirSync(out).filter((n) => /^mesh_\d+\.png$/.test(n)).length, FRAMES);
    assert.equal(countVideoFrames(join(out, 'render.mp4')), FRAMES);
    const obj = report.frames.find((f: any) => f.detail && /pickled/.test(f.detail));
    assert.ok(obj, 'the object-array frame says it was refused as a pickle');
  });
