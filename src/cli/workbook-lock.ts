/**
 * One command at a time on a workbook: a lock file beside it (`.book.xlsx.lock`) names the command
 * that holds it — host, process id and the process's start time. The lock of a process that is
 * gone (on this host) is taken over; anything else is refused with what holds it.
 *
 * Every step is atomic, so two commands never both believe they hold the lock:
 * - taking a free lock: the content is written to a private file first, then hard-linked to the
 *   lock's name (`link` fails if the name exists), so a lock is never seen half-written;
 * - taking over a stale lock: a takeover file (`.book.xlsx.lock.takeover`) is created exclusively
 *   the same way; only its one creator replaces the stale lock (by rename, after checking it is
 *   still the stale one it read), then removes the takeover file. Every other command refuses.
 * The lock file's content is untrusted: it is read with a size limit and checked field by field.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isRunning } from '../shares/temporary-files';
import { InputError } from './failures';

/** Who holds a lock. */
export interface LockHolder {
  host: string;
  pid: number;
  /** When the holding process started (ISO 8601), to tell it from a later process given the same id. */
  started: string;
}

const LOCK_BYTES = 4096;

/** This process, as written in the locks it takes. */
export function thisProcess(): LockHolder {
  return { host: os.hostname(), pid: process.pid, started: new Date(Date.now() - process.uptime() * 1000).toISOString() };
}

/**
 * The holder a lock file names: the JSON this module writes, or the bare process id an earlier
 * version wrote (taken as this host's). Undefined when the content is neither.
 */
export function parseLockHolder(text: string): LockHolder | undefined {
  const trimmed = text.trim();
  if (/^\d{1,10}$/.test(trimmed)) return Number(trimmed) > 0 ? { host: os.hostname(), pid: Number(trimmed), started: '' } : undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { host, pid, started } = value as Record<string, unknown>;
  if (typeof host !== 'string' || host.length === 0 || host.length > 255) return undefined;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  if (typeof started !== 'string' || started.length > 64) return undefined;
  return { host, pid, started };
}

const describe = (holder: LockHolder) => `process ${holder.pid}${holder.host === os.hostname() ? '' : ` on ${printable(holder.host)}`}${holder.started ? `, started ${printable(holder.started)}` : ''}`;
const printable = (text: string) => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 80);

/** What stands at the lock's path: nothing, a lock file (its content, read with a limit), or something else. */
async function readLock(lock: string): Promise<{ kind: 'none' } | { kind: 'file'; text: string } | { kind: 'other'; what: string }> {
  const stat = await fs.lstat(lock).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!stat) return { kind: 'none' };
  if (!stat.isFile()) return { kind: 'other', what: stat.isDirectory() ? 'a folder' : stat.isSymbolicLink() ? 'a symbolic link' : 'something other than a file' };
  if (stat.size > LOCK_BYTES) return { kind: 'file', text: '' };
  const text = await fs.readFile(lock, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  return text === undefined ? { kind: 'none' } : { kind: 'file', text };
}

/** Creates `target` holding `content`, only if nothing is there: false when something is. */
async function createExclusively(target: string, content: string): Promise<boolean> {
  const draft = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await fs.writeFile(draft, content, { flag: 'wx' });
  try {
    await fs.link(draft, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await fs.rm(draft, { force: true });
  }
}

/** The lock file's path for a workbook. */
export const lockPathOf = (file: string) => path.join(path.dirname(file), `.${path.basename(file)}.lock`);

/** Takes the workbook's lock; returns the content written, to release only our own lock. */
export async function takeWorkbookLock(file: string, me: LockHolder = thisProcess()): Promise<string> {
  const lock = lockPathOf(file);
  const content = JSON.stringify(me);
  const busy = (holder: LockHolder | undefined, extra = '') =>
    new InputError(`${file}: another chargeback command (${holder ? describe(holder) : 'unknown'}) is updating this workbook; try again when it has finished${extra}`);
  const remedy = `; if no chargeback command is running, delete ${lock}`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      if (await createExclusively(lock, content)) return content;
    } catch (error) {
      // A folder we cannot write in: the workbook's own write will say so, as before.
      if (['EACCES', 'EPERM', 'EROFS'].includes((error as NodeJS.ErrnoException).code ?? '')) return content;
      throw error;
    }
    const found = await readLock(lock);
    if (found.kind === 'none') continue; // released meanwhile: try again
    if (found.kind === 'other') throw new InputError(`${file}: ${found.what} stands where the workbook's lock file goes (${lock}); move it away, then try again`);
    const holder = parseLockHolder(found.text);
    if (!holder) throw new InputError(`${file}: the lock file ${lock} does not name a chargeback command (it was not written by one)${remedy}`);
    if (holder.host !== me.host) throw busy(holder, remedy.replace('running', `running on ${printable(holder.host)}`));
    if (isRunning(holder.pid)) throw busy(holder);
    await takeOver(lock, found.text, content, () => busy(undefined));
    return content;
  }
  throw busy(undefined);
}

/** Replaces the stale lock holding `stale` with ours, if this command is the one that creates the takeover file. */
async function takeOver(lock: string, stale: string, content: string, busy: () => Error): Promise<void> {
  const marker = `${lock}.takeover`;
  if (!(await createExclusively(marker, content))) {
    const other = parseLockHolder((await readLock(marker).then((m) => (m.kind === 'file' ? m.text : ''))) ?? '');
    if (other && other.host === os.hostname() && !isRunning(other.pid)) {
      throw new InputError(`${lock}: a command that was taking over this lock stopped part way; if no chargeback command is running, delete ${marker} and ${lock}`);
    }
    throw busy();
  }
  try {
    const now = await readLock(lock);
    // Another command may have taken over (and perhaps released) between our read and our takeover file.
    if (now.kind === 'none') {
      if (!(await createExclusively(lock, content))) throw busy();
      return;
    }
    if (now.kind !== 'file' || now.text !== stale) throw busy();
    // Only the takeover file's creator replaces a lock, and a dead holder never releases: rename is safe.
    const draft = `${lock}.${process.pid}.new`;
    await fs.writeFile(draft, content);
    await fs.rename(draft, lock);
  } finally {
    await fs.rm(marker, { force: true });
  }
}

/** Removes the workbook's lock if it is still the one this command took. */
export async function releaseWorkbookLock(file: string, content: string): Promise<void> {
  const lock = lockPathOf(file);
  const found = await readLock(lock).catch(() => undefined);
  if (found?.kind === 'file' && found.text === content) await fs.rm(lock, { force: true });
}

/** Refuses to start a step on a workbook another command is updating; runs `step` holding the workbook's lock. */
export async function withWorkbookLock<T>(file: string, step: () => Promise<T>): Promise<T> {
  const content = await takeWorkbookLock(file);
  try {
    return await step();
  } finally {
    await releaseWorkbookLock(file, content);
  }
}
