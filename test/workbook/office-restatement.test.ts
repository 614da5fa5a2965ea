/**
 * A restatement on the Office.js gateway (the strict in-memory Excel), as the task pane runs it:
 * the sample's October published, reopened, pulled again with a credit that landed late, allocated,
 * reviewed (what moved), approved and published as a restatement; the PublishedVersions record
 * written in the publish's one commit.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseExact } from '../../src/core/money';
import { PublicationManifest } from '../../src/core/publication';
import { FolderShare } from '../../src/shares/folder-share';
import { publishNotice } from '../../src/taskpane/notice';
import { approveWorkbook, reopenWorkbook, reviewWorkbook, verifyWorkbook } from '../../src/workbook/approval';
import { publishWorkbook } from '../../src/workbook/publish';
import { allocateWorkbook, pullCosts } from '../../src/workbook/steps';
import { clock, reviewer } from '../support/approved-book';
import { tempDir } from '../support/files';
import { sampleMonthEndOnOffice } from '../support/office-month-end';
import { sampleOctober } from '../support/sample';

const preparer = { user: 'Pat Preparer', now: clock('2026-11-03T09:00:00Z') };
const publisher = (at: string) => ({ user: 'Sam Controller', now: clock(at), workbookBytes: new TextEncoder().encode('the workbook as Office hands it over') });
const amount = (text: string) => parseExact(text)! / 10n ** 13n;

describe('a restatement on the Office.js gateway, with the sample', () => {
  it('publishes the late credit as a difference journal that balances, shows what moved in Review, and links the restatement in Audit', async () => {
    const { excel, gateway, result: first } = await sampleMonthEndOnOffice(preparer);
    await approveWorkbook(gateway, reviewer);
    const share = new FolderShare(tempDir('office-share-'));
    const v1 = await publishWorkbook(gateway, share, publisher('2026-11-04T09:00:00Z'));
    expect(v1.version).toBe(1);
    expect(excel.tableRows('PublishedVersions').length).toBeGreaterThan(0);

    // A 25.00 credit lands late on the first October cost line's account.
    const { ingest, october } = await sampleOctober();
    const credited = october.find((l) => l.currency === 'USD')!; // a US dollar line: 25.00 of credit is 25.00 on the statement
    const credit = { ...credited, chargeCategory: 'Credit', billedCost: -(25n * 10n ** 15n), effectiveCost: -(25n * 10n ** 15n) };
    await reopenWorkbook(gateway, { user: 'Dana Reviewer', now: clock('2026-11-10T09:00:00Z') }, 'a credit landed late');
    await pullCosts(gateway, { ...ingest, lines: [...october, credit] }, preparer);
    const restated = await allocateWorkbook(gateway, preparer, { period: '2026-10' });
    expect(restated.allocatedTotal - first.allocatedTotal).toBe(-2500n);

    const moved = (await reviewWorkbook(gateway)).checks.filter((c) => c.check === 'Moved since publication');
    expect(moved[0]).toMatchObject({ severity: 'Warning', subject: 'version 1', figure: '-25.00' });
    expect(moved.length).toBeGreaterThan(1);
    await approveWorkbook(gateway, { user: 'Dana Reviewer', now: clock('2026-11-10T11:00:00Z') });
    expect(excel.tableRows('Review').filter((r) => r[0] === 'Moved since publication')).toHaveLength(moved.length);

    const v2 = await publishWorkbook(gateway, share, publisher('2026-11-10T12:00:00Z'));
    expect(v2).toMatchObject({ version: 2, folder: '2026-10/v2/', restates: { version: 1, manifestSha256: v1.manifestSha256 } });
    expect(publishNotice(v2)).toMatchObject({ intent: 'success', title: 'Published 2026-10 version 2, restating version 1' });

    const manifest = JSON.parse(readFileSync(path.join(share.location, '2026-10', 'v2', 'manifest.json'), 'utf8')) as PublicationManifest;
    expect(manifest.restatement!.netChangeTotal).toBe('-25.00');
    expect(manifest.totals.journalDebits).toBe(manifest.totals.journalCredits);
    // v1's ledger + the difference journal = v2's ledger, per account and cost center.
    const v1Manifest = JSON.parse(readFileSync(path.join(share.location, '2026-10', 'manifest.json'), 'utf8')) as PublicationManifest;
    const held = new Map<string, bigint>();
    const add = (account: string, costCenter: string, value: bigint) => held.set(`${account}|${costCenter}`, (held.get(`${account}|${costCenter}`) ?? 0n) + value);
    for (const l of v1Manifest.ledger!) add(l.account, l.costCenter, amount(l.amount));
    const journal = readFileSync(path.join(share.location, '2026-10', 'v2', 'journal-2026-10.csv'), 'utf8').split('\r\n').slice(1, -1);
    expect(journal.length).toBeGreaterThanOrEqual(2);
    for (const line of journal) {
      const cells = line.split(',');
      add(cells[4], cells[5], amount(cells[cells.length - 3] || '0') - amount(cells[cells.length - 2] || '0'));
    }
    const expected = new Map(manifest.ledger!.map((l) => [`${l.account}|${l.costCenter}`, amount(l.amount)]));
    expect(new Map([...held].filter(([, v]) => v !== 0n))).toEqual(expected);

    const audit = excel.tableRows('Audit');
    expect(audit.map((r) => r[1])).toEqual(['Pull', 'Allocate', 'Approve', 'Publish', 'Reopen', 'Pull', 'Allocate', 'Approve', 'Restate']);
    expect(String(audit[8][4])).toContain(`restates version 1 (2026-10/, manifest sha256 ${v1.manifestSha256})`);
    expect(new Set(excel.tableRows('PublishedVersions').map((r) => r[1]))).toEqual(new Set([1, 2]));
    expect((await verifyWorkbook(gateway)).problems).toEqual([]);
  });
});
