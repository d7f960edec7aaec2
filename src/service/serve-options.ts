/**
 * `batch-render serve` and `batch-render worker` options (pure: argv in,
 * options out, or the CLI's USAGE error). Flags in snake_case or kebab-case,
 * like the render CLI.
 */
import { Command, CommanderError } from 'commander';
import { resolve } from 'node:path';
import { normaliseFlags } from '../config/parse-run-options.js';
import { BatchRenderError, usageError } from '../errors.js';
import { checkRedisUrl } from './queue/redis-connection.js';

export interface ServeOptions {
  host: string;
  port: number;
  dataDir: string;
  workers: number;
  token: string | null;
  allowDirs: string[];
  queue: string | null;
  poseModel: string | null;
  detectorModel: string | null;
  modelPath: string | null;
  maxQueue: number;
  maxUploadMb: number;
}

export interface WorkerCommandOptions {
  queue: string;
  dataDir: string;
  workers: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function int(name: string, min: number, max: number) {
  return (v: string) => {
    if (!/^\s*\d+\s*$/.test(v) || Number(v) < min || Number(v) > max) throw usageError(`Expected an integer between ${min} and ${max} for --${name} but received "${v}"`);
    return Number(v);
  };
}

function parse(cmd: Command, argv: string[]): Record<string, unknown> | { help: string } {
  let out = '';
  cmd.exitOverride().configureOutput({ writeOut: (s) => { out += s; }, writeErr: (s) => { out += s; } });
  try {
    cmd.parse(normaliseFlags(argv), { from: 'user' });
  } catch (err) {
    if (err instanceof BatchRenderError) throw err;
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help') return { help: out };
      throw usageError(err.message.replace(/^error: /, '').split('\n')[0]);
    }
    throw err;
  }
  if (cmd.args.length > 0) throw usageError(`unexpected argument "${cmd.args[0]}"`);
  return cmd.opts();
}

export function parseServeArgs(argv: string[]): ServeOptions | { help: string } {
  const cmd = new Command('batch-render serve')
    .description('Render jobs over HTTP (see docs/service.md)')
    .option('--host <addr>', 'address to listen on; any but loopback needs --token', '127.0.0.1')
    .option('--port <n>', 'TCP port (0: any free port)', int('port', 0, 65535), 8080)
    .option('--data <dir>', 'jobs database and job folders', './batch-render-data')
    .option('--workers <n>', 'jobs rendering at once (local queue)', int('workers', 1, 64), 1)
    .option('--token <t>', 'require "Authorization: Bearer <t>" on every request but GET /healthz')
    .option('--allow-dir <root>', 'a folder whose subfolders clients may name as npz_dir (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--queue <url>', 'keep the queue in Redis (redis://host:port) for `batch-render worker` processes')
    .option('--pose-model <onnx>', 'ONNX pose model for uploaded videos')
    .option('--detector-model <onnx>', 'ONNX person detector for uploaded videos')
    .option('--model-path <path>', 'SMPL-X model for every job (default: the built-in demo body)')
    .option('--max-queue <n>', 'queued jobs before POST answers 429', int('max_queue', 1, 1_000_000), 1000)
    .option('--max-upload-mb <n>', 'largest upload in MB (413 above)', int('max_upload_mb', 1, 1_000_000), 2048);
  const o = parse(cmd, argv);
  if ('help' in o) return o as { help: string };
  const token = (o.token as string | undefined) ?? process.env.BATCH_RENDER_TOKEN ?? null;
  if (!LOOPBACK.has(o.host as string) && !token) {
    throw usageError(`--host ${o.host} is reachable from other machines: start with --token T (or BATCH_RENDER_TOKEN), then every request but GET /healthz needs "Authorization: Bearer T"`);
  }
  if (o.detectorModel && !o.poseModel) throw usageError('--detector_model needs --pose_model');
  return {
    host: o.host as string,
    port: o.port as number,
    dataDir: resolve(o.data as string),
    workers: o.workers as number,
    token,
    allowDirs: (o.allowDir as string[]).map((d) => resolve(d)),
    queue: o.queue ? checkRedisUrl(o.queue as string) : null,
    poseModel: o.poseModel ? resolve(o.poseModel as string) : null,
    detectorModel: o.detectorModel ? resolve(o.detectorModel as string) : null,
    modelPath: o.modelPath ? resolve(o.modelPath as string) : null,
    maxQueue: o.maxQueue as number,
    maxUploadMb: o.maxUploadMb as number,
  };
}

export function parseWorkerArgs(argv: string[]): WorkerCommandOptions | { help: string } {
  const cmd = new Command('batch-render worker')
    .description('Run jobs from a Redis queue filled by `batch-render serve --queue` (see docs/service.md)')
    .requiredOption('--queue <url>', 'the Redis URL the server uses (redis://host:port)')
    .requiredOption('--data <dir>', 'the server\'s data folder, as this machine sees it (a shared filesystem)')
    .option('--workers <n>', 'jobs rendering at once on this machine', int('workers', 1, 64), 1)
    .option('--lock-duration-ms <ms>', 'how long a job stays ours without a heartbeat; a dead worker\'s job is retried after it', int('lock_duration_ms', 1000, 3_600_000), 30_000)
    .option('--stalled-interval-ms <ms>', 'how often to look for jobs of dead workers', int('stalled_interval_ms', 500, 3_600_000), 30_000);
  const o = parse(cmd, argv);
  if ('help' in o) return o as { help: string };
  return {
    queue: checkRedisUrl(o.queue as string),
    dataDir: resolve(o.data as string),
    workers: o.workers as number,
    lockDurationMs: o.lockDurationMs as number,
    stalledIntervalMs: o.stalledIntervalMs as number,
  };
}
