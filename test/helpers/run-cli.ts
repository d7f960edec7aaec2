/** Runs the real CLI as a user would, and reads back its outputs. */
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath } from './paths.js';
import { ffprobePath } from '../../src/video/ffmpeg-path.js';

export interface CliRun { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

type OnOutput = (chunk: string, kill: (s: NodeJS.Signals) => void) => void;

/**
 * `group`: the CLI leads its own process group and `kill` signals the whole
 * group, as a terminal's Ctrl-C does. `onSpawn` sees the child's pid.
 */
export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; onStderr?: OnOutput; onStdout?: OnOutput; group?: boolean; onSpawn?: (pid: number) => void; cwd?: string; uid?: number; gid?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(cliPath, args, {
      env: { ...process.env, CI: '1', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: !!opts.group, cwd: opts.cwd, uid: opts.uid, gid: opts.gid,
    });
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    const kill = (s: NodeJS.Signals) => { if (opts.group) process.kill(-child.pid!, s); else child.kill(s); };
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; opts.onStdout?.(String(d), kill); });
    child.stderr.on('data', (d) => { stderr += d; opts.onStderr?.(String(d), kill); });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, 'render_report.json'), 'utf8'));

/** Frames actually decodable in a video file, counted by ffprobe. */
export function countVideoFrames(file: string): number {
  const out = execFileSync(ffprobePath(), ['-v', 'error', '-count_frames', '-select_streams', 'v:0',
    '-show_entries', 'stream=nb_read_frames,codec_name,pix_fmt,width,height', '-of', 'json', file], { encoding: 'utf8' });
  return Number(JSON.parse(out).streams[0].nb_read_frames);
}

export function videoStream(file: string): { codec_name: string; pix_fmt: string; width: number; height: number; r_frame_rate: string } {
  const out = execFileSync(ffprobePath(), ['-v', 'error', '-select_streams', 'v:0',
    '-show_entries', 'stream=codec_name,pix_fmt,width,height,r_frame_rate', '-of', 'json', file], { encoding: 'utf8' });
  return JSON.parse(out).streams[0];
}
