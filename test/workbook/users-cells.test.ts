/**
 * The two hosts agree: a step updates our tables where they stand, and what a user put beside them
 * (a column of their own notes, a formula pointing at our table, a sheet of their own) survives
 * every step: a run into the book, approval, publishing, reopening and running again.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { FolderShare } from '../../src/shares/folder-share';
import { approveWorkbook, reopenWorkbook } from '../../src/workbook/approval';
import { publishWorkbook } from '../../src/workbook/publish';
import { allocateWorkbook, pullCosts } from '../../src/workbook/steps';
import { clock, reviewer } from '../support/approved-book';
import { chargeback } from '../support/cli';
import { tempDir } from '../support/files';
import { sampleMonthEndOnOffice } from '../support/office-month-end';
import { SAMPLE, sampleOctober } from '../support/sample';

const preparer = { user: 'Pat Preparer', now: clock('2026-11-03T09:00:00Z') };
const october = path.join(SAMPLE, 'focus-2026-10.csv');

/** What the user adds: two columns clear of the statement (A:N) and of the cost lines' table. */
const USERS = {
  Chargeback: { Q1: 'My check', Q2: 'agreed with the invoice', Q3: '=SUM(Chargeback[Total])' },
  Costs: { AC1: 'Reviewer note', AC2: 'hub usage revised' },
} as const;

describe('what a user put beside our tables', () => {
  it('survives run --workbook, approve, publish, reopen and another run on the command line (ExcelJS)', async () => {
    const dir = tempDir('users-cells-');
    const book = path.join(dir, 'book.xlsx');
    const env = { CHARGEBACK_USER: 'Pat Preparer' };
    expect(chargeback(['run', '--costs', october, '--rules', path.join(SAMPLE, 'rules.json'), '--out', book], env).code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(book) as unknown as ArrayBuffer);
    for (const [sheet, cells] of Object.entries(USERS)) {
      for (const [address, input] of Object.entries(cells)) workbook.getWorksheet(sheet)!.getCell(address).value = input.startsWith('=') ? { formula: input.slice(1) } : input;
    }
    workbook.addWorksheet('Mine').getCell('A1').value = { formula: 'Chargeback[[#Totals],[Total]]' };
    writeFileSync(book, new Uint8Array(await workbook.xlsx.writeBuffer()));

    const steps = [
      ['run', '--workbook', book, '--costs', october],
      ['approve', '--workbook', book, '--by', 'Dana Reviewer'],
      ['publish', '--workbook', book, '--to', path.join(dir, 'share')],
      ['reopen', '--workbook', book, '--by', 'Dana Reviewer', '--why', 'a late credit'],
      ['run', '--workbook', book, '--costs', october],
    ];
    for (const step of steps) {
      const done = chargeback(step, { CHARGEBACK_USER: step[0] === 'run' ? 'Pat Preparer' : 'Dana Reviewer' });
      expect({ step: step[0], code: done.code, error: done.stderr.split('\n').filter((l) => l.startsWith('error')) }).toEqual({ step: step[0], code: 0, error: [] });
      const after = new ExcelJS.Workbook();
      await after.xlsx.load(readFileSync(book) as unknown as ArrayBuffer);
      for (const [sheet, cells] of Object.entries(USERS)) {
        for (const [address, input] of Object.entries(cells)) {
          const value = after.getWorksheet(sheet)!.getCell(address).value as ExcelJS.CellValue;
          const kept = input.startsWith('=') ? `=${(value as { formula?: string })?.formula}` : value;
          expect({ step: step[0], sheet, address, kept }).toEqual({ step: step[0], sheet, address, kept: input });
        }
      }
      expect((after.getWorksheet('Mine')!.getCell('A1').value as { formula?: string }).formula).toBe('Chargeback[[#Totals],[Total]]');
      // The tables are still ours and still where they were.
      expect(after.getWorksheet('Chargeback')!.getCell('A1').value).toBe('CostCenter');
    }
  });

  it('survives allocate, approve, publish, reopen and another pull and allocate in Excel (Office.js)', async () => {
    const { excel, gateway } = await sampleMonthEndOnOffice(preparer);
    for (const [sheet, cells] of Object.entries(USERS)) for (const [address, input] of Object.entries(cells)) excel.typeInto(sheet, address, input);
    const kept = () => Object.entries(USERS).flatMap(([sheet, cells]) => Object.entries(cells).map(([address]) => ({ sheet, address, ...excel.cell(sheet, address) })));
    const expected = Object.entries(USERS).flatMap(([sheet, cells]) =>
      Object.entries(cells).map(([address, input]) => ({ sheet, address, ...(input.startsWith('=') ? { formula: input } : { value: input }) })),
    );
    const { ingest, october: lines } = await sampleOctober();
    const steps: [string, () => Promise<unknown>][] = [
      ['allocate', () => allocateWorkbook(gateway, preparer, { period: '2026-10' })],
      ['approve', () => approveWorkbook(gateway, reviewer)],
      ['publish', () => publishWorkbook(gateway, new FolderShare(tempDir('office-share-')), { user: 'Sam Controller', now: clock('2026-11-04T09:00:00Z'), workbookBytes: new TextEncoder().encode('the workbook') })],
      ['reopen', () => reopenWorkbook(gateway, reviewer, 'a late credit')],
      ['pull', () => pullCosts(gateway, { ...ingest, lines }, preparer)],
      ['allocate again', () => allocateWorkbook(gateway, preparer, { period: '2026-10' })],
    ];
    for (const [step, run] of steps) {
      await run();
      expect({ step, cells: kept() }).toEqual({ step, cells: expected.map((e) => expect.objectContaining(e)) });
    }
  });
});
