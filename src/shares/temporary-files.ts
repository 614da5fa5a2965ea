/**
 * Our temporary files on disk: a file is written beside its target as
 * `.<name>.<pid>.<random>.tmp` and renamed or linked into place, so nobody ever sees half a file.
 * A process killed in between leaves its temporary behind; the next write into that folder removes
 * those of processes no longer running. They are hidden (a leading dot), and every folder reader
 * here passes hidden files over, so one is never taken for data.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

const OURS = /^\.(.+)\.(\d+)\.[a-z0-9]*\.?tmp$/;

/** A fresh temporary name beside `target`. */
export function temporaryPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
}

/** Whether a process of this machine is still running (a lock or temporary of a live process is left alone). */
export function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes our temporaries in `folder` left by processes that are gone; returns their names. Anything else is left alone. */
export async function removeStaleTemporaries(folder: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch {
    return [];
  }
  const stale = names.filter((name) => {
    const match = OURS.exec(name);
    return match !== null && !isRunning(Number(match[2]));
  });
  for (const name of stale) await fs.rm(path.join(folder, name), { force: true });
  return stale;
}
