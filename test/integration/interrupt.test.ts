/**
 * Ctrl-C mid-run: finished frames stay, nothing is half-written, render.mp4
 * holds the finished frames, the report says what was done, exit 130.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { writeDemoSequence } from '../../src/demo-data/write-sequence.js';
import { runCli, readReport, countVideoFrames } from '../helpers/run-cli.js';

test('SIGINT keeps finished work, writes the report and exits 130', async () => {
  const seq = mkdtempSync(join(tmpdir(), 'br-int-seq-'));
  await writeDemoSequence(seq, { frames: 400, seed: 9, failures: false });
  const out = mkdtempSync(join(tmpdir(), 'br-int-out-'));
  let sent = false;
  const r = await runCli(['--npz_dir', seq, '--output_dir', out, '--img_size', '256', '--json', '--use_fallback'], {
    onStdout: (chunk, kill) => {
      // Interrupt once rendering is under way.
      for (const line of chunk.split('\n')) {
        if (!sent && /"phase":"render"/.test(line) && Number(/"done":(\d+)/.exec(line)?.[1]) > 5) { sent = true; kill('SIGINT'); }
      }
    },
  });
  assert.ok(sent, 'the run was interrupted while rendering');
  assert.equal(r.code, 130, r.stderr);
  const report = readReport(out);
  assert.equal(report.interrupted, true);
  assert.equal(report.frames.length, 400);
  assert.ok(report.totals.cancelled > 0, 'frames not reached are cancelled');
  assert.ok(report.totals.rendered > 0, 'finished frames are kept');
  const files = readdirSync(out);
  assert.ok(!files.some((f) => f.includes('.tmp')), `no temporary files: ${files.filter((f) => f.includes('.tmp'))}`);
  for (const f of report.frames) {
    if (f.image) {
      const meta = await sharp(join(out, f.image)).metadata();
      assert.equal(meta.width, 256, `${f.image} is a whole PNG`);
    } else {
      assert.ok(!existsSync(join(out, `mesh_${String(f.frame).padStart(4, '0')}.png`)), `frame ${f.frame} has no image in the report and none on disk`);
    }
  }
  assert.ok(report.video, 'the video of the finished frames is kept');
  assert.equal(countVideoFrames(join(out, 'render.mp4')), report.video.frames);
  assert.equal(report.video.frames, report.frames.filter((f: any) => f.status === 'rendered' || f.status === 'fallback').length);
});
