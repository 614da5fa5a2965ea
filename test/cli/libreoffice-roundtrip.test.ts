/**
 * The book survives other hands: a chargeback workbook opened and saved by LibreOffice Calc (the
 * real program, headless) goes on through the month-end as if Excel had saved it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chargeback } from '../support/cli';
import { tempDir } from '../support/files';
import { SAMPLE } from '../support/sample';
import { resavedByLibreOffice } from '../support/spreadsheet-apps';

const preparer = { CHARGEBACK_USER: 'Pat Preparer' };
const reviewer = { CHARGEBACK_USER: 'Dana Reviewer' };
const october = path.join(SAMPLE, 'focus-2026-10.csv');

/** The command succeeded: exit 0, and nothing on stderr but progress. */
const ok = (result: ReturnType<typeof chargeback>) => expect({ code: result.code, errors: result.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('reading ')) }).toEqual({ code: 0, errors: [] });

function runOnlyBook(dir: string): string {
  const book = path.join(dir, 'book.xlsx');
  const run = chargeback(['run', '--costs', october, '--rules', path.join(SAMPLE, 'rules.json'), '--out', book], preparer);
  ok(run);
  return book;
}

async function resave(book: string, as: string): Promise<string> {
  writeFileSync(as, await resavedByLibreOffice(new Uint8Array(readFileSync(book))));
  return as;
}


describe('a workbook saved by LibreOffice Calc', () => {
  jest.setTimeout(300_000);

  it('a run-only book re-saved by LibreOffice approves and publishes the same statement and journal as the book itself', async () => {
    const dir = tempDir('lo-run-');
    const book = runOnlyBook(dir);
    const saved = await resave(book, path.join(dir, 'saved.xlsx'));
    for (const [name, workbook] of [['excel', book], ['libreoffice', saved]] as const) {
      ok(chargeback(['approve', '--workbook', workbook, '--by', 'Dana Reviewer'], reviewer));
      ok(chargeback(['verify', '--workbook', workbook]));
      ok(chargeback(['publish', '--workbook', workbook, '--to', path.join(dir, `share-${name}`)], reviewer));
    }
    for (const file of ['chargeback-2026-10.csv', 'journal-2026-10.csv']) {
      const published = (name: string) => readFileSync(path.join(dir, `share-${name}`, '2026-10', file), 'utf8');
      expect(published('libreoffice')).toBe(published('excel'));
    }
  });

  it('a book re-saved by LibreOffice reopens and runs again into itself', async () => {
    const dir = tempDir('lo-rerun-');
    const book = runOnlyBook(dir);
    ok(chargeback(['approve', '--workbook', book, '--by', 'Dana Reviewer'], reviewer));
    const saved = await resave(book, path.join(dir, 'saved.xlsx'));
    ok(chargeback(['reopen', '--workbook', saved, '--by', 'Dana Reviewer', '--why', 'a late credit'], reviewer));
    ok(chargeback(['run', '--workbook', saved, '--costs', october], preparer));
    ok(chargeback(['approve', '--workbook', saved, '--by', 'Dana Reviewer'], reviewer));
    ok(chargeback(['verify', '--workbook', saved]));
  });

  it('an approved book re-saved by LibreOffice still verifies: the approval covers what finance signed, not the last binary digits of a double', async () => {
    const dir = tempDir('lo-approved-');
    const book = runOnlyBook(dir);
    ok(chargeback(['approve', '--workbook', book, '--by', 'Dana Reviewer'], reviewer));
    const saved = await resave(book, path.join(dir, 'saved.xlsx'));
    ok(chargeback(['verify', '--workbook', saved]));
    const share = path.join(dir, 'share');
    ok(chargeback(['publish', '--workbook', saved, '--to', share], reviewer));
    expect(chargeback(['verify', '--workbook', saved, '--against', share]).stdout).toContain('it matches version 1 on the share');
    // The copy on the share was saved before its own Publish entry: an auditor checking the archive gets no false alarm.
    const copy = path.join(share, '2026-10', 'chargeback-2026-10.xlsx');
    const checked = chargeback(['verify', '--workbook', copy, '--against', share]);
    ok(checked);
    expect(checked.stdout).toContain('2026-10 is approved by Dana Reviewer');
    expect(checked.stdout).toContain('it is the copy published as version 1 on the share');
    // A copy of that copy, saved again by another program, is not the published one: it must chain through its own Audit log.
    const resaved = await resave(copy, path.join(dir, 'copy-resaved.xlsx'));
    expect(chargeback(['verify', '--workbook', resaved, '--against', share]).stderr).toContain('version 1 on ' + share + ' is not in the Audit log');
  });
});
