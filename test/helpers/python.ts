/**
 * A python3 that has numpy, for the checks against numpy itself and the
 * numpy transcription of smplx. setup-debian.sh installs Debian's python3-numpy,
 * so /usr/bin/python3 has it even where the python3 first on PATH does not.
 */
import { spawnSync } from 'node:child_process';

function find(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    if (spawnSync(py, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0) return py;
  }
  return null;
}

export const pythonWithNumpy: string | null = find();
