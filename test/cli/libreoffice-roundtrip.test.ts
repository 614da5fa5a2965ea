/**
 * The book survives other hands: a chargeback workbook opened and saved by LibreOffice Calc (the
 * real program, headless) goes on through the month-end as if Excel had saved it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { readRuleTables } from '../../src/workbook/steps';
import { chargeback } from '../support/cli';
import { tempDir } from '../support/files';
import { SAMPLE } from '../support/sample';
import { resavedByLibreOffice, sheetsByGnumeric, sheetsByLibreOffice } from '../support/spreadsheet-apps';

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

describe('a rules workbook saved by LibreOffice Calc', () => {
  jest.setTimeout(300_000);

  it('reads the same rules, codes and amounts alike, and allocates the same month to the cent', async () => {
    const dir = tempDir('lo-rules-');
    const rules = path.join(SAMPLE, 'rules.xlsx');
    const saved = await resave(rules, path.join(dir, 'rules-saved.xlsx'));
    const read = async (file: string) => readRuleTables(await ExcelJsGateway.fromBytes(new Uint8Array(readFileSync(file))));
    const original = await read(rules);
    expect(Object.keys(original).length).toBeGreaterThan(5);
    expect(await read(saved)).toEqual(original);
    const run = (file: string, out: string) => chargeback(['run', '--costs', october, '--rules', file, '--out', path.join(dir, out), '--json'], preparer);
    const [before, after] = [run(rules, 'a.xlsx'), run(saved, 'b.xlsx')];
    ok(before);
    ok(after);
    expect(JSON.parse(after.stdout)).toEqual(JSON.parse(before.stdout));
  });
});

/** RFC 4180 fields of CSV text (quotes, doubled quotes, commas and line breaks inside quotes). */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += ch;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

const cents = (text: string) => Math.round(Number(text) * 100);

describe('a book the command line writes, opened by other programs', () => {
  jest.setTimeout(300_000);

  it('shows every total of the statement, to the cent, in LibreOffice Calc and in Gnumeric', async () => {
    const dir = tempDir('lo-open-');
    const book = path.join(dir, 'book.xlsx');
    const run = chargeback(['run', '--costs', october, '--rules', path.join(SAMPLE, 'rules.json'), '--out', book, '--json'], preparer);
    ok(run);
    const allocated = (JSON.parse(run.stdout) as { allocatedTotal: string }).allocatedTotal;
    const bytes = new Uint8Array(readFileSync(book));
    const gnumeric = sheetsByGnumeric(bytes);
    for (const [program, sheets] of [['LibreOffice', await sheetsByLibreOffice(bytes)], ['Gnumeric', gnumeric.sheets]] as const) {
      const [header, ...rows] = csvRows(sheets.Chargeback);
      const totals = rows.find((r) => r[0] === 'Total')!;
      const lines = rows.filter((r) => r[0] !== 'Total');
      expect(lines.length).toBeGreaterThan(3);
      for (let c = header.indexOf('Direct'); c < header.length; c++) {
        const sum = lines.reduce((a, r) => a + cents(r[c] || '0'), 0);
        expect({ program, column: header[c], total: totals[c] !== '' ? cents(totals[c]) : 'blank' }).toEqual({ program, column: header[c], total: sum });
      }
      expect({ program, total: cents(totals[header.indexOf('Total')]) }).toEqual({ program, total: cents(allocated) });
      const difference = csvRows(sheets.Reconciliation).find((r) => r[0] === 'Difference')!;
      expect({ program, difference: difference[1] }).toEqual({ program, difference: '0' });
    }
    // Gnumeric 1.12 reads no Excel tables: it names every sheet's table part (as it does for LibreOffice's saves), the
    // sheet's error-check settings beside it, and each totals-row formula (a structured reference such as
    // Chargeback[Total]), whose saved result it shows. It has nothing else to say about the book.
    const unread = [
      /^Unexpected element '(tableParts|ignoredErrors)' in state : $/,
      /^\tworksheet$/,
      /^Chargeback![A-Z]+\d+ : At [A-Z]+\d+: 'SUBTOTAL\(109,Chargeback\[[^\]]+\]\)' Invalid expression$/,
    ];
    const complaints = gnumeric.complaints.split('\n').filter((line) => line !== '');
    expect(complaints.filter((line) => !unread.some((known) => known.test(line)))).toEqual([]);
  });
});
