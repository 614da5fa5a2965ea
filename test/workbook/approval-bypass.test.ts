import path from 'node:path';
import { readFileSync } from 'node:fs';
import { PublicationManifest } from '../../src/core/publication';
import { FolderShare } from '../../src/shares/folder-share';
import { approveWorkbook, verifyWorkbook } from '../../src/workbook/approval';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { checkAgainstPublication } from '../../src/workbook/publication-check';
import { publishWorkbook } from '../../src/workbook/publish';
import { allocatedBook, approvedBook, clock, restatedBook, reviewer } from '../support/approved-book';
import { tempDir } from '../support/files';

const publisher = { user: 'Sam Controller', now: clock('2026-11-04T09:00:00Z') };
const reload = async (gateway: ExcelJsGateway) => ExcelJsGateway.fromBytes(await gateway.toBytes());
const publish = async (gateway: ExcelJsGateway, share: FolderShare) => publishWorkbook(gateway, share, { ...publisher, workbookBytes: await gateway.toBytes() });

/** An approved book with one cell edited by hand, as someone with the file could. */
async function edited(sheet: string, cell: string, value: string | number): Promise<ExcelJsGateway> {
  const book = await approvedBook();
  book.workbook.getWorksheet(sheet)!.getCell(cell).value = value;
  return reload(book);
}

describe('publish refuses whatever verify refuses', () => {
  it('refuses a book whose approver was changed in the Audit log after approval, and publishes nothing', async () => {
    const book = await edited('Audit', 'C4', 'Mallory Forger'); // row 4: the Approve entry's By
    const verdict = await verifyWorkbook(book);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems[0]).toMatch(/^the Audit log has been tampered with: Audit row 4 \(Approve at .*\) was edited after it was written/);
    const root = tempDir('share-');
    await expect(publish(book, new FolderShare(root))).rejects.toThrow(/^publishing 2026-10 refused: the Audit log has been tampered with: Audit row 4/);
    await expect(new FolderShare(root).listFolder('2026-10/')).resolves.toBeUndefined();
  });

  it.each([
    ['Reconciliation', 'D9', 'reconciled', /Reconciliation changed since/],
    ['Review', 'E2', 'all good, nothing to see', /the Review sheet no longer says what the approved content gives/],
    ['Method', 'C2', 'Shared costs are split by a coin toss.', /the Method sheet no longer describes the approved rules: it was edited after approval/],
    ['ApprovalHistory', 'C2', 1, /ApprovalHistory does not hold 2026-10's totals as Dana Reviewer approved them at 2026-11-03T10:00:00Z/],
  ])('finds %s edited after approval, and publish refuses it', async (sheet, cell, value, problem) => {
    const book = await edited(sheet, cell, value);
    const verdict = await verifyWorkbook(book);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems.join('; ')).toMatch(problem);
    await expect(publish(book, new FolderShare(tempDir('share-')))).rejects.toThrow(/refused/);
  });

  it('finds an earlier period of ApprovalHistory (the previous-period check\'s basis) edited after approval', async () => {
    const gateway = await allocatedBook();
    const columns = ['Period', 'CostCenter', 'Total', 'Currency', 'ApprovedBy', 'ApprovedAt'].map((header) => ({ header }));
    await gateway.writeTables([{ name: 'ApprovalHistory', columns, rows: [['2026-09', 'CC-A', 170, 'USD', 'Dana Reviewer', '2026-10-03T10:00:00Z']] }]);
    await approveWorkbook(gateway, reviewer);
    const book = await reload(gateway);
    expect((await verifyWorkbook(book)).ok).toBe(true);
    book.workbook.getWorksheet('ApprovalHistory')!.getCell('C2').value = 20; // 2026-09's CC-A total
    const verdict = await verifyWorkbook(await reload(book));
    // the review's previous-period check reads those rows, so the Review it rebuilds differs too
    expect(verdict.problems).toEqual([
      'the Review sheet no longer says what the approved content gives: it was edited after approval (review 2026-10 again to rebuild it)',
      "ApprovalHistory's earlier periods changed since 2026-10 was approved (the previous-period check read them): they were edited after approval",
    ]);
  });

  it('passes an untouched approved book', async () => {
    expect((await verifyWorkbook(await approvedBook())).problems).toEqual([]);
  });
});

describe('the Audit chain anchored on the share', () => {
  it('records the Audit head in the manifest, and verify against the share finds the last Audit row deleted', async () => {
    const book = await approvedBook();
    const root = tempDir('share-');
    const share = new FolderShare(root);
    await publish(book, share);
    const manifest = JSON.parse(readFileSync(path.join(root, '2026-10', 'manifest.json'), 'utf8')) as PublicationManifest;
    const audit = (await book.readTable('Audit'))!;
    expect(audit.rows.map((r) => r[1])).toEqual(['Pull', 'Allocate', 'Approve', 'Publish']);
    expect(manifest.audit).toEqual({ entries: 3, headDigest: audit.rows[2][7] });
    expect(await checkAgainstPublication(book, share, '2026-10')).toEqual({ problems: [], notes: [], version: 1, checked: 1 });

    const cut = await reload(book);
    cut.workbook.getWorksheet('Audit')!.spliceRows(5, 1); // the Publish entry, the last row
    const trimmed = await reload(cut);
    expect((await verifyWorkbook(trimmed)).ok).toBe(true); // the chain alone cannot tell
    expect((await checkAgainstPublication(trimmed, share, '2026-10')).problems).toEqual([
      `2026-10 version 1 on ${root} is not in the Audit log, yet it was published from this book (approved by Dana Reviewer at 2026-11-03T10:00:00Z, with the Audit log as it stood then): either the publish stopped before the workbook was saved (run the same publish again: it records the version and writes nothing more to the share) or its Publish entry was removed`,
    ]);
  });

  it('gives each version its own journal id', async () => {
    const book = await approvedBook();
    const root = tempDir('share-');
    await publish(book, new FolderShare(root));
    await publish(await restatedBook(await reload(book)), new FolderShare(root));
    const ids = (file: string) => [...new Set(readFileSync(file, 'utf8').split('\r\n').slice(1, -1).map((l) => l.split(',')[0]))];
    expect(ids(path.join(root, '2026-10', 'journal-2026-10.csv'))).toEqual(['CB-2026-10']);
    expect(ids(path.join(root, '2026-10', 'v2', 'journal-2026-10.csv'))).toEqual(['CB-2026-10-V2']);
  });
});
