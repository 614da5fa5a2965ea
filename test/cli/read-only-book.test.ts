/**
 * Publishing refuses a workbook it could not write back (the publish would reach the share but not
 * the book's Audit log), before anything is sent. Tests run as root, whom chmod does not stop, so
 * the file and the folder are made immutable (`chattr +i`): then the kernel refuses every write,
 * root's too, and `access(W_OK)` says so, as a read-only file says so to an ordinary user.
 */
import { spawnSync } from 'node:child_process';
import { constants, accessSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chargeback } from '../support/cli';
import { tempDir } from '../support/files';
import { SAMPLE } from '../support/sample';

const chattr = (flag: '+i' | '-i', target: string) => spawnSync('chattr', [flag, target], { encoding: 'utf8' }).status === 0;

/** Whether an immutable file refuses writes here (chattr present, the file system and privileges allow it). */
function immutableRefusesWrites(): boolean {
  const probe = path.join(tempDir('chattr-'), 'probe');
  writeFileSync(probe, '');
  if (!chattr('+i', probe)) return false;
  try {
    accessSync(probe, constants.W_OK);
    return false;
  } catch {
    return true;
  } finally {
    chattr('-i', probe);
  }
}

const canTest = immutableRefusesWrites();
if (!canTest) process.stderr.write('read-only-book.test.ts: chattr +i does not stop writes here: these tests are skipped\n');
const maybe = canTest ? it : it.skip;

function approvedBook(): { dir: string; book: string } {
  const dir = tempDir('read-only-');
  const book = path.join(dir, 'book.xlsx');
  expect(chargeback(['run', '--costs', path.join(SAMPLE, 'focus-2026-10.csv'), '--rules', path.join(SAMPLE, 'rules.json'), '--out', book, '--json']).code).toBe(0);
  expect(chargeback(['approve', '--workbook', book, '--by', 'Rita Reviewer']).code).toBe(0);
  return { dir, book };
}

maybe('refuses to publish a read-only workbook, sends nothing to the share and leaves the book as it was', () => {
  const { dir, book } = approvedBook();
  const before = readFileSync(book);
  const share = path.join(dir, 'share');
  expect(chattr('+i', book)).toBe(true);
  try {
    const refused = chargeback(['publish', '--workbook', book, '--to', share]);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toBe(`error: ${book}: the workbook cannot be written (the file is read-only): publishing refused, as the publish could not be recorded in its Audit log; make it writable and publish again\n`);
  } finally {
    chattr('-i', book);
  }
  expect(existsSync(share)).toBe(false);
  expect(readFileSync(book).equals(before)).toBe(true);
  // Writable again, it publishes as version 1: the refused attempt used no version.
  expect(chargeback(['publish', '--workbook', book, '--to', share]).stdout).toContain('version 1');
});

maybe('refuses when the workbook\'s folder is read-only (the book is replaced by a rename in that folder)', () => {
  const { dir, book } = approvedBook();
  const share = path.join(tempDir('share-'), 'share');
  expect(chattr('+i', dir)).toBe(true);
  try {
    const refused = chargeback(['publish', '--workbook', book, '--to', share]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the workbook cannot be written (its folder is read-only)');
  } finally {
    chattr('-i', dir);
  }
  expect(existsSync(share)).toBe(false);
});
