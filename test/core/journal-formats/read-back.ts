/**
 * Reading the ERP journal files back, as each ERP would, to a net amount per account and cost
 * center: what the property test compares with the generic journal.
 */
import JSZip from 'jszip';
import Papa from 'papaparse';
import type { Journal } from '../../../src/core/journal';
import type { JournalFile } from '../../../src/core/journal-formats';
import { accountTemplate, JournalFormatSettings } from '../../../src/core/journal-formats/settings';
import { minorFromDecimal } from '../../../src/core/restatement';

export const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
export const rowsOf = (bytes: Uint8Array): string[][] => Papa.parse<string[]>(text(bytes), { skipEmptyLines: false }).data.filter((r) => !(r.length === 1 && r[0] === ''));
export function recordsOf(bytes: Uint8Array): Record<string, string>[] {
  const [header, ...rows] = rowsOf(bytes);
  return rows.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i]])));
}
export async function oracleRows(file: JournalFile): Promise<string[][]> {
  const zip = await JSZip.loadAsync(file.bytes);
  expect(Object.keys(zip.files)).toEqual(['GlInterface.csv']);
  return rowsOf(await zip.file('GlInterface.csv')!.async('uint8array'));
}

export type Nets = Map<string, bigint>;
const add = (nets: Nets, account: string, costCenter: string, amount: bigint) => {
  const key = `${account}|${costCenter}`;
  const sum = (nets.get(key) ?? 0n) + amount;
  if (sum === 0n) nets.delete(key);
  else nets.set(key, sum);
};
const minor = (value: string | undefined, digits: number) => (value === undefined || value === '' ? 0n : minorFromDecimal(value, digits)!);

export function journalNets(journal: Journal): Nets {
  const nets: Nets = new Map();
  for (const l of journal.lines) add(nets, l.account, l.costCenter, l.debit - l.credit);
  return nets;
}

/** Each format's files as net amounts per account and cost center (the clearing line's neutral Oracle cost center read as none). */
export async function fileNets(files: JournalFile[], settings: JournalFormatSettings, digits: number): Promise<Nets> {
  const nets: Nets = new Map();
  for (const file of files) {
    switch (file.format) {
      case 'Generic':
        for (const r of recordsOf(file.bytes)) add(nets, r.Account, r.CostCenter, minor(r.Debit, digits) - minor(r.Credit, digits));
        break;
      case 'D365': {
        // The tests' templates are {GLAccount}<delimiter>{CostCenter}: the delimiter cuts the two apart.
        const [delimiter] = accountTemplate(settings.d365Account).delimiters;
        for (const r of recordsOf(file.bytes)) {
          const [account, center = ''] = r.ACCOUNTDISPLAYVALUE.split(delimiter);
          add(nets, account, center, minor(r.DEBITAMOUNT, digits) - minor(r.CREDITAMOUNT, digits));
        }
        break;
      }
      case 'OracleFBDI': {
        const account = settings.oracleSegments.indexOf('{GLAccount}');
        const center = settings.oracleSegments.indexOf('{CostCenter}');
        for (const r of await oracleRows(file)) {
          const cc = r[8 + center];
          add(nets, r[8 + account], cc === settings.oracleClearingCostCenter ? '' : cc, minor(r[38], digits) - minor(r[39], digits));
        }
        break;
      }
      case 'SAP': {
        let inLines = false;
        for (const r of rowsOf(file.bytes)) {
          if (r[1] === 'Header') inLines = false;
          else if (r[1] === 'Line Items') inLines = true;
          else if (inLines && r[1] === settings.sapCompanyCode) add(nets, r[2], r[6] ?? '', minor(r[4], digits) - minor(r[5], digits));
        }
        break;
      }
      case 'NetSuite':
        for (const r of recordsOf(file.bytes)) add(nets, r.Account, r.Department, minor(r.Debit, digits) - minor(r.Credit, digits));
        break;
      case 'Xero':
        for (const r of recordsOf(file.bytes)) add(nets, r.AccountCode, r.TrackingOption1, minor(r.Amount, digits));
        break;
    }
  }
  return nets;
}
