import { OfficeGateway, planWriteRequests } from '../../src/workbook/office-gateway';
import { BENCH_GRAIN, costsWritePlan } from '../../bench/write-plan';
import { CellValue, TableSpec } from '../../src/workbook/gateway';
import { REQUEST_LIMIT_BYTES } from '../../src/workbook/write-plan';
import { sampleMonthEndOnOffice } from '../support/office-month-end';
import { FakeExcel } from './fake-excel';

function setup(requestBytes?: number) {
  const excel = new FakeExcel();
  const gateway = new OfficeGateway({ run: excel.run, requestBytes });
  return { excel, gateway };
}

const costCenters: TableSpec = {
  name: 'CostCenters',
  columns: [{ header: 'CostCenter' }, { header: 'Name' }, { header: 'Budget', kind: 'money' }],
  rows: [
    ['CC-A', 'Team A', 100],
    ['CC-B', 'Team B', 250.5],
  ],
};

/** Cost lines of about 170 bytes each, like a real Costs table at the default grain. */
function costRows(count: number): CellValue[][] {
  return Array.from({ length: count }, (_, i) => ['2026-10', 'USD', 'Usage', '', 'Microsoft', `sub-${i % 997}-production`, 'Compute', 'Virtual Machines', 1234.5678901234 + i, 1187.12345 + i, 1 + (i % 50)]);
}
const costColumns = ['BillingPeriod', 'BillingCurrency', 'ChargeCategory', 'CommitmentDiscountStatus', 'ProviderName', 'SubAccountName', 'ServiceCategory', 'ServiceName', 'BilledCost', 'EffectiveCost', 'SourceRows'].map(
  (header) => ({ header, kind: header.endsWith('Cost') ? ('exact' as const) : undefined }),
);

describe('the Office.js workbook gateway', () => {
  it('writes a table and reads the same headers and rows back', async () => {
    const { excel, gateway } = setup();
    await gateway.writeTables([costCenters]);
    expect(excel.table('CostCenters')?.sheet.name).toBe('CostCenters');
    expect(excel.sheet('CB~CostCenters')).toBeUndefined();
    expect(await gateway.readTable('CostCenters')).toEqual({ headers: ['CostCenter', 'Name', 'Budget'], rows: costCenters.rows });
    expect(await gateway.readTable('Nowhere')).toBeUndefined();
    expect(await gateway.tableNames()).toContain('CostCenters');
  });

  it('reads a table whose rows are longer than the rows it measured: a chunk Excel refuses as too large is read again in halves', async () => {
    const { excel, gateway } = setup();
    // short first and last rows (what the read measures), 2,000-character service names between them
    const rows = costRows(600).map((row, i) => (i === 0 || i === 599 ? row : row.map((cell, c) => (c === 7 ? `Virtual Machines ${'x'.repeat(2_000)}` : cell))));
    await gateway.writeTables([{ name: 'Costs', columns: costColumns, rows }]);
    excel.limitBytes = 300_000;
    const requestsBefore = excel.requests.length;
    const reader = new OfficeGateway({ run: excel.run, requestBytes: 200_000 });
    expect((await reader.readTable('Costs'))?.rows).toEqual(rows);
    // Excel refused at least one chunk as too large (by its code; its message is localized), and the rows came through whole
    const refused = excel.responses.slice(requestsBefore).filter((bytes) => bytes > excel.limitBytes);
    expect(refused.length).toBeGreaterThan(0);
  });

  it('formats money columns, freezes the header and adds drop-down lists to rule columns', async () => {
    const { excel, gateway } = setup();
    await gateway.writeTables([
      { name: 'SharedPools', columns: [{ header: 'Pool' }, { header: 'Method', choices: ['Even', 'Proportional'] }], rows: [['Network', 'Even']] },
      { ...costCenters, name: 'Chargeback', totals: true },
    ]);
    const pools = excel.sheet('SharedPools')!;
    expect(pools.frozenRows).toBe(1);
    expect(pools.validations.get(1)).toEqual({ list: { inCellDropDown: true, source: 'Even,Proportional' } });
    expect(excel.columnFormat('Chargeback', 'Budget')).toBe('#,##0.00;[Red]-#,##0.00');
    expect(excel.columnFormat('Chargeback', 'CostCenter')).toBe('@');
    expect(excel.table('Chargeback')?.showTotals).toBe(true);
    expect(excel.cell('Chargeback', 'C4').formula).toBe('=SUBTOTAL(109,[Budget])');
    // The totals row is not data: reading the table gives the cost centers only.
    expect((await gateway.readTable('Chargeback'))?.rows).toEqual(costCenters.rows);
  });

  it('replaces a table that exists in place: same sheet, position and table', async () => {
    const { excel, gateway } = setup();
    excel.addUserTable('Intro', ['Note'], [['hello']]);
    excel.addUserTable('CostCenters', ['CostCenter'], [['OLD']]);
    excel.addUserTable('Other', ['Note'], [['x']]);
    const before = excel.table('CostCenters')!;
    await gateway.writeTables([costCenters]);
    expect(excel.sheets.map((s) => s.name)).toEqual(['Intro', 'CostCenters', 'Other']);
    expect(excel.table('CostCenters')).toBe(before);
    expect(excel.tableRows('CostCenters')).toEqual(costCenters.rows);
  });

  it('leaves the workbook as it was when a write fails part-way', async () => {
    const { excel, gateway } = setup(64 * 1024);
    excel.addUserTable('Costs', ['BillingPeriod'], [['September']]);
    excel.failAt = { request: 3 }; // the second staging request of cost lines
    await expect(gateway.writeTables([{ name: 'Costs', columns: costColumns, rows: costRows(2000) }])).rejects.toThrow(/request 3 failed/);
    expect(excel.sheets.map((s) => s.name)).toEqual(['Costs']);
    expect(excel.tableRows('Costs')).toEqual([['September']]);
  });

  it('appends rows to the end of a table, creating it when missing', async () => {
    const { excel, gateway } = setup();
    const columns = [{ header: 'Time' }, { header: 'Action' }];
    await gateway.appendRows('Audit', columns, [['2026-11-01T10:00:00Z', 'Pull']]);
    await gateway.appendRows('Audit', columns, [['2026-11-01T10:05:00Z', 'Allocate']]);
    expect(excel.tableRows('Audit')).toEqual([
      ['2026-11-01T10:00:00Z', 'Pull'],
      ['2026-11-01T10:05:00Z', 'Allocate'],
    ]);
    expect((await gateway.readTable('Audit'))?.rows).toHaveLength(2);
  });

  it('draws the bar chart once (a second allocation replaces it), protects sheets once, and selects the cell a rule problem names', async () => {
    const { excel, gateway } = setup();
    const chart = { sheet: 'Chargeback', title: 'By cost center', categoryColumn: 'CostCenter', valueColumn: 'Budget', rowCount: 2 };
    await gateway.commit({ tables: [{ ...costCenters, name: 'Chargeback' }], chart });
    await gateway.commit({ tables: [{ ...costCenters, name: 'Chargeback' }], chart });
    expect(excel.sheet('Chargeback')?.charts).toEqual([{ name: 'ChargebackChart', type: 'BarClustered', title: 'By cost center', values: 'C1:C3', categories: 'A2:A3' }]);
    await gateway.commit({ protect: { sheets: ['Chargeback', 'Missing'], protect: true } });
    await gateway.commit({ protect: { sheets: ['Chargeback'], protect: true } });
    expect(excel.sheet('Chargeback')).toMatchObject({ protected: true, protection: { allowSort: true, allowAutoFilter: true } });
    await gateway.selectCell('Chargeback', 3, 'Budget');
    expect(excel.selected).toEqual({ sheet: 'Chargeback', row: 2, column: 2 });
  });

  describe('chunking under the 5 MB request limit', () => {
    it('writes 100,000 cost lines in requests under 5 MB, with calculation and screen updating suspended for each', async () => {
      const { excel, gateway } = setup();
      const rows = costRows(100_000);
      await gateway.writeTables([{ name: 'Costs', columns: costColumns, rows }]);
      const plan = planWriteRequests([{ name: 'Costs', columns: costColumns, rows }]);
      // look + one sync per staging request + copy-in: the same count the plan promises and the fake saw
      expect(gateway.accounting.syncs).toBe(plan.syncs);
      expect(excel.syncs).toBe(plan.syncs);
      expect(plan.requests.length).toBeGreaterThan(1);
      expect(plan.requests.length).toBeLessThanOrEqual(8);
      // The gateway's own byte count matches what the fake measured request by request.
      expect(gateway.accounting.requestBytes).toEqual(excel.requests);
      expect(Math.max(...excel.requests)).toBeLessThan(REQUEST_LIMIT_BYTES / 2 + 1);
      expect(gateway.accounting.largestRequestBytes).toBeLessThan(REQUEST_LIMIT_BYTES);
      // every data request ran with calculation and screen updating suspended
      excel.suspended.slice(1, -1).forEach((s) => expect(s).toEqual({ calculation: true, screen: true }));
      expect(excel.tableRows('Costs')).toHaveLength(100_000);
      // Numbers keep Excel's 15 significant digits.
      expect(excel.tableRows('Costs')[99_999]).toEqual(rows[99_999].map((v) => (typeof v === 'number' ? Number(v.toPrecision(15)) : v)));
    });

    it('reads 100,000 cost lines back in requests under the budget', async () => {
      const { excel, gateway } = setup();
      excel.addUserTable('Costs', costColumns.map((c) => c.header), costRows(100_000));
      const before = gateway.accounting.syncs;
      const table = await gateway.readTable('Costs');
      expect(table?.rows).toHaveLength(100_000);
      const reads = gateway.accounting.syncs - before - 2; // the look and the first read (headers and measured rows)
      expect(reads).toBeGreaterThan(1);
      expect(reads).toBeLessThanOrEqual(10);
      expect(gateway.accounting.largestResponseBytes).toBeGreaterThan(0);
      expect(gateway.accounting.largestResponseBytes).toBeLessThan(REQUEST_LIMIT_BYTES / 2 + 1);
    });

    it('packs small tables into one request: three result tables take three syncs in all', async () => {
      const { excel, gateway } = setup();
      await gateway.writeTables([costCenters, { ...costCenters, name: 'Allocation' }, { ...costCenters, name: 'Reconciliation' }]);
      expect(excel.syncs).toBe(3);
    });

    it('reports the plan for 10,000 and 100,000 Costs rows for the benchmark', () => {
      const small = costsWritePlan(10_000, BENCH_GRAIN);
      const large = costsWritePlan(100_000, BENCH_GRAIN);
      expect(small.syncs).toBe(3);
      expect(large.syncs).toBeGreaterThan(small.syncs);
      expect(large.largestRequestBytes).toBeLessThan(REQUEST_LIMIT_BYTES);
      expect(large.totalBytes).toBeGreaterThan(REQUEST_LIMIT_BYTES);
    });
  });
});

describe('the month-end steps on the Office.js gateway', () => {
  it('pull and allocate the sample for 2026-10: the statement reconciles, the chart is drawn, the Audit log has each step', async () => {
    const { excel, result } = await sampleMonthEndOnOffice({ user: 'test', now: () => new Date('2026-11-03T09:00:00Z') });

    expect(result.allocatedTotal).toBe(result.sourceTotal);
    const reconciliation = Object.fromEntries(excel.tableRows('Reconciliation').map((row) => [row[0], row[1]]));
    expect(reconciliation['Difference']).toBe(0);
    const totals = excel.tableRows('Chargeback').map((row) => Math.round(Number(row[row.length - 3]) * 100));
    expect(BigInt(totals.reduce((a, b) => a + b, 0))).toBe(result.sourceTotal);
    expect(excel.sheet('Chargeback')?.charts).toHaveLength(1);
    expect(excel.tableRows('Audit').map((row) => row[1])).toEqual(['Pull', 'Allocate']);
    expect(excel.sheets.filter((s) => s.name.startsWith('CB'))).toEqual([]);
  });
});
