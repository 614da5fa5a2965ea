import ExcelJS from 'exceljs';
import { canonicalRows, signedNumber } from '../../src/core/digest';
import { approvalState, approveWorkbook, contentDigest, verifyWorkbook } from '../../src/workbook/approval';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { auditAppend } from '../../src/workbook/steps';
import { line } from '../core/helpers';
import { allocatedBook, bookTables, reviewer } from '../support/approved-book';

/** October with a networking hub of 100.00 shared evenly in three: each share is 33.33333…, not a double. */
const thirds = () => [
  line({ SubAccountName: 'team-a', ServiceCategory: 'Compute' }, '150.00'),
  line({ SubAccountName: 'hub', ServiceCategory: 'Networking' }, '100.00'),
];

/** Every number of the sheets as a program that saves 15 significant digits writes it (LibreOffice, Gnumeric, a re-typed value). */
function savedTo15Digits(workbook: ExcelJS.Workbook, sheets: readonly string[]): number {
  let changed = 0;
  for (const name of sheets) {
    workbook.getWorksheet(name)!.eachRow((row) =>
      row.eachCell((cell) => {
        if (typeof cell.value !== 'number') return;
        const saved = Number(cell.value.toPrecision(15));
        if (saved !== cell.value) changed++;
        cell.value = saved;
      }),
    );
  }
  return changed;
}

const reload = async (gateway: ExcelJsGateway) => ExcelJsGateway.fromBytes(await gateway.toBytes());

describe('the approval digest', () => {
  it('signs a number to 15 significant digits and text as text', () => {
    expect(signedNumber(189.79166666666666)).toBe(189.791666666667);
    expect(signedNumber(1234.5)).toBe(1234.5);
    expect(signedNumber(-0)).toBe(0);
    expect(canonicalRows('T', ['A', 'B'], [[33.333333333333336, '0100']])).toBe('["T",["A","B"],[[33.3333333333333,"0100"]]]');
    expect(canonicalRows('T', ['A'], [[33.333333333333336]], 'full-precision')).toBe('["T",["A"],[[33.333333333333336]]]');
  });

  it('still holds when a spreadsheet program saves the approved book to 15 significant digits', async () => {
    const gateway = await allocatedBook(bookTables, thirds());
    await approveWorkbook(gateway, reviewer);
    const saved = await reload(gateway);
    // The shares of the hub are the doubles such a save changes; the test means nothing without them.
    expect(savedTo15Digits(saved.workbook, ['Allocation', 'Reconciliation', 'Costs'])).toBeGreaterThan(0);
    const verified = await verifyWorkbook(await reload(saved));
    expect(verified.problems).toEqual([]);
    expect(verified.state?.status).toBe('approved');
  });

  it('still finds a cent changed in the approved Allocation', async () => {
    const gateway = await allocatedBook(bookTables, thirds());
    await approveWorkbook(gateway, reviewer);
    const edited = await reload(gateway);
    const sheet = edited.workbook.getWorksheet('Allocation')!;
    const amount = (sheet.getRow(1).values as unknown[]).indexOf('Amount');
    sheet.getCell(2, amount).value = (sheet.getCell(2, amount).value as number) + 0.01;
    expect(await approvalState(await reload(edited))).toMatchObject({ status: 'changed', changedTables: ['Allocation'] });
  });

  it('accepts an approval signed before, over every binary digit of the doubles', async () => {
    const gateway = await allocatedBook(bookTables, thirds());
    const before = await contentDigest(gateway, 'full-precision');
    expect(before.digest).not.toBe((await contentDigest(gateway)).digest);
    const entry = await auditAppend(gateway, { action: 'Approve', by: 'Dana Reviewer', period: '2026-10', details: 'approved in the earlier form', contentDigest: before.digest }, reviewer);
    await gateway.commit({ appends: [entry] });
    expect((await approvalState(await reload(gateway))).status).toBe('approved');
  });
});
