import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkVersion } from '../../src/core/publication';
import { FolderShare } from '../../src/shares/folder-share';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { chargeback } from '../support/cli';
import { tempDir } from '../support/files';
import { SAMPLE } from '../support/sample';


describe('chargeback demo and publish', () => {
  it('runs the month-end on the sample, reconciled to the cent, ends with a trusted published version in DIR/finance-share, then publishes nothing when republished unchanged and refuses a tampered workbook', async () => {
    const out = tempDir('demo-');
    const demo = chargeback(['demo', '--out', out]);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain('allocated 23884.20 USD of 23884.20 (EffectiveCost); unallocated 448.00');
    expect(existsSync(path.join(out, 'chargeback-2026-10.xlsx'))).toBe(true);
    expect(demo.stdout).toContain('Approved 2026-10 as Demo Reviewer');
    expect(demo.stdout).toContain(`Published 2026-10 version 1 to ${path.join(out, 'finance-share')}/2026-10/`);
    const share = new FolderShare(path.join(out, 'finance-share'));
    const check = await checkVersion(share, '2026-10', 1);
    expect(check.trusted).toBe(true);
    if (!check.trusted) return;
    expect(check.manifest.totals).toMatchObject({ allocated: '23884.20', journalDebits: '23884.20', journalCredits: '23884.20' });
    expect(check.manifest.approval).toMatchObject({ by: 'Demo Reviewer (typed, not verified)', known: 'typed' });
    // The showback statements and the Power BI facts are counted, each hashed in the manifest, not listed a line each.
    const showback = check.manifest.files.filter((f) => f.name.startsWith('showback/'));
    expect(showback.length).toBeGreaterThan(3);
    expect(demo.stdout).not.toContain('showback/showback-');
    expect(demo.stdout).toMatch(new RegExp(`\\n  showback/ +\\d+ bytes  ${showback.length} showback files \\(a statement a cost center, as a web page and a workbook\\); each one's sha256 is in manifest.json\\n`));
    expect(demo.stdout).toMatch(new RegExp(`\\n  facts/ +\\d+ bytes  ${check.manifest.facts!.length} fact files for Power BI, at the top of the share \\(facts/parquet\\|csv/<table>/period=2026-10/\\)`));

    const book = path.join(out, 'chargeback-2026-10.xlsx');
    expect(chargeback(['verify', '--workbook', book]).code).toBe(0);
    const again = chargeback(['publish', '--workbook', book, '--to', path.join(out, 'finance-share')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Nothing published: 2026-10 as it stands is what version 1 at .*\/2026-10\/ holds/);

    const tampered = await ExcelJsGateway.fromBytes(readFileSync(book));
    const costs = tampered.workbook.getWorksheet('Costs')!;
    costs.getCell(2, (costs.getRow(1).values as unknown[]).indexOf('EffectiveCost')).value = 0; // values are 1-based
    writeFileSync(book, await tampered.toBytes());
    const refused = chargeback(['publish', '--workbook', book, '--to', path.join(out, 'finance-share')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: 2026-10 changed since Demo Reviewer \(typed, not verified\) approved it at .* \(Costs\): publishing refused; reopen, check and approve it again\n$/);
    expect(readdirSync(path.join(out, 'finance-share', '2026-10')).sort()).toEqual(['chargeback-2026-10.csv', 'chargeback-2026-10.xlsx', 'journal-2026-10.csv', 'manifest.json', 'showback']);
  });

  it('refuses to publish a workbook that was never approved, and says so', () => {
    const out = tempDir('publish-');
    const book = path.join(out, 'book.xlsx');
    expect(chargeback(['run', '--costs', path.join(SAMPLE, 'focus-2026-10.csv'), '--rules', path.join(SAMPLE, 'rules.json'), '--out', book, '--json']).code).toBe(0);
    const refused = chargeback(['publish', '--workbook', book, '--to', path.join(out, 'share')]);
    expect(refused).toMatchObject({ code: 1, stderr: 'error: 2026-10 is not approved: review and approve it before you publish\n' });
    expect(chargeback(['publish', '--workbook', book]).code).toBe(2);
  });
});
