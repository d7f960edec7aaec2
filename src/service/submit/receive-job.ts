/**
 * Turns a POST into a job spec: a multipart upload (a video, or a zip of
 * frame files) with option fields, or JSON {"npz_dir": …, options…}. Uploads
 * are streamed into the new job's own folder, which is removed again if the
 * request is refused, so a refused request leaves nothing behind.
 */
import { createWriteStream, openSync, readSync, closeSync, rmSync, mkdirSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import { basename, extname, join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import type { JobSpec } from '../store/job-record.js';
import { jobDir, jobInputDir } from '../run/job-paths.js';
import { fieldsToArgs, jsonFields, validateRenderArgs } from './render-fields.js';
import { resolveAllowedDir } from './resolve-allowed-dir.js';
import { extractFramesZip } from './extract-frames-zip.js';
import { probeVideo } from '../../video/probe-video.js';
import { ServiceError, badUpload } from '../service-errors.js';
import { usageError } from '../../errors.js';

export interface SubmitConfig {
  dataDir: string;
  allowDirs: string[];
  poseModel: string | null;
  detectorModel: string | null;
  modelPath: string | null;
  maxUploadBytes: number;
}

const ZIP_MAGIC = [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('PK\x05\x06', 'latin1')];

function isZip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(4);
    const n = readSync(fd, b, 0, 4, 0);
    return n === 4 && ZIP_MAGIC.some((m) => m.equals(b));
  } finally {
    closeSync(fd);
  }
}

/** The upload's name reduced to a safe file name inside the job folder. */
const safeName = (name: string | undefined) => {
  const ext = extname(basename(name ?? '')).toLowerCase();
  return `upload${/^\.[a-z0-9]{1,8}$/.test(ext) ? ext : ''}`;
};

export async function receiveJob(req: FastifyRequest, cfg: SubmitConfig): Promise<{ id: string; spec: JobSpec }> {
  const id = randomUUID();
  const dir = jobDir(cfg.dataDir, id);
  try {
    const spec = req.isMultipart() ? await fromMultipart(req, cfg, id) : fromJson(req.body, cfg);
    return { id, spec };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

function finishSpec(input: JobSpec['input'], fields: Record<string, string>, cfg: SubmitConfig): JobSpec {
  const renderArgs = fieldsToArgs(fields);
  const inputArgs = input.kind === 'video' ? ['--video', 'v', '--pose_model', input.poseModel] : ['--npz_dir', 'd'];
  validateRenderArgs(inputArgs, renderArgs);
  if (cfg.modelPath) renderArgs.push(`--model_path=${cfg.modelPath}`);
  return { input, renderArgs, api: 'jobs' };
}

function fromJson(body: unknown, cfg: SubmitConfig): JobSpec {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw usageError('send a multipart upload (a video or a zip of frame files) or JSON {"npz_dir": …}');
  }
  const b = body as Record<string, unknown>;
  if (!('npz_dir' in b)) throw usageError('JSON jobs need "npz_dir" (uploads are sent as multipart/form-data)');
  const dir = resolveAllowedDir(b.npz_dir, cfg.allowDirs);
  return finishSpec({ kind: 'npz_dir', dir }, jsonFields(b, ['npz_dir']), cfg);
}

async function fromMultipart(req: FastifyRequest, cfg: SubmitConfig, id: string): Promise<JobSpec> {
  const fields: Record<string, string> = {};
  let upload: { path: string; name: string } | null = null;
  const input = jobInputDir(cfg.dataDir, id);
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      if (upload) { part.file.resume(); throw usageError('send one file per job'); }
      mkdirSync(input, { recursive: true });
      const path = join(input, safeName(part.filename));
      await pipeline(part.file, createWriteStream(path, { flags: 'wx' }));
      upload = { path, name: part.filename || part.fieldname };
    } else {
      fields[part.fieldname] = String(part.value);
    }
  }
  if (!upload) {
    if (fields.npz_dir !== undefined) {
      const dir = resolveAllowedDir(fields.npz_dir, cfg.allowDirs);
      const { npz_dir: _, ...rest } = fields;
      return finishSpec({ kind: 'npz_dir', dir }, rest, cfg);
    }
    throw usageError('no file in the upload: send a video or a zip of frame files');
  }
  const label = `upload ${upload.name}`;
  if (isZip(upload.path)) {
    // Options are checked before unpacking, so a bad option costs no inflation.
    const spec = finishSpec({ kind: 'frames_zip', dir: 'input/frames', upload: `input/${basename(upload.path)}` }, fields, cfg);
    extractFramesZip(upload.path, join(input, 'frames'), {
      maxEntries: 100_000, maxTotalBytes: Math.max(cfg.maxUploadBytes * 10, 64 << 20), maxEntryBytes: 64 << 20,
    }, label);
    rmSync(upload.path, { force: true });
    return spec;
  }
  if (!cfg.poseModel) {
    throw new ServiceError('BAD_UPLOAD', `${label}: not a zip of frame files, and this server renders no videos (it was started without --pose_model)`);
  }
  const spec = finishSpec({ kind: 'video', file: `input/${basename(upload.path)}`, poseModel: cfg.poseModel, detectorModel: cfg.detectorModel }, fields, cfg);
  try {
    await probeVideo(upload.path);
  } catch (err) {
    throw badUpload(`${label}: not a video or a zip of frame files (${(err as Error).message.replace(/^cannot read video [^:]*: /, '')})`);
  }
  return spec;
}
