/**
 * Publish writes the journal as each ERP of Settings JournalFormats imports it, beside the generic
 * file, each hashed in the manifest; a restatement writes the difference the same way (issue 31).
 * Figures as in test/cli/restatement.test.ts: version 1 charges CC-A 180.00, CC-B 80.00, CC-C 30.00
 * and 10.00 unallocated (300.00); the restated month moves CC-A −9.00, CC-B +3.00, CC-C +3.00.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import Papa from 'papaparse';
import { chargeback } from '../support/cli';
import { publishedThreeTeamsBook, threeTeamsBook, threeTeamsRules } from '../support/three-teams';

const rules = { ...threeTeamsRules, settings: { ...threeTeamsRules.settings, journalFormats: 'Generic, D365, OracleFBDI, NetSuite', oracleLedger: 'US Primary Ledger', netSuiteSubsidiary: 'Contoso US', d365Account: '{GLAccount}--{CostCenter}' } };

type Row = Record<string, string>;
const csv = (file: string) => Papa.parse<Row>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data;
const cents = (text: string | undefined) => Math.round(Number(text || '0') * 100);
/** Net debit − credit per account, in cents. */
function netByAccount(rows: Row[], account: (r: Row) => string, debit: string, credit: string): Record<string, number> {
  const net: Record<string, number> = {};
  for (const r of rows) net[account(r)] = (net[account(r)] ?? 0) + cents(r[debit]) - cents(r[credit]);
  return Object.fromEntries(Object.entries(net).filter(([, v]) => v !== 0).sort());
}

describe('publishing the journal as the ERPs import it', () => {
  it('writes the D365, Oracle FBDI and NetSuite files beside the generic journal, each netting to it, for the period and for a restatement', async () => {
    const { file, book, share, published } = publishedThreeTeamsBook('chargeback-erp-', rules);
    const folder = path.join(share, '2026-10');
    const generic = netByAccount(csv(path.join(folder, 'journal-2026-10.csv')), (r) => r.Account, 'Debit', 'Credit');
    expect(generic).toEqual({ '6100': 18000, '6190': 1000, '6200': 8000, '6300': 3000, '2990': -30000 });
    // D365: the account is written {GLAccount}--{CostCenter} (the codes hold '-'); its GL segment nets as the generic journal does.
    const d365 = netByAccount(csv(path.join(folder, 'journal-2026-10-d365.csv')), (r) => r.ACCOUNTDISPLAYVALUE.split('--')[0], 'DEBITAMOUNT', 'CREDITAMOUNT');
    expect(d365).toEqual(generic);
    const netsuite = netByAccount(csv(path.join(folder, 'journal-2026-10-netsuite.csv')), (r) => r.Account, 'Debit', 'Credit');
    expect(netsuite).toEqual(generic);
    const zip = await JSZip.loadAsync(readFileSync(path.join(folder, 'journal-2026-10-oracle-fbdi.zip')));
    expect(Object.keys(zip.files)).toEqual(['GlInterface.csv']);
    const oracle = (await zip.file('GlInterface.csv')!.async('string')).trim().split('\n');
    expect(oracle.every((line) => line.startsWith('NEW,'))).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8'));
    const names = manifest.files.map((f: { name: string }) => f.name);
    expect(names).toEqual(expect.arrayContaining(['journal-2026-10.csv', 'journal-2026-10-d365.csv', 'journal-2026-10-oracle-fbdi.zip', 'journal-2026-10-netsuite.csv']));
    expect(published.stdout).toContain('journal-2026-10-d365.csv');

    // The restatement: the difference, in every format.
    expect(chargeback(['reopen', '--workbook', book, '--by', 'Dana Reviewer', '--why', 'a 12.00 credit landed late']).code).toBe(0);
    expect(chargeback(['run', '--workbook', book, '--costs', file('restated.csv')]).code).toBe(0);
    expect(chargeback(['approve', '--workbook', book, '--by', 'Dana Reviewer']).code).toBe(0);
    const restatement = chargeback(['publish', '--workbook', book, '--to', share]);
    expect([restatement.code, restatement.stderr]).toEqual([0, '']);
    const v2 = path.join(share, '2026-10', 'v2');
    const difference = netByAccount(csv(path.join(v2, 'journal-2026-10.csv')), (r) => r.Account, 'Debit', 'Credit');
    expect(difference).toEqual({ '6100': -900, '6200': 300, '6300': 300, '2990': 300 });
    expect(netByAccount(csv(path.join(v2, 'journal-2026-10-d365.csv')), (r) => r.ACCOUNTDISPLAYVALUE.split('--')[0], 'DEBITAMOUNT', 'CREDITAMOUNT')).toEqual(difference);
    expect(netByAccount(csv(path.join(v2, 'journal-2026-10-netsuite.csv')), (r) => r.Account, 'Debit', 'Credit')).toEqual(difference);
  });

  it('refuses to approve a period one of the listed formats could not take, so an approved period always publishes', () => {
    const { book } = threeTeamsBook('chargeback-erp-', { ...rules, settings: { ...rules.settings, d365Account: '{GLAccount}-{CostCenter}' } });
    const refused = chargeback(['approve', '--workbook', book, '--by', 'Dana Reviewer']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Not publishable: the ERP journal files cannot be written, so publishing would be refused: D365 journal: cost center "CC-A" contains "-", the segment delimiter of D365Account "{GLAccount}-{CostCenter}"');
  });
});
