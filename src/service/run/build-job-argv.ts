/** The CLI command line of a job (pure): input flags, the job's output folder, --json, then the render flags. */
import { join } from 'node:path';
import type { JobSpec } from '../store/job-record.js';
import { jobDir, jobOutDir } from './job-paths.js';

export function buildJobArgv(spec: JobSpec, dataDir: string, id: string): string[] {
  const dir = jobDir(dataDir, id);
  const input = spec.input.kind === 'npz_dir' ? ['--npz_dir', spec.input.dir]
    : spec.input.kind === 'frames_zip' ? ['--npz_dir', join(dir, spec.input.dir)]
      : ['--video', join(dir, spec.input.file), '--pose_model', spec.input.poseModel,
        ...(spec.input.detectorModel ? ['--detector_model', spec.input.detectorModel] : [])];
  return ['--json', ...input, '--output_dir', jobOutDir(dataDir, id), ...spec.renderArgs];
}
