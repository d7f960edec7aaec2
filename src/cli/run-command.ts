/** Chooses the job for the parsed options: a directory of NPZ files, or a video run through pose extraction first. */
import type { RunOptions } from './parse-cli.js';
import type { OptionValue } from '../report/build-report.js';
import { runBatch, type RunContext, type RunOutcome } from '../pipeline/run-batch.js';

export async function runCommand(options: RunOptions, provenance: Record<string, OptionValue>, ctx: RunContext): Promise<RunOutcome> {
  return runBatch(options, provenance, ctx);
}
