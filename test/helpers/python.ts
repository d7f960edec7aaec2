/**
 * A python3 that has numpy, for the checks against numpy itself and the
 * numpy transcription of smplx. setup-debian.sh installs Debian's python3-numpy
 * (CI does too), so /usr/bin/python3 has it even where the python3 first on
 * PATH does not. A numpy check never skips: without numpy it fails, because
 * a check that cannot run must not pass.
 */
import { spawnSync } from 'node:child_process';

function find(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    if (spawnSync(py, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0) return py;
  }
  return null;
}

export const pythonWithNumpy: string | null = find();

/** The python3 with numpy, or an Error that fails the calling test. */
export function requireNumpy(): string {
  if (!pythonWithNumpy) {
    throw new Error('python3 with numpy is required for this check and was not found (Debian: apt-get install python3-numpy, as scripts/setup-debian.sh does)');
  }
  return pythonWithNumpy;
}

/** Runs a python script (file path, or code with `-c`) under requireNumpy(); fails with its stderr on a non-zero exit. Returns stdout. */
export function runNumpy(args: string[]): string {
  const r = spawnSync(requireNumpy(), args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python3 ${args[0]} exited with ${r.status ?? r.signal}: ${r.stderr.trim()}`);
  return r.stdout;
}
