/** Evidence that no X server was involved: X server processes on the host and whose they are. */
import { readdirSync, readFileSync } from 'node:fs';

export interface XProcess {
  pid: number;
  comm: string;
  /** Whether it descends from `ancestor` (this test process by default). */
  ours: boolean;
}

const X_SERVER = /^(Xvfb|Xorg|X|Xwayland|Xvnc)$/;

export function xServerProcesses(ancestor = process.pid): XProcess[] {
  const parent = new Map<number, number>();
  const comm = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid …"; comm may hold spaces or parentheses.
      const close = stat.lastIndexOf(')');
      comm.set(Number(name), stat.slice(stat.indexOf('(') + 1, close));
      parent.set(Number(name), Number(stat.slice(close + 2).split(' ')[1]));
    } catch {
      // exited while we looked
    }
  }
  const descends = (pid: number) => {
    for (let p = parent.get(pid); p !== undefined && p > 0; p = parent.get(p)) if (p === ancestor) return true;
    return false;
  };
  return [...comm].filter(([, c]) => X_SERVER.test(c)).map(([pid, c]) => ({ pid, comm: c, ours: descends(pid) }));
}
