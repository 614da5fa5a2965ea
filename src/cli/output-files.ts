/**
 * What the command line may write over, and when. An output never replaces an input of the same
 * command, and never an existing file (a chargeback workbook with its approvals and Audit log, a
 * filled-in rules workbook) unless `--force` says so. A workbook is updated by one command at a
 * time: a lock file beside it makes a second one refuse instead of writing over the first one's
 * Audit entry; the lock of a process that is gone is taken over (see workbook-lock.ts).
 */
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from './failures';
export { withWorkbookLock } from './workbook-lock';

/** An input of the command: the option it came from and its path. */
export interface NamedInput {
  option: string;
  path: string;
}

const identity = (file: string) => fs.realpath(file).catch(() => path.resolve(file));

/** Refuses an output that is a folder, is one of the inputs, or exists without `--force` (`whatElse`: another way the message suggests, ending `; `). */
export async function checkOutputFile(out: string, inputs: readonly NamedInput[], force: boolean, whatElse = ''): Promise<void> {
  const stat = await fs.stat(out).catch(() => undefined);
  if (stat?.isDirectory()) throw new InputError(`--out ${out} is a folder: give the workbook's file name, e.g. ${path.join(out, 'chargeback.xlsx')}`);
  await checkNotAnInput(out, '--out', inputs);
  if (stat && !force) {
    throw new InputError(
      `${out} exists already: it is not replaced (it may hold approvals, an Audit log or filled-in rules); ${whatElse}add --force to replace it, or choose another --out`,
    );
  }
}

/** Refuses a file the command writes that is also one of its inputs. */
export async function checkNotAnInput(file: string, option: string, inputs: readonly NamedInput[]): Promise<void> {
  const target = await identity(file);
  for (const input of inputs) {
    if ((await identity(input.path)) === target) throw new InputError(`${option} ${file} is the ${input.option} input of this command: writing it would destroy it; choose another ${option}`);
  }
}

/** Refuses a workbook the command could not write back (a read-only file or folder), before anything is sent anywhere. */
export async function checkWritable(file: string, why: string): Promise<void> {
  for (const place of [file, path.dirname(file)]) {
    try {
      await fs.access(place, constants.W_OK);
    } catch {
      throw new InputError(`${file}: the workbook cannot be written (${place === file ? 'the file' : 'its folder'} is read-only): ${why}`);
    }
  }
}
