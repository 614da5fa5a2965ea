import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FolderShare } from '../../src/shares/folder-share';
import { approveWorkbook } from '../../src/workbook/approval';
import { publishWorkbook } from '../../src/workbook/publish';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { paneStatus } from '../../src/taskpane/pane-status';
import { line } from '../core/helpers';
import { pullCosts } from '../../src/workbook/steps';
import { allocatedBook, approvedBook, preparer, restatedBook, reviewer } from '../support/approved-book';

describe('where the month-end stands, read from the workbook', () => {
  it('an empty workbook has no data', async () => {
    await expect(paneStatus(new ExcelJsGateway())).resolves.toEqual({ state: 'no data', hasCosts: false, hasRules: false });
  });

  it('pulled: the periods in Costs, before any rules', async () => {
    const gateway = new ExcelJsGateway();
    await pullCosts(gateway, { lines: [line({ SubAccountName: 'a' }, '1.00')], rowsRead: 1, files: [{ name: 'x.csv', rows: 1 }], dimensions: ['SubAccountName'] }, preparer);
    await expect(paneStatus(gateway)).resolves.toEqual({ state: 'pulled', period: '2026-10', hasCosts: true, hasRules: false });
  });

  it('allocated, then approved by the reviewer, then changed since approval', async () => {
    const gateway = await allocatedBook();
    await expect(paneStatus(gateway)).resolves.toMatchObject({ state: 'allocated', period: '2026-10', hasCosts: true, hasRules: true });
    await approveWorkbook(gateway, reviewer);
    await expect(paneStatus(gateway)).resolves.toMatchObject({ state: 'approved', approved: { by: 'Dana Reviewer', time: '2026-11-03T10:00:00Z' } });
    const reloaded = await ExcelJsGateway.fromBytes(await gateway.toBytes());
    reloaded.workbook.getWorksheet('Costs')!.getCell('H2').value = 1.23;
    await expect(paneStatus(reloaded)).resolves.toMatchObject({ state: 'changed since approval' });
  });

  it('published: the version of the last publish after the approval', async () => {
    const gateway = await approvedBook();
    const share = new FolderShare(mkdtempSync(path.join(tmpdir(), 'pane-status-')));
    await publishWorkbook(gateway, share, { user: 'Sam Publisher', workbookBytes: await gateway.toBytes() });
    await expect(paneStatus(gateway)).resolves.toMatchObject({ state: 'published', version: 1, period: '2026-10' });
    // A restatement (Audit action Restate) is a publish too.
    const restated = await restatedBook(gateway);
    await expect(paneStatus(restated)).resolves.toMatchObject({ state: 'approved' });
    await publishWorkbook(restated, share, { user: 'Sam Publisher', workbookBytes: await restated.toBytes() });
    await expect(paneStatus(restated)).resolves.toMatchObject({ state: 'published', version: 2, period: '2026-10' });
  });
});
