import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../../src/core/digest';
import { checkVersion, FolderListing, PublicationManifest } from '../../src/core/publication';
import { FolderShare } from '../../src/shares/folder-share';
import { Share } from '../../src/shares/share';
import { verifyWorkbook } from '../../src/workbook/approval';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { FileProgress, publishWorkbook } from '../../src/workbook/publish';
import { approvedBook, allocatedBook, bookTables, clock, octoberLines, restatedBook } from '../support/approved-book';
import { tempDir } from '../support/files';

const publisher = { user: 'Sam Controller', now: clock('2026-11-04T09:00:00Z') };
const text = (file: string) => readFileSync(file, 'utf8');

async function publish(gateway: ExcelJsGateway, share: Share, onProgress?: (p: FileProgress) => void) {
  return publishWorkbook(gateway, share, { ...publisher, workbookBytes: await gateway.toBytes(), onProgress });
}

describe('publishing to a folder share', () => {
  it('writes the statement, the journal, the workbook copy and the manifest under the period', async () => {
    const gateway = await approvedBook();
    const root = tempDir('share-');
    const progress: FileProgress[] = [];
    const outcome = await publish(gateway, new FolderShare(root), (p) => progress.push(p));
    expect(outcome).toMatchObject({ period: '2026-10', version: 1, folder: '2026-10/' });
    const folder = path.join(root, '2026-10');
    await expect(new FolderShare(root).listFolder('2026-10/')).resolves.toEqual({ files: ['chargeback-2026-10.csv', 'chargeback-2026-10.xlsx', 'journal-2026-10.csv', 'manifest.json'], folders: ['showback'] });

    expect(text(path.join(folder, 'chargeback-2026-10.csv')).split('\r\n')).toEqual([
      'Period,CostCenter,Name,Owner,GLAccount,Direct,Network,Shared,Total,Budget,Variance,Currency',
      "2026-10,CC-A,'=Team A,a@example.com,6100,150.00,30.00,30.00,180.00,100.00,80.00,USD",
      '2026-10,CC-B,"Team B, EMEA",b@example.com,6200,50.00,30.00,30.00,80.00,100.00,-20.00,USD',
      '2026-10,CC-C,Team C,c@example.com,6300,0.00,30.00,30.00,30.00,100.00,-70.00,USD',
      '2026-10,UNALLOCATED,Unallocated cost,,6190,10.00,0.00,0.00,10.00,,,USD',
      '',
    ]);
    expect(text(path.join(folder, 'journal-2026-10.csv')).split('\r\n')).toEqual([
      'JournalId,LineNumber,PostingDate,Period,Account,CostCenter,CostCenterName,Description,Debit,Credit,Currency',
      "CB-2026-10,1,2026-10-31,2026-10,6100,CC-A,'=Team A,Cloud chargeback 2026-10: =Team A,180.00,,USD",
      'CB-2026-10,2,2026-10-31,2026-10,6200,CC-B,"Team B, EMEA","Cloud chargeback 2026-10: Team B, EMEA",80.00,,USD',
      'CB-2026-10,3,2026-10-31,2026-10,6300,CC-C,Team C,Cloud chargeback 2026-10: Team C,30.00,,USD',
      'CB-2026-10,4,2026-10-31,2026-10,6190,UNALLOCATED,Unallocated cost,Cloud chargeback 2026-10: Unallocated cost,10.00,,USD',
      'CB-2026-10,5,2026-10-31,2026-10,2990,,,Cloud chargeback 2026-10: cleared to cost centers,,300.00,USD',
      '',
    ]);

    const manifest = JSON.parse(text(path.join(folder, 'manifest.json'))) as PublicationManifest;
    expect(manifest).toMatchObject({
      period: '2026-10',
      version: 1,
      currency: 'USD',
      totals: { source: '300.00', allocated: '300.00', unallocated: '10.00', journalDebits: '300.00', journalCredits: '300.00', costCenters: 4 },
      approval: { by: 'Dana Reviewer', time: '2026-11-03T10:00:00Z' },
      published: { by: 'Sam Controller', time: '2026-11-04T09:00:00Z' },
    });
    expect(manifest.supersedes).toBeUndefined();
    for (const file of manifest.files) {
      const bytes = readFileSync(path.join(folder, file.name));
      expect([file.bytes, file.sha256]).toEqual([bytes.byteLength, await sha256Hex(new Uint8Array(bytes))]);
    }
    expect(manifest.files.map((f) => f.name).filter((name) => !name.startsWith('showback/'))).toEqual(['chargeback-2026-10.csv', 'journal-2026-10.csv', 'chargeback-2026-10.xlsx']);
    const copy = await ExcelJsGateway.fromBytes(readFileSync(path.join(folder, 'chargeback-2026-10.xlsx')));
    expect((await copy.readTable('Chargeback'))!.rows).toHaveLength(4);

    // The showback statements and the facts (between the workbook and the manifest) report as one bar each, finished once.
    expect(progress.filter((p) => p.done && /^(showback|facts)\//.test(p.file)).map((p) => [p.file, p.sentBytes === p.totalBytes])).toEqual([
      ['showback/ (8 files)', true],
      ['facts/ (12 files)', true],
    ]);
    expect(progress.filter((p) => p.done && !/^(showback|facts)\//.test(p.file)).map((p) => p.file)).toEqual(['chargeback-2026-10.csv', 'journal-2026-10.csv', 'chargeback-2026-10.xlsx', 'manifest.json']);
    const audit = (await gateway.readTable('Audit'))!;
    const entry = audit.rows[audit.rows.length - 1];
    expect(entry.slice(1, 4)).toEqual(['Publish', 'Sam Controller', '2026-10']);
    expect(String(entry[4])).toContain(`version 1 at ${path.resolve(root)}/2026-10/`);
    expect(entry[5]).toBe(outcome.manifestSha256);
    expect((await verifyWorkbook(gateway)).ok).toBe(true);
  });

  it('publishes a restatement as v2, which names the version it supersedes, and leaves v1 untouched', async () => {
    const gateway = await approvedBook();
    const share = new FolderShare(tempDir('share-'));
    const first = await publish(gateway, share);
    const before = text(path.join(share.location, '2026-10', 'manifest.json'));
    const restated = await restatedBook(gateway);
    const second = await publish(restated, share);
    expect(second.version).toBe(2);
    expect(second.folder).toBe('2026-10/v2/');
    expect(second.supersedes).toEqual({ version: 1, folder: '2026-10/', manifestSha256: first.manifestSha256 });
    expect(text(path.join(share.location, '2026-10', 'manifest.json'))).toBe(before);
    expect((await publish(await restatedBook(restated, octoberLines()), share)).folder).toBe('2026-10/v3/');
    expect(await share.listFolder('2026-10/')).toMatchObject({ folders: ['showback', 'v2', 'v3'] });
  });

  it('refuses a workbook whose approved content was changed, naming the table', async () => {
    const gateway = await approvedBook();
    gateway.workbook.getWorksheet('Costs')!.getCell('H2').value = 1.23;
    const root = tempDir('share-');
    await expect(publish(gateway, new FolderShare(root))).rejects.toThrow(
      '2026-10 changed since Dana Reviewer approved it at 2026-11-03T10:00:00Z (Costs): publishing refused; reopen, check and approve it again',
    );
    expect(await new FolderShare(root).listFolder('2026-10/')).toBeUndefined();
  });

  it('refuses a period that is not approved', async () => {
    await expect(publish(await allocatedBook(), new FolderShare(tempDir('share-')))).rejects.toThrow('2026-10 is not approved: review and approve it before you publish');
  });

  it('refuses approval when a charged cost center has no GL account, naming it: an approved period always publishes', async () => {
    const tables = { ...bookTables, CostCenters: bookTables.CostCenters!.map((c) => (c.CostCenter === 'CC-B' ? { ...c, GLAccount: '' } : c)) };
    await expect(approvedBook(tables)).rejects.toThrow('Not publishable: the journal cannot be built, so publishing would be refused: cost center CC-B (80.00 USD) has no GLAccount in CostCenters');
  });

  it('never trusts a version without its manifest, or with a file that does not match it', async () => {
    const root = tempDir('share-');
    const share = new FolderShare(root);
    // a publish cut off after its first file
    mkdirSync(path.join(root, '2026-10'));
    writeFileSync(path.join(root, '2026-10', 'chargeback-2026-10.csv'), 'partial');
    expect(await checkVersion(share, '2026-10', 1)).toEqual({ trusted: false, version: 1, reason: '2026-10/: no manifest.json (an unfinished publish)', unfinished: true });
    const outcome = await publish(await approvedBook(), share);
    expect(outcome.version).toBe(2);
    expect(outcome.supersedes).toBeUndefined();
    expect(readFileSync(path.join(root, '2026-10', 'chargeback-2026-10.csv'), 'utf8')).toBe('partial');
    expect((await checkVersion(share, '2026-10', 2)).trusted).toBe(true);
    writeFileSync(path.join(root, '2026-10', 'v2', 'journal-2026-10.csv'), 'edited');
    expect(await checkVersion(share, '2026-10', 2)).toMatchObject({ trusted: false, reason: '2026-10/v2/: journal-2026-10.csv does not match its SHA-256 in manifest.json' });
  });

  it('moves on to the next version when another publisher claims the one it chose', async () => {
    const root = tempDir('share-');
    // Another publisher has just claimed version 1 (its first file is there, its manifest not yet) …
    mkdirSync(path.join(root, '2026-10'));
    writeFileSync(path.join(root, '2026-10', 'chargeback-2026-10.csv'), 'being written by another publisher');
    // … after this publisher's first listing, which is stale: it picks version 1, finds it taken, and takes 2.
    const gateway = await approvedBook();
    const folder = new FolderShare(root);
    let listings = 0;
    const stale: Share = {
      location: folder.location,
      readFile: (p) => folder.readFile(p),
      createFile: (p, b, o) => folder.createFile(p, b, o),
      removeFile: (p) => folder.removeFile(p),
      // (only the period's own listings count: publish also reads the month before, for the showback statements)
      listFolder: async (f): Promise<FolderListing | undefined> => (f === '2026-10/' && listings++ === 0 ? undefined : folder.listFolder(f)),
    };
    const outcome = await publish(gateway, stale);
    expect(outcome.version).toBe(2);
    expect(listings).toBe(2);
    // The other publisher's file is left as it was.
    expect(readFileSync(path.join(root, '2026-10', 'chargeback-2026-10.csv'), 'utf8')).toBe('being written by another publisher');
  });
});
