/**
 * What an earlier run into this output folder finished: its report's frames
 * (a finished or interrupted run) and the journal it appends as each output
 * frame lands (a run killed before it could write a report).
 */
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_NAME } from './output-names.js';

export const JOURNAL_NAME = '.batch-render.journal.jsonl';

/** An output frame an earlier run finished: what it depended on, and its file. */
export interface PreviousOutput {
  fingerprint: string;
  image: string;
}

export interface PreviousRun {
  outputs: Map<number, PreviousOutput>;
  video: { file: string; frames: number; fps: number; fingerprint: string } | null;
}

/** `reports`: the reports to read (a shard reads its shard report and the merged one); `journal`: the journal's name. */
export function readPreviousRun(dir: string, reports: readonly string[] = [REPORT_NAME], journal = JOURNAL_NAME): PreviousRun {
  const outputs = new Map<number, PreviousOutput>();
  let video: PreviousRun['video'] = null;
  for (const name of reports) {
    try {
      const report = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      for (const f of Array.isArray(report.frames) ? report.frames : []) {
        if (Number.isInteger(f?.frame) && typeof f.fingerprint === 'string' && typeof f.image === 'string') outputs.set(f.frame, { fingerprint: f.fingerprint, image: f.image });
      }
      if (report.video && typeof report.video.fingerprint === 'string') video = report.video;
    } catch { /* no report, or not ours: nothing to reuse from it */ }
  }
  try {
    for (const line of readFileSync(join(dir, journal), 'utf8').split('\n')) {
      try {
        const j = JSON.parse(line);
        if (Number.isInteger(j.frame) && typeof j.fingerprint === 'string' && typeof j.image === 'string') outputs.set(j.frame, j);
      } catch { /* a line cut by kill -9 */ }
    }
  } catch { /* no journal */ }
  return { outputs, video };
}

/** Appends one finished output frame, synchronously: a kill -9 right after loses nothing. */
export class FrameJournal {
  private readonly path: string;
  constructor(dir: string, name = JOURNAL_NAME) {
    this.path = join(dir, name);
  }
  add(frame: number, fingerprint: string, image: string): void {
    appendFileSync(this.path, JSON.stringify({ frame, fingerprint, image }) + '\n');
  }
  /** The report now says it all. */
  remove(): void {
    if (existsSync(this.path)) rmSync(this.path, { force: true });
  }
}
