/**
 * Render options sent as form or JSON fields become CLI flags, validated by
 * the CLI's own parser, so a bad value gets exactly the CLI's one-line message.
 */
import { parseRunOptions } from '../../config/parse-run-options.js';
import { usageError } from '../../errors.js';

/** Set by the service for every job (input, output, models, progress format), never per job. */
const SERVICE_OWNED = new Set(['npz_dir', 'video', 'output_dir', 'json', 'model_path', 'shard', 'shard_count', 'background', 'pose_model', 'detector_model', 'pose_io', 'help', 'version']);
const BOOLEAN = new Set(['use_fallback', 'dry_run', 'flat_hand_mean', 'png', 'mp4', 'no_png', 'no_mp4']);
/** The old Flask API's names. */
const ALIASES: Record<string, string> = { num_workers: 'concurrency' };

const truthy = (name: string, v: string) => {
  if (/^(1|true|yes|on|)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw usageError(`Expected true or false for --${name} but received "${v}"`);
};

/** Fields → CLI flags (pure). Commander takes the word after a flag that needs a value as that value, even one starting with "-". */
export function fieldsToArgs(fields: Record<string, string>): string[] {
  const args: string[] = [];
  for (const [raw, value] of Object.entries(fields)) {
    const key = raw.replace(/-/g, '_');
    const name = ALIASES[key] ?? key;
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw usageError(`unknown option '${raw}'`);
    if (SERVICE_OWNED.has(name)) throw usageError(`--${name} is set by the service, not per job`);
    if (BOOLEAN.has(name)) {
      const on = truthy(name, value);
      if (name === 'png' || name === 'mp4') { if (!on) args.push(`--no-${name}`); }
      else if (on) args.push(`--${name}`);
    } else {
      args.push(`--${name}`, value);
    }
  }
  return args;
}

/** Throws the CLI's USAGE error for a bad combination or value. */
export function validateRenderArgs(inputArgs: string[], renderArgs: string[]): void {
  const r = parseRunOptions([...inputArgs, '--output_dir', 'out', ...renderArgs]);
  if (r.kind === 'exit') throw usageError('help and version are not job options');
}

/** JSON values (numbers, booleans) as the strings a form would send. */
export function jsonFields(body: Record<string, unknown>, skip: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    if (skip.includes(k)) continue;
    if (v !== null && typeof v === 'object') throw usageError(`field "${k}" must be a string, number or boolean`);
    out[k] = String(v);
  }
  return out;
}
