/**
 * The Office.js path under Excel's documented semantics (the strict fake in fake-excel.ts): text
 * stays text, user formulas survive, every step commits as one unit, requests stay within budget
 * and under the 5 MB limit, protected sheets refuse sorting, pool names cannot break the statement.
 */
import { IngestResult } from '../../src/core/ingest';
import { parseExact } from '../../src/core/money';
import { approveWorkbook, reopenWorkbook, reviewWorkbook } from '../../src/workbook/approval';
import { OfficeGateway } from '../../src/workbook/office-gateway';
import { allocateWorkbook, checkRules, ensureRuleTables, pullCosts, replaceRuleTables, StepContext, writeRuleTables } from '../../src/workbook/steps';
import { clock, reviewer } from '../support/approved-book';
import { paneOperations, sampleMonthEndOnOffice } from '../support/office-month-end';
import { sampleOctober, sampleRuleTables } from '../support/sample';
import { FakeExcel, typedInExcel } from './fake-excel';

const preparer: StepContext = { user: 'Pat Preparer', now: clock('2026-11-03T09:00:00Z') };
const controller: StepContext = { user: 'Sam Controller', now: clock('2026-11-04T09:00:00Z') };

/** Text that Excel turns into something else when it lands in a General cell. */
const TRICKY = ['2026-10', '0100', '0000610000', '=1+1', '+44 20 7946', '-x', '@sum', '1E5', 'TRUE', '12/31'];


/** Requests a step makes on the fake. */
async function requestsOf(excel: FakeExcel, step: () => Promise<unknown>): Promise<number> {
  const before = excel.syncs;
  await step();
  return excel.syncs - before;
}

let base: { excel: FakeExcel; october: IngestResult };

beforeAll(async () => {
  const { excel } = await sampleMonthEndOnOffice(preparer);
  const { ingest, october } = await sampleOctober();
  base = { excel, october: { ...ingest, lines: october } };
});

function fresh(): { excel: FakeExcel; gateway: OfficeGateway } {
  const excel = base.excel.clone();
  return { excel, gateway: new OfficeGateway({ run: excel.run }) };
}

describe('what Excel does with text, and how the gateway keeps it text', () => {
  it('the fake parses text written to a General cell as Excel documents it', () => {
    expect(TRICKY.map((text) => typedInExcel(text))).toEqual([
      { value: 46296 },
      { value: 100 },
      { value: 610000 },
      { formula: '=1+1', value: '#NAME?' },
      { formula: '=+44 20 7946', value: '#NAME?' },
      { formula: '=-x', value: '#NAME?' },
      { formula: '=sum', value: '#NAME?' },
      { value: 100000 },
      { value: true },
      { value: expect.any(Number) },
    ]);
    expect(TRICKY.map((text) => typedInExcel(text, '@').value)).toEqual(TRICKY);
  });

  it('writes text columns as Text before their values, so every tricky value reads back as written', async () => {
    const excel = new FakeExcel();
    const gateway = new OfficeGateway({ run: excel.run });
    await gateway.writeTables([{ name: 'Tricky', columns: [{ header: 'Code' }, { header: 'Amount', kind: 'money' }], rows: TRICKY.map((text, i) => [text, i]) }]);
    expect(excel.tableRows('Tricky').map((row) => row[0])).toEqual(TRICKY);
    expect(excel.columnFormat('Tricky', 'Code')).toBe('@');
    expect(excel.tableRows('Tricky').some((row) => excel.cell('Tricky', 'A2').formula || row[0] === '#NAME?')).toBe(false);
  });

  it('keeps periods, codes with leading zeros, tag values that look like formulas, and digests as text through pull, allocate and approve', async () => {
    const excel = new FakeExcel();
    const gateway = new OfficeGateway({ run: excel.run });
    const { tables, october, ingest } = await sampleOctober();
    const withCodes = { ...tables, CostCenters: tables.CostCenters!.map((c, i) => ({ ...c, GLAccount: `0${6100 + i}` })) };
    await writeRuleTables(gateway, withCodes);
    // A cloud tag can carry anything: it must never become a formula in the workbook.
    const tagged = october.map((line, i) => (i === 0 ? { ...line, dimensions: { ...line.dimensions, SubAccountName: '=HYPERLINK("http://x","y")' } } : line));
    await pullCosts(gateway, { ...ingest, lines: tagged }, preparer);
    await allocateWorkbook(gateway, preparer, { period: '2026-10' });
    await approveWorkbook(gateway, reviewer);
    const costs = excel.tableRows('Costs');
    expect(new Set(costs.map((row) => row[0]))).toEqual(new Set(['2026-10']));
    expect(costs.some((row) => row.includes('=HYPERLINK("http://x","y")'))).toBe(true);
    expect(excel.tableRows('CostCenters').map((row) => row[3])).toEqual(withCodes.CostCenters.map((c) => c.GLAccount));
    const history = excel.tableRows('ApprovalHistory');
    expect(history[0][0]).toBe('2026-10');
    for (const row of excel.tableRows('Audit')) expect(row.every((cell) => typeof cell === 'string')).toBe(true);
  });

  it('formats the code columns of rule tables it creates as Text, so what finance types keeps its zeros', async () => {
    const excel = new FakeExcel();
    const gateway = new OfficeGateway({ run: excel.run });
    await ensureRuleTables(gateway, preparer);
    excel.typeInto('CostCenters', 'A3', '0100');
    excel.typeInto('CostCenters', 'D3', '0610000');
    expect(excel.cell('CostCenters', 'A3').value).toBe('0100');
    expect(excel.cell('CostCenters', 'D3').value).toBe('0610000');
  });

  it("says so, by table and row, where a user's own rule table holds a number in a code column", async () => {
    const excel = new FakeExcel();
    const gateway = new OfficeGateway({ run: excel.run });
    const { tables } = await sampleOctober();
    await writeRuleTables(gateway, tables);
    // The user deletes the add-in's Drivers sheet and makes a table of their own, in General cells: 0100 is the number 100 there.
    excel.deleteSheet(excel.sheetNamed('Drivers'));
    excel.addUserTable('Drivers', ['Driver', 'CostCenter', 'Quantity'], [['headcount', '0100', 4]]);
    const { problems } = await checkRules(gateway);
    expect(problems).toContainEqual({ table: 'Drivers', row: 2, column: 'CostCenter', message: expect.stringMatching(/^100 is a number in a code column, so Excel drops leading zeros/) });
  });
});

describe('updating tables in place', () => {
  it("keeps a user's formulas on our tables working across a second allocation, where deleting the sheet would break them", async () => {
    const { excel, gateway } = fresh();
    excel.newSheet('Notes');
    excel.typeInto('Notes', 'A1', '=SUM(Chargeback[Total])');
    const first = excel.cell('Notes', 'A1').value as number;
    expect(first).toBeCloseTo(23884.20, 2);
    const statement = excel.table('Chargeback');
    // A credit lands: pull again, allocate again.
    // (a line billed in USD: a euro credit would be converted at the month's rate)
    const at = base.october.lines.findIndex((l) => l.currency === 'USD');
    const credit = { ...base.october.lines[at], effectiveCost: base.october.lines[at].effectiveCost - parseExact('5')! };
    await pullCosts(gateway, { ...base.october, lines: base.october.lines.map((l, i) => (i === at ? credit : l)) }, preparer);
    await allocateWorkbook(gateway, preparer, { period: '2026-10' });
    expect(excel.table('Chargeback')).toBe(statement);
    expect(excel.cell('Notes', 'A1')).toMatchObject({ formula: '=SUM(Chargeback[Total])' });
    expect(excel.cell('Notes', 'A1').value).toBeCloseTo(first - 5, 2);
    // What the old delete-and-recreate did to the same formula:
    excel.deleteSheet(excel.sheetNamed('Chargeback'));
    expect(excel.cell('Notes', 'A1')).toMatchObject({ formula: '=SUM(#REF!)', value: '#REF!' });
  });

  it('points the chart at the statement again instead of adding another', async () => {
    const { excel, gateway } = fresh();
    await allocateWorkbook(gateway, preparer, { period: '2026-10' });
    const charts = excel.sheetNamed('Chargeback').charts;
    expect(charts).toHaveLength(1);
    expect(charts[0]).toMatchObject({ name: 'ChargebackChart', title: 'Chargeback 2026-10 by cost center (USD)' });
  });
});

describe('each step commits as one unit', () => {
  type Step = { name: string; before?: (gateway: OfficeGateway) => Promise<unknown>; run: (gateway: OfficeGateway) => Promise<unknown> };
  const steps: Step[] = [
    { name: 'pull', run: (g) => pullCosts(g, base.october, preparer) },
    { name: 'allocate', run: (g) => allocateWorkbook(g, preparer, { period: '2026-10' }) },
    { name: 'load rules', run: async (g) => replaceRuleTables(g, await sampleRuleTables(), 'rules.json', preparer) },
    { name: 'approve', run: (g) => approveWorkbook(g, reviewer) },
    { name: 'reopen', before: (g) => approveWorkbook(g, reviewer), run: (g) => reopenWorkbook(g, controller, 'late credit') },
  ];

  it.each(steps)('$name: failing any of its requests, whole or part-way, leaves the workbook exactly as it was (or, where a read is retried, as the step leaves it)', async (step) => {
    const prepared = fresh();
    await step.before?.(prepared.gateway);
    const probe = prepared.excel.clone();
    const count = await requestsOf(probe, () => step.run(new OfficeGateway({ run: probe.run })));
    const done = JSON.stringify(probe.snapshot());
    const runs = async (failAt: { request: number; afterCommands?: number }) => {
      const excel = prepared.excel.clone();
      const before = JSON.stringify(excel.snapshot());
      excel.failAt = { ...failAt, request: excel.syncs + failAt.request };
      const outcome = await step.run(new OfficeGateway({ run: excel.run })).then(
        () => 'done',
        (error: Error) => error.message,
      );
      const after = JSON.stringify(excel.snapshot());
      return { outcome, as: after === before ? 'as it was' : after === done ? 'as the step leaves it' : 'half-written' };
    };
    expect(count).toBeGreaterThan(0);
    for (let request = 1; request <= count; request++) {
      const { outcome, as } = await runs({ request });
      expect([request, as]).toEqual([request, outcome === 'done' ? 'as the step leaves it' : 'as it was']);
    }
    // The last request copies everything in: fail it part-way at many points; the undo puts it back.
    for (const afterCommands of [1, 2, 5, 10, 20, 40, 60, 80, 120]) {
      const { outcome, as } = await runs({ request: count, afterCommands });
      expect([afterCommands, as]).toEqual([afterCommands, outcome === 'done' ? 'as the step leaves it' : 'as it was']);
    }
  });
});

describe('round trips on the sample (Excel on the web charges 100-300 ms for each)', () => {
  it('stays within the budget of each step, and Review writes nothing', async () => {
    const { excel, gateway } = fresh();
    const ops = paneOperations(gateway);
    expect(await requestsOf(excel, () => ops.lock())).toBeLessThanOrEqual(2);
    expect(await requestsOf(excel, () => ops.checkRules())).toBeLessThanOrEqual(3);
    expect(await requestsOf(excel, () => ops.allocate('2026-10'))).toBeLessThanOrEqual(6);
    const before = JSON.stringify(excel.snapshot());
    expect(await requestsOf(excel, () => ops.review())).toBeLessThanOrEqual(3);
    expect(JSON.stringify(excel.snapshot())).toBe(before);
    expect(await requestsOf(excel, () => ops.approve('Dana Reviewer'))).toBeLessThanOrEqual(6);
    expect(await requestsOf(excel, () => ops.reopen('Sam Controller', 'late credit'))).toBeLessThanOrEqual(4);
  });
});

describe('request sizes', () => {
  it('reads a Costs table of long resource ids in chunks sized from measured rows, each response under 5 MB', async () => {
    const excel = new FakeExcel();
    const gateway = new OfficeGateway({ run: excel.run });
    const id = (i: number) => `/subscriptions/${'0'.repeat(8)}/resourceGroups/rg-${i}/providers/Microsoft.Compute/virtualMachines/${'vm'.repeat(900)}-${i}`;
    const rows = Array.from({ length: 4000 }, (_, i) => ['2026-10', 'USD', 'Usage', '', id(i), 1.5, 1.5, 1, '1.5', '1.5']);
    excel.addUserTable('Costs', ['BillingPeriod', 'BillingCurrency', 'ChargeCategory', 'CommitmentDiscountStatus', 'ResourceId', 'BilledCost', 'EffectiveCost', 'SourceRows', 'BilledCostExact', 'EffectiveCostExact'], rows);
    const table = await gateway.readTable('Costs');
    expect(table!.rows).toHaveLength(4000);
    expect(table!.rows[3999][4]).toBe(id(3999));
    expect(Math.max(...excel.responses)).toBeLessThan(5 * 1024 * 1024);
  });
});

describe('after approval', () => {
  it('Excel refuses to sort the protected statement (its cells are locked), as the README says', async () => {
    const { excel, gateway } = fresh();
    await approveWorkbook(gateway, reviewer);
    expect(() => excel.userSort('Chargeback', 'A2:A8')).toThrow(/protected sheet Chargeback/);
    await reopenWorkbook(gateway, controller, 'to sort');
    expect(() => excel.userSort('Chargeback', 'A2:A8')).not.toThrow();
  });

  it('refuses a step that would write to a protected sheet, and changes nothing', async () => {
    const { excel, gateway } = fresh();
    await approveWorkbook(gateway, reviewer);
    const before = JSON.stringify(excel.snapshot());
    await expect(gateway.writeTables([{ name: 'Costs', columns: [{ header: 'BillingPeriod' }], rows: [['2026-10']] }])).rejects.toThrow(/the Costs sheet is protected/);
    expect(JSON.stringify(excel.snapshot())).toBe(before);
  });
});

describe('pool names that would break the statement', () => {
  it.each([
    ['Total', /is also a column of the statement/],
    ['direct', /is also a column of the statement/],
    ['Net[work]', /contains \[, \], # or '/],
    ["Ops'", /contains \[, \], # or '/],
    ['Sec#1', /contains \[, \], # or '/],
  ])('refuses a pool named %s, by table and row', async (pool, message) => {
    const { gateway } = fresh();
    const { tables } = await sampleOctober();
    await writeRuleTables(gateway, { ...tables, SharedPools: [{ ...tables.SharedPools![0], Pool: pool }, ...tables.SharedPools!.slice(1)] });
    const { problems } = await checkRules(gateway);
    expect(problems).toContainEqual({ table: 'SharedPools', row: 2, column: 'Pool', message: expect.stringMatching(message) });
    await expect(allocateWorkbook(gateway, preparer, { period: '2026-10' })).rejects.toThrow();
  });

  it('refuses two pools whose names differ only in case', async () => {
    const { gateway } = fresh();
    const { tables } = await sampleOctober();
    const pools = tables.SharedPools!;
    await writeRuleTables(gateway, { ...tables, SharedPools: [...pools, { ...pools[0], Pool: pools[0].Pool!.toString().toUpperCase(), Pattern: 'nothing-matches' }] });
    const { problems } = await checkRules(gateway);
    expect(problems).toContainEqual({ table: 'SharedPools', row: pools.length + 2, column: 'Pool', message: expect.stringMatching(/only in upper and lower case/) });
  });
});

describe('rows below a table', () => {
  it('reports rule rows typed below the CostCenters table instead of ignoring them', async () => {
    const { excel, gateway } = fresh();
    const table = excel.tableNamed('CostCenters');
    const below = table.row + 1 + table.rows + 2; // after one blank row
    excel.typeInto('CostCenters', `A${below + 1}`, 'CC-NEW');
    const { problems } = await checkRules(gateway);
    expect(problems).toContainEqual({ table: 'CostCenters', row: below + 1, message: expect.stringMatching(new RegExp(`^row ${below + 1} of CostCenters lies below the table`)) });
  });
});
