/**
 * The old Flask service's answers (pure but for reading the job's files):
 * {"status": "success", "data": {output_path, total_frames, fps, resolution,
 * processing_time_seconds, output_size_mb, pose_detection_stats, mesh_rendering_stats, stats}}.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { JobRecord, JobState } from '../store/job-record.js';
import { jobOutDir } from '../run/job-paths.js';
import { probeVideo } from '../../video/probe-video.js';

const OLD_STATUS: Record<JobState, string> = { queued: 'queued', running: 'processing', done: 'completed', failed: 'failed', cancelled: 'cancelled' };

export async function flaskResult(job: JobRecord, dataDir: string) {
  const out = jobOutDir(dataDir, job.id);
  const reportPath = join(out, 'render_report.json');
  const report = existsSync(reportPath) ? JSON.parse(readFileSync(reportPath, 'utf8')) : null;
  const mp4 = join(out, 'render.mp4');
  const hasMp4 = existsSync(mp4);
  let resolution: [number, number] | null = null;
  if (hasMp4) {
    const info = await probeVideo(mp4);
    resolution = [info.width, info.height];
  }
  const run = job.startedAt && job.finishedAt ? (Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000 : null;
  return {
    output_path: hasMp4 ? mp4 : null,
    output_url: hasMp4 ? `/jobs/${job.id}/files/render.mp4` : null,
    total_frames: report?.totals?.frames ?? job.summary?.totals?.frames ?? 0,
    fps: report?.video?.fps ?? report?.options?.fps?.value ?? null,
    resolution,
    processing_time_seconds: run === null ? null : Math.round(run * 100) / 100,
    output_size_mb: hasMp4 ? Math.round((statSync(mp4).size / 1e6) * 100) / 100 : 0,
    pose_detection_stats: report?.extraction ?? null,
    mesh_rendering_stats: report ? { totals: report.totals, renderer: report.renderer, timing: report.timing } : null,
    stats: { totals: report?.totals ?? null, reasons: report?.reasons ?? null, missing_rate: report?.missing_rate ?? null },
  };
}

export async function flaskStatus(job: JobRecord, dataDir: string) {
  const p = job.progress;
  return {
    job_id: job.id,
    status: OLD_STATUS[job.state],
    progress: job.state === 'done' ? 100 : p && p.total > 0 ? Math.round((100 * p.done) / p.total) : 0,
    phase: p?.phase ?? null,
    data: job.state === 'done' ? await flaskResult(job, dataDir) : null,
    error: job.error,
  };
}
