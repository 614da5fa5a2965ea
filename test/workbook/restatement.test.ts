/**
 * Restating a published period, on the gateway and a folder share, with figures a person can check.
 *
 * Version 1 (approved-book.ts): team-a 150.00, team-b 50.00, the hub's Networking 90.00 split Even
 * over CC-A, CC-B and CC-C (30.00 each), 10.00 unallocated: CC-A 180.00, CC-B 80.00, CC-C 30.00,
 * UNALLOCATED 10.00, cleared 300.00. The restated month: the hub revised to 99.00 (33.00 each) and
 * a 12.00 credit for team-a landed late: CC-A 150 − 12 + 33 = 171.00, CC-B 83.00, CC-C 33.00,
 * UNALLOCATED 10.00, cleared 297.00. The difference: CC-A −9.00, CC-B +3.00, CC-C +3.00, clearing +3.00.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../../src/core/digest';
import { PublicationManifest } from '../../src/core/publication';
import { FolderShare } from '../../src/shares/folder-share';
import { reviewWorkbook, verifyWorkbook } from '../../src/workbook/approval';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { publishWorkbook } from '../../src/workbook/publish';
import { checkAgainstPublication } from '../../src/workbook/publication-check';
import { approvedBook, bookTables, clock, octoberLines, restatedBook, restatedOctoberLines } from '../support/approved-book';
import { tempDir } from '../support/files';

const JOURNAL_HEADER = 'JournalId,LineNumber,PostingDate,Period,Account,CostCenter,CostCenterName,Description,Debit,Credit,Currency';
const text = (file: string) => readFileSync(file, 'utf8');
const lines = (file: string) => text(file).split('\r\n');

async function publish(gateway: ExcelJsGateway, share: FolderShare, at = '2026-11-04T09:00:00Z') {
  return publishWorkbook(gateway, share, { user: 'Sam Controller', now: clock(at), workbookBytes: await gateway.toBytes() });
}

/** Version 1 published, then the book restated with the late credit and the revised hub. */
async function publishedThenRestated(tables = bookTables) {
  const share = new FolderShare(tempDir('share-'));
  const book = await approvedBook(tables);
  const first = await publish(book, share);
  const restated = await restatedBook(book, undefined, tables === bookTables ? undefined : tables);
  return { share, first, restated };
}

describe('restating a published period', () => {
  it('publishes the statement as it now stands and a journal of the difference per cost center and account', async () => {
    const { share, first, restated } = await publishedThenRestated();
    const outcome = await publish(restated, share, '2026-11-10T12:00:00Z');
    expect(outcome).toMatchObject({ version: 2, folder: '2026-10/v2/', restates: { version: 1, folder: '2026-10/', manifestSha256: first.manifestSha256 } });
    const folder = path.join(share.location, '2026-10', 'v2');
    expect(lines(path.join(folder, 'journal-2026-10.csv'))).toEqual([
      JOURNAL_HEADER,
      "CB-2026-10-V2,1,2026-10-31,2026-10,6100,CC-A,'=Team A,Cloud chargeback 2026-10 restated (was version 1): =Team A,,9.00,USD",
      'CB-2026-10-V2,2,2026-10-31,2026-10,6200,CC-B,"Team B, EMEA","Cloud chargeback 2026-10 restated (was version 1): Team B, EMEA",3.00,,USD',
      'CB-2026-10-V2,3,2026-10-31,2026-10,6300,CC-C,Team C,Cloud chargeback 2026-10 restated (was version 1): Team C,3.00,,USD',
      'CB-2026-10-V2,4,2026-10-31,2026-10,2990,,,Cloud chargeback 2026-10 restated (was version 1): cleared to cost centers,3.00,,USD',
      '',
    ]);
    // The full statement as restated.
    expect(lines(path.join(folder, 'chargeback-2026-10.csv')).slice(1, 5).map((l) => l.split(',').slice(1, 2).concat(l.split(',').slice(-4, -2)))).toEqual([
      ['CC-A', '171.00', '100.00'],
      ['CC-B', '83.00', '100.00'],
      ['CC-C', '33.00', '100.00'],
      ['UNALLOCATED', '10.00', ''],
    ]);
    const manifest = JSON.parse(text(path.join(folder, 'manifest.json'))) as PublicationManifest;
    expect(manifest.restates).toEqual({ version: 1, folder: '2026-10/', manifestSha256: first.manifestSha256 });
    expect(manifest.restatement).toEqual({
      journal: 'Difference',
      postedIn: '2026-10',
      netChange: [
        { costCenter: 'CC-A', before: '180.00', after: '171.00', change: '-9.00' },
        { costCenter: 'CC-B', before: '80.00', after: '83.00', change: '3.00' },
        { costCenter: 'CC-C', before: '30.00', after: '33.00', change: '3.00' },
        { costCenter: 'UNALLOCATED', before: '10.00', after: '10.00', change: '0.00' },
      ],
      netChangeTotal: '-3.00',
    });
    expect(manifest.totals).toMatchObject({ allocated: '297.00', journalDebits: '9.00', journalCredits: '9.00' });
    expect(manifest.ledger).toEqual([
      { account: '6100', costCenter: 'CC-A', costCenterName: '=Team A', amount: '171.00' },
      { account: '6200', costCenter: 'CC-B', costCenterName: 'Team B, EMEA', amount: '83.00' },
      { account: '6300', costCenter: 'CC-C', costCenterName: 'Team C', amount: '33.00' },
      { account: '6190', costCenter: 'UNALLOCATED', costCenterName: 'Unallocated cost', amount: '10.00' },
      { account: '2990', costCenter: '', costCenterName: '', amount: '-297.00' },
    ]);
    // Version 1 is untouched.
    expect(lines(path.join(share.location, '2026-10', 'journal-2026-10.csv'))[1]).toContain(',180.00,,USD');
    // The Audit log links the restatement to the version it corrects.
    const audit = (await restated.readTable('Audit'))!;
    const entry = audit.rows[audit.rows.length - 1];
    expect(entry.slice(1, 4)).toEqual(['Restate', 'Sam Controller', '2026-10']);
    expect(String(entry[4])).toContain(`restates version 1 (2026-10/, manifest sha256 ${first.manifestSha256}): difference journal posted in 2026-10; net change CC-A -9.00, CC-B +3.00, CC-C +3.00`);
    expect(entry[5]).toBe(outcome.manifestSha256);
    expect((await verifyWorkbook(restated)).ok).toBe(true);
    expect(await checkAgainstPublication(restated, share, '2026-10')).toEqual({ problems: [], notes: [], version: 2, checked: 2 });
  });

  it('shows in Review what moved since the published version, per cost center and pool', async () => {
    const { restated } = await publishedThenRestated();
    const moved = (await reviewWorkbook(restated)).checks.filter((c) => c.check === 'Moved since publication');
    expect(moved.map((c) => [c.severity, c.subject, c.figure, c.detail])).toEqual([
      ['Warning', 'version 1', '-3.00', 'this restates version 1: CC-A -9.00, CC-B +3.00, CC-C +3.00; publishing posts only the difference'],
      ['Info', 'CC-A', '-12.00', 'direct cost 150.00 → 138.00 since version 1'],
      ['Info', 'CC-A', '+3.00', 'Network share 30.00 → 33.00 since version 1'],
      ['Info', 'CC-B', '+3.00', 'Network share 30.00 → 33.00 since version 1'],
      ['Info', 'CC-C', '+3.00', 'Network share 30.00 → 33.00 since version 1'],
    ]);
    // The approval wrote them to the Review sheet, and they still read the same once published.
    const reviewSheet = (await restated.readTable('Review'))!;
    expect(reviewSheet.rows.filter((r) => r[0] === 'Moved since publication')).toHaveLength(5);
  });

  it('keeps the Review sheet as approved after the restatement is published, so verify still passes', async () => {
    const { share, restated } = await publishedThenRestated();
    await publish(restated, share, '2026-11-10T12:00:00Z');
    const reloaded = await ExcelJsGateway.fromBytes(await restated.toBytes());
    expect(await verifyWorkbook(reloaded)).toMatchObject({ ok: true, problems: [] });
    const published = (await reloaded.readTable('PublishedVersions'))!;
    expect(new Set(published.rows.map((r) => r[1]))).toEqual(new Set([1, 2]));
    expect(published.rows.find((r) => r[1] === 2 && r[2] === 'CC-A' && r[3] === 'Direct')![4]).toBe(138);
  });

  it('reverses the last version in full and posts the new one, when Settings RestatementJournal says so', async () => {
    const tables = { ...bookTables, Settings: [...bookTables.Settings!, { Setting: 'RestatementJournal', Value: 'Reverse and repost' }] };
    const { share, restated } = await publishedThenRestated(tables);
    const outcome = await publish(restated, share, '2026-11-10T12:00:00Z');
    const journal = lines(path.join(share.location, '2026-10', 'v2', 'journal-2026-10.csv'));
    const amounts = journal.slice(1, -1).map((l) => {
      const cells = l.split(',');
      return [cells[4], cells[cells.length - 3] || `-${cells[cells.length - 2]}`];
    });
    expect(amounts).toEqual([
      ['6100', '-180.00'],
      ['6200', '-80.00'],
      ['6300', '-30.00'],
      ['6190', '-10.00'],
      ['2990', '300.00'],
      ['6100', '171.00'],
      ['6200', '83.00'],
      ['6300', '33.00'],
      ['6190', '10.00'],
      ['2990', '-297.00'],
    ]);
    expect(journal[1]).toContain('Reversal of version 1, cloud chargeback 2026-10: =Team A');
    const manifest = JSON.parse(text(path.join(share.location, '2026-10', 'v2', 'manifest.json'))) as PublicationManifest;
    expect(manifest.totals).toMatchObject({ journalDebits: '597.00', journalCredits: '597.00' });
    expect(manifest.restatement).toMatchObject({ journal: 'Reverse and repost', netChangeTotal: '-3.00' });
    expect(outcome.version).toBe(2);
  });

  it('posts the difference in the open period as a prior-period adjustment, when Settings RestatementPeriod says Open', async () => {
    const tables = { ...bookTables, Settings: [...bookTables.Settings!, { Setting: 'RestatementPeriod', Value: 'Open' }] };
    const { share, restated } = await publishedThenRestated(tables);
    await publish(restated, share, '2026-12-02T08:00:00Z');
    const journal = lines(path.join(share.location, '2026-10', 'v2', 'journal-2026-10.csv'));
    expect(journal[1]).toBe("CB-2026-10-V2,1,2026-12-31,2026-12,6100,CC-A,'=Team A,Prior-period adjustment: cloud chargeback 2026-10 restated (was version 1): =Team A,,9.00,USD");
    const manifest = JSON.parse(text(path.join(share.location, '2026-10', 'v2', 'manifest.json'))) as PublicationManifest;
    expect(manifest.restatement?.postedIn).toBe('2026-12');
  });

  it('posts into a named open period, and refuses one that is not after the restated period', async () => {
    const named = { ...bookTables, Settings: [...bookTables.Settings!, { Setting: 'RestatementPeriod', Value: '2026-11' }] };
    const { share, restated } = await publishedThenRestated(named);
    await publish(restated, share, '2026-12-02T08:00:00Z');
    expect(lines(path.join(share.location, '2026-10', 'v2', 'journal-2026-10.csv'))[1]).toMatch(/^CB-2026-10-V2,1,2026-11-30,2026-11,6100,/);

    const past = { ...bookTables, Settings: [...bookTables.Settings!, { Setting: 'RestatementPeriod', Value: '2026-09' }] };
    const second = await publishedThenRestated(past);
    await expect(publish(second.restated, second.share, '2026-12-02T08:00:00Z')).rejects.toThrow(
      'publishing 2026-10 refused: Settings RestatementPeriod 2026-09 is not an open period after 2026-10: give a later YYYY-MM, Open or Restated',
    );
    expect(await second.share.listFolder('2026-10/')).toEqual({ files: expect.any(Array), folders: ['showback'] });
  });

  it('publishes nothing, and says so, when the restated period has not changed', async () => {
    const share = new FolderShare(tempDir('share-'));
    const book = await approvedBook();
    const first = await publish(book, share);
    const again = await restatedBook(book, octoberLines());
    const review = await reviewWorkbook(again);
    expect(review.checks.filter((c) => c.check === 'Moved since publication').map((c) => [c.severity, c.detail])).toEqual([
      ['OK', 'nothing moved since version 1 was published: publishing again publishes nothing'],
    ]);
    const auditBefore = (await again.readTable('Audit'))!.rows.length;
    const outcome = await publish(again, share, '2026-11-10T12:00:00Z');
    expect(outcome).toMatchObject({ unchanged: true, version: 1, folder: '2026-10/', files: [], manifestSha256: first.manifestSha256 });
    expect(await share.listFolder('2026-10/')).toMatchObject({ folders: ['showback'] });
    expect((await again.readTable('Audit'))!.rows).toHaveLength(auditBefore);
  });

  it('publishes nothing when a published restatement is published again', async () => {
    const { share, restated } = await publishedThenRestated();
    const v2 = await publish(restated, share, '2026-11-10T12:00:00Z');
    const again = await publish(restated, share, '2026-11-10T13:00:00Z');
    expect(again).toMatchObject({ unchanged: true, version: 2, manifestSha256: v2.manifestSha256 });
    expect(await share.listFolder('2026-10/')).toMatchObject({ folders: ['showback', 'v2'] });
  });

  it('restates a version that is itself a restatement: v1 + (v2 − v1) + (v3 − v2) posts v3', async () => {
    const { share, restated } = await publishedThenRestated();
    await publish(restated, share, '2026-11-10T12:00:00Z');
    // A third run: the late credit is reversed again by the provider.
    const third = await restatedBook(restated, octoberLines().map((l) => l));
    const outcome = await publish(third, share, '2026-11-20T12:00:00Z');
    expect(outcome.restates).toMatchObject({ version: 2, folder: '2026-10/v2/' });
    const journal = lines(path.join(share.location, '2026-10', 'v3', 'journal-2026-10.csv'));
    expect(journal.slice(1, -1).map((l) => l.split(',').slice(4, 5).concat(l.split(',').slice(-3, -1)))).toEqual([
      ['6100', '9.00', ''],
      ['6200', '', '3.00'],
      ['6300', '', '3.00'],
      ['2990', '', '3.00'],
    ]);
    const review = (await third.readTable('Review'))!.rows.filter((r) => r[0] === 'Moved since publication');
    expect(review[0].slice(1, 4)).toEqual(['Warning', 'version 2', '+3.00']);
  });

  it('refuses to restate from a copy of the book whose review compared with another version than the share holds', async () => {
    const share = new FolderShare(tempDir('share-'));
    const book = await approvedBook();
    await publish(book, share);
    const copy = await ExcelJsGateway.fromBytes(await book.toBytes());
    // The book restated and published from one copy …
    await publish(await restatedBook(book), share, '2026-11-10T12:00:00Z');
    // … then again from the other copy, whose review still compares with version 1.
    const stale = await restatedBook(copy, octoberLines().slice(0, 3));
    await expect(publish(stale, share, '2026-11-11T12:00:00Z')).rejects.toThrow(/the share's latest version is 2 \(manifest sha256 [0-9a-f]{64}\), which this book did not publish: it came from another copy of the book/);
    expect(await share.listFolder('2026-10/')).toMatchObject({ folders: ['showback', 'v2'] });
  });

  it('restates a version published before manifests recorded the ledger, from its journal', async () => {
    const share = new FolderShare(tempDir('share-'));
    await publish(await approvedBook(), share);
    const manifestFile = path.join(share.location, '2026-10', 'manifest.json');
    const { ledger, ...legacy } = JSON.parse(text(manifestFile)) as PublicationManifest;
    expect(ledger).toHaveLength(5);
    writeFileSync(manifestFile, JSON.stringify(legacy, null, 2) + '\n');
    // Another book, with no record of version 1, which adopts it deliberately: the share says what was posted.
    const other = await approvedBook(bookTables, restatedOctoberLines());
    const adopt = await sha256Hex(new Uint8Array(readFileSync(manifestFile)));
    const outcome = await publishWorkbook(other, share, { user: 'Sam Controller', now: clock('2026-11-10T12:00:00Z'), workbookBytes: await other.toBytes(), adopt });
    expect(outcome.restates?.version).toBe(1);
    expect(lines(path.join(share.location, '2026-10', 'v2', 'journal-2026-10.csv')).slice(1, -1).map((l) => l.split(',').slice(4, 6).concat(l.split(',').slice(-3, -1)))).toEqual([
      ['6100', 'CC-A', '', '9.00'],
      ['6200', 'CC-B', '3.00', ''],
      ['6300', 'CC-C', '3.00', ''],
      ['2990', '', '3.00', ''],
    ]);
  });
});
