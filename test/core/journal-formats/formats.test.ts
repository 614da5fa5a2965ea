/**
 * Each ERP format checked against the field list of its reference notes (test/fixtures/erp/
 * field-lists.json, sources named there): columns, required fields, order where positional,
 * formats, and balance per grouping unit.
 */
import fieldLists from '../../fixtures/erp/field-lists.json';
import { erpJournalFiles } from '../../../src/core/journal-formats';
import { fileNets, journalNets, oracleRows, recordsOf, rowsOf, text } from './read-back';
import { journalOf, referenceExample, settingsWith } from './journals';

const monthly = () => journalOf([['6101', 'CC100', 12345n], ['6102', 'CC200', 1000n], ['6103', 'CC300', -500n]]);
const filesOf = (journal = monthly(), changes = {}, formats = undefined as never | undefined, version = 1) => {
  const settings = settingsWith(changes);
  return erpJournalFiles(journal, { baseName: 'journal-2025-01', minorDigits: 2, version, settings: { journalFormats: settings, clearingAccount: '1990' } }, formats);
};
const sumBy = <T>(items: T[], key: (t: T) => string, amount: (t: T) => number) => {
  const sums = new Map<string, number>();
  for (const item of items) sums.set(key(item), Math.round(((sums.get(key(item)) ?? 0) + amount(item)) * 100) / 100);
  return sums;
};
const num = (v: string | undefined) => (v ? Number(v) : 0);

describe('the Generic journal', () => {
  it('is the default, and is today\'s journal CSV under the base name', async () => {
    const files = await erpJournalFiles(monthly(), { baseName: 'journal-2025-01', minorDigits: 2 });
    expect(files.map((f) => f.name)).toEqual(['journal-2025-01.csv']);
    expect(text(files[0].bytes).split('\r\n')[0]).toBe('JournalId,LineNumber,PostingDate,Period,Account,CostCenter,CostCenterName,Description,Debit,Credit,Currency');
  });
});

describe('the D365 journal (General journal entity)', () => {
  const list = fieldLists.D365;

  it('writes the reference example row for row, but for our batch number and texts', async () => {
    const [file] = await filesOf(referenceExample(), {}, ['D365'] as never);
    expect(file.name).toBe('journal-2025-01-d365.csv');
    const [header, ...rows] = rowsOf(file.bytes);
    expect(header).toEqual(list.example[0]);
    const free = ['JOURNALBATCHNUMBER', 'DESCRIPTION', 'TEXT'].map((c) => header.indexOf(c));
    const blank = (row: string[]) => row.map((v, i) => (free.includes(i) ? '' : v));
    expect(rows.map(blank)).toEqual(list.example.slice(1).map(blank));
    expect(rows.map((r) => r[0])).toEqual(['CB-2025-01', 'CB-2025-01']);
  });

  it('fills every required column, one amount side, identical header values and TRANSDATE per voucher, each voucher balanced', async () => {
    const [file] = await filesOf(monthly(), {}, ['D365'] as never);
    const records = recordsOf(file.bytes);
    for (const r of records) {
      for (const column of list.required) expect(r[column]).not.toBe('');
      expect([num(r.DEBITAMOUNT), num(r.CREDITAMOUNT)].filter((a) => a !== 0)).toHaveLength(1);
      expect(r.TRANSDATE).toBe('31-Jan-2025');
    }
    for (const column of list.batchHeaderColumns) expect(new Set(records.map((r) => r[column])).size).toBe(1);
    expect([...sumBy(records, (r) => r.VOUCHER, (r) => num(r.DEBITAMOUNT) - num(r.CREDITAMOUNT)).values()]).toEqual([0]);
    expect(records.map((r) => r.ACCOUNTDISPLAYVALUE)).toEqual(['6101-CC100', '6102-CC200', '6103-CC300', '1990-']);
  });

  it('cuts 25,000 lines into balanced vouchers of at most 10 lines and batches of at most 10,000, netting as the journal', async () => {
    const journal = journalOf(Array.from({ length: 25_000 }, (_, i) => ['6101', `CC${i % 700}`, BigInt(i % 3 === 0 ? -(i + 1) : i + 1)] as [string, string, bigint]));
    const [file] = await filesOf(journal, {}, ['D365'] as never);
    const records = recordsOf(file.bytes);
    const vouchers = sumBy(records, (r) => r.VOUCHER, (r) => num(r.DEBITAMOUNT) - num(r.CREDITAMOUNT));
    expect([...vouchers.values()].every((v) => v === 0)).toBe(true);
    expect(Math.max(...sumBy(records, (r) => r.VOUCHER, () => 1).values())).toBe(10);
    const batches = sumBy(records, (r) => r.JOURNALBATCHNUMBER, () => 1);
    expect([...batches.keys()]).toEqual(['CB-2025-01-B1', 'CB-2025-01-B2', 'CB-2025-01-B3']);
    expect(Math.max(...batches.values())).toBeLessThanOrEqual(list.batchLines);
    const voucherBatches = new Map(records.map((r) => [r.VOUCHER, new Set<string>()]));
    for (const r of records) voucherBatches.get(r.VOUCHER)!.add(r.JOURNALBATCHNUMBER);
    expect([...voucherBatches.values()].every((b) => b.size === 1)).toBe(true);
    expect(await fileNets([file], settingsWith(), 2)).toEqual(journalNets(journal));
  });

  it('refuses a cost center that holds the account delimiter, saying which and what to do', async () => {
    await expect(filesOf(journalOf([['6101', 'CC-100', 100n]]), {}, ['D365'] as never)).rejects.toThrow(
      'D365 journal: cost center "CC-100" contains "-", the segment delimiter of D365Account "{GLAccount}-{CostCenter}", so D365 cannot tell the segments apart: rename the cost center without "-", or set D365Account with the delimiter your ledger uses that no code contains (e.g. {GLAccount}--{CostCenter})',
    );
    const [file] = await filesOf(journalOf([['6101', 'CC-100', 100n]]), { d365Account: '{GLAccount}--{CostCenter}' }, ['D365'] as never);
    expect(recordsOf(file.bytes).map((r) => r.ACCOUNTDISPLAYVALUE)).toEqual(['6101--CC-100', '1990--']);
  });
});

describe('the Oracle FBDI journal (GlInterface.csv in a zip)', () => {
  const list = fieldLists.OracleFBDI;
  const oracle = { oracleSegments: ['101', '{CostCenter}', '{GLAccount}'], oracleGroupId: '20250131' };

  it('writes the reference example field for field, but for our batch and journal names and texts', async () => {
    const [file] = await filesOf(journalOf([['6101', 'CC-100', 12345n]]), oracle, ['OracleFBDI'] as never);
    expect(file).toMatchObject({ name: 'journal-2025-01-oracle-fbdi.zip', contentType: 'application/zip' });
    const rows = await oracleRows(file);
    const free = ['REFERENCE1', 'REFERENCE2', 'REFERENCE4', 'REFERENCE5', 'REFERENCE10'].map((c) => (list.positions as Record<string, number>)[c] ?? [44, 47][['REFERENCE2', 'REFERENCE5'].indexOf(c)]);
    const blank = (row: string[]) => row.map((v, i) => (free.includes(i + 1) ? '' : v));
    expect(rows.map(blank)).toEqual(list.example.map((line) => blank(line.split(','))));
  });

  it('has no header, 149 fields a row, STATUS NEW, ACTUAL_FLAG A, YYYY/MM/DD dates, every required field, balanced per journal', async () => {
    const [file] = await filesOf(monthly(), oracle, ['OracleFBDI'] as never);
    const rows = await oracleRows(file);
    const at = (row: string[], column: string) => row[(list.positions as Record<string, number>)[column] - 1];
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row).toHaveLength(list.columnCount);
      expect(at(row, 'STATUS')).toBe('NEW');
      expect(at(row, 'ACTUAL_FLAG')).toBe('A');
      expect(at(row, 'ACCOUNTING_DATE')).toBe('2025/01/31');
      expect(at(row, 'DATE_CREATED')).toMatch(/^\d{4}\/\d{2}\/\d{2}$/);
      for (const column of list.required) expect(at(row, column)).not.toBe('');
      expect([at(row, 'ENTERED_DR'), at(row, 'ENTERED_CR')].filter((a) => a !== '')).toHaveLength(1);
      expect(at(row, 'GROUP_ID')).toBe('20250131');
      expect(at(row, 'GLOBAL_ATTRIBUTE_NUMBER5')).toBe('');
    }
    expect([...sumBy(rows, (r) => at(r, 'REFERENCE4'), (r) => num(at(r, 'ENTERED_DR')) - num(at(r, 'ENTERED_CR'))).values()]).toEqual([0]);
    expect(rows.map((r) => r.slice(8, 11))).toEqual([['101', 'CC100', '6101'], ['101', 'CC200', '6102'], ['101', 'CC300', '6103'], ['101', '000', '1990']]);
  });

  it('zips the same journal to the same bytes, and a later version under its own group id', async () => {
    const [a] = await filesOf(monthly(), {}, ['OracleFBDI'] as never);
    const [b] = await filesOf(monthly(), {}, ['OracleFBDI'] as never);
    expect(a.bytes).toEqual(b.bytes);
    const [v2] = await filesOf(monthly(), {}, ['OracleFBDI'] as never, 2);
    expect((await oracleRows(v2)).map((r) => [r[42], r[66]])[0]).toEqual(['CB-2025-01-V2', '2025013102']);
  });

  it('puts the legal entity in the {Entity} segment where the journal has one, and refuses the segment where it has none', async () => {
    const journalFormats = settingsWith({ oracleSegments: ['{Entity}', '{CostCenter}', '{GLAccount}'] });
    const [file] = await erpJournalFiles(monthly(), { baseName: 'j', minorDigits: 2, settings: { journalFormats }, entity: '201' }, ['OracleFBDI']);
    expect((await oracleRows(file)).map((r) => r[8])).toEqual(['201', '201', '201', '201']);
    await expect(erpJournalFiles(monthly(), { baseName: 'j', minorDigits: 2, settings: { journalFormats } }, ['OracleFBDI'])).rejects.toThrow('OracleSegments puts {Entity} in SEGMENT1, but this journal has no legal entity');
  });

  it('refuses a journal without a ledger name, and a segment mapping that leaves a segment empty', async () => {
    await expect(filesOf(monthly(), { oracleLedger: '' }, ['OracleFBDI'] as never)).rejects.toThrow('OracleFBDI journal: journal CB-2025-01, line 1: LEDGER_NAME is empty: set Settings OracleLedger');
    await expect(filesOf(monthly(), { oracleClearingCostCenter: '' }, ['OracleFBDI'] as never)).rejects.toThrow('SEGMENT1 ({CostCenter}) is empty for account 1990');
  });
});

describe('the SAP journal (Upload General Journal Entries blocks)', () => {
  const list = fieldLists.SAP;

  it('writes a Header block and a Line Items block with technical names, required fields filled, balanced', async () => {
    const [file] = await filesOf(monthly(), {}, ['SAP'] as never);
    expect(file.name).toBe('journal-2025-01-sap.csv');
    const rows = rowsOf(file.bytes);
    expect(rows[0].slice(0, 2)).toEqual(['1', 'Header']);
    const header = rows[1].slice(1);
    const values = Object.fromEntries(header.map((h, i) => [h, rows[3][i + 1]]));
    for (const field of list.headerRequired) expect(values[field]).not.toBe('');
    expect(values).toMatchObject({ BUKRS: '1000', BLART: 'SA', BLDAT: '31.01.2025', BUDAT: '31.01.2025', MONAT: '01', WAERS: 'USD', XBLNR: 'CB-2025-01' });
    expect(rows[4][1]).toBe('Line Items');
    expect(rows[5].slice(4, 6)).toEqual(['Transaction Currency', 'Transaction Currency']);
    const items = rows[6].slice(1);
    for (const field of [...list.lineRequired, ...list.lineOneOf[0], 'KOSTL']) expect(items).toContain(field);
    const lines = rows.slice(8).map((r) => Object.fromEntries(items.map((h, i) => [h, r[i + 1]])));
    expect(lines.map((l) => [l.HKONT, l.KOSTL, l.WRSOL, l.WRHAB])).toEqual([['6101', 'CC100', '123.45', ''], ['6102', 'CC200', '10.00', ''], ['6103', 'CC300', '', '5.00'], ['1990', '', '', '128.45']]);
    expect(lines.reduce((a, l) => a + num(l.WRSOL) - num(l.WRHAB), 0)).toBeCloseTo(0, 10);
  });

  it('cuts a journal of 2,000 lines into balanced entries of at most 999 line items', async () => {
    const journal = journalOf(Array.from({ length: 2_000 }, (_, i) => ['6101', `CC${i}`, 101n] as [string, string, bigint]));
    const [file] = await filesOf(journal, {}, ['SAP'] as never);
    const rows = rowsOf(file.bytes);
    const headers = rows.filter((r) => r[1] === 'Header');
    expect(headers.map((r) => r[0])).toEqual(['1', '2', '3']);
    expect(await fileNets([file], settingsWith(), 2)).toEqual(journalNets(journal));
  });

  it('refuses to write without a company code', async () => {
    await expect(filesOf(monthly(), { sapCompanyCode: '' }, ['SAP'] as never)).rejects.toThrow('SAP journal: Settings has no SAPCompanyCode');
  });
});

describe('the NetSuite journal (CSV Import Assistant, single file)', () => {
  const list = fieldLists.NetSuite;

  it('puts the External ID on every row, at least 2 lines per entry, amounts with 2 decimals, balanced per entry', async () => {
    const [file] = await filesOf(monthly(), { netSuiteSubsidiary: 'Parent Company' }, ['NetSuite'] as never);
    expect(file.name).toBe('journal-2025-01-netsuite.csv');
    const records = recordsOf(file.bytes);
    for (const r of records) {
      for (const column of list.required) expect(r[column]).not.toBe('');
      const amounts = [r.Debit, r.Credit].filter((a) => a !== '');
      expect(amounts).toHaveLength(1);
      expect(amounts[0]).toMatch(new RegExp(list.amount));
      expect(r).toMatchObject({ Subsidiary: 'Parent Company', Currency: 'USD', Date: '1/31/2025' });
    }
    const entries = sumBy(records, (r) => r['External ID'], () => 1);
    expect([...entries.entries()]).toEqual([['CB-2025-01', 4]]);
    expect(Math.min(...entries.values())).toBeGreaterThanOrEqual(list.minLinesPerEntry);
    expect([...sumBy(records, (r) => r['External ID'], (r) => num(r.Debit) - num(r.Credit)).values()]).toEqual([0]);
  });

  it('refuses a currency with more than 2 decimals, and writes one with none as whole numbers', async () => {
    const settings = { journalFormats: settingsWith(), clearingAccount: '1990' };
    await expect(erpJournalFiles(monthly(), { baseName: 'j', minorDigits: 3, settings }, ['NetSuite'])).rejects.toThrow("NetSuite journal: amounts take 2 decimals at most, and this journal's currency (USD) has 3");
    const [file] = await erpJournalFiles(journalOf([['6101', 'CC100', 1500n]], { currency: 'JPY' }), { baseName: 'j', minorDigits: 0, settings }, ['NetSuite']);
    expect(recordsOf(file.bytes).map((r) => [r.Debit, r.Credit])).toEqual([['1500', ''], ['', '1500']]);
  });
});

describe('the Xero journal (manual journal import)', () => {
  const list = fieldLists.Xero;

  it('writes signed amounts (debit positive, credit negative), dd/mm/yyyy dates and the cost center as a tracking option', async () => {
    const [file] = await filesOf(monthly(), {}, ['Xero'] as never);
    expect(file.name).toBe('journal-2025-01-xero.csv');
    const records = recordsOf(file.bytes);
    for (const r of records) {
      for (const column of list.required) expect(r[column]).not.toBe('');
      expect(r.Date).toMatch(new RegExp(list.date));
    }
    expect(records.map((r) => [r.AccountCode, r.Amount, r.TrackingName1, r.TrackingOption1])).toEqual([
      ['6101', '123.45', 'Cost Center', 'CC100'],
      ['6102', '10.00', 'Cost Center', 'CC200'],
      ['6103', '-5.00', 'Cost Center', 'CC300'],
      ['1990', '-128.45', '', ''],
    ]);
  });

  it('splits a journal of 700 lines into files of at most 300 lines, each journal (narration and date) balanced', async () => {
    const journal = journalOf(Array.from({ length: 700 }, (_, i) => ['6101', `CC${i}`, BigInt(i - 100)] as [string, string, bigint]).filter(([, , a]) => a !== 0n));
    const files = await filesOf(journal, {}, ['Xero'] as never);
    expect(files.map((f) => f.name)).toEqual(['journal-2025-01-xero-1.csv', 'journal-2025-01-xero-2.csv', 'journal-2025-01-xero-3.csv']);
    for (const file of files) {
      const records = recordsOf(file.bytes);
      expect(records.length).toBeLessThanOrEqual(list.fileLines);
      const journals = sumBy(records, (r) => `${r.Narration}|${r.Date}`, (r) => num(r.Amount));
      expect(journals.size).toBe(1);
      expect([...journals.values()]).toEqual([0]);
    }
    expect(recordsOf(files[1].bytes)[0].Narration).toBe('Cloud chargeback CB-2025-01 (part 2 of 3)');
    expect(await fileNets(files, settingsWith(), 2)).toEqual(journalNets(journal));
  });
});

describe('all formats at once', () => {
  it('write a journal with no lines (nothing changed) as files with no lines, in every format', async () => {
    const files = await filesOf(journalOf([]), { formats: ['Generic', 'D365', 'OracleFBDI', 'SAP', 'NetSuite', 'Xero'] });
    expect(files.map((f) => f.format)).toEqual(['Generic', 'D365', 'OracleFBDI', 'SAP', 'NetSuite', 'Xero']);
    for (const file of files) expect(file.format === 'OracleFBDI' ? await oracleRows(file) : rowsOf(file.bytes).slice(file.format === 'SAP' ? 0 : 1)).toEqual([]);
  });


  it('writes the listed formats in order, each netting per account and cost center to the generic journal', async () => {
    const files = await filesOf(monthly(), { formats: ['Generic', 'D365', 'OracleFBDI', 'NetSuite'] });
    expect(files.map((f) => f.name)).toEqual(['journal-2025-01.csv', 'journal-2025-01-d365.csv', 'journal-2025-01-oracle-fbdi.zip', 'journal-2025-01-netsuite.csv']);
    for (const file of files) expect(await fileNets([file], settingsWith(), 2)).toEqual(journalNets(monthly()));
  });
});
