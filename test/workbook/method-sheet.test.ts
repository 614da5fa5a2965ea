import { methodLines } from '../../src/core/method';
import { parseRules } from '../../src/core/rules';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { OfficeGateway } from '../../src/workbook/office-gateway';
import { allocateWorkbook, pullCosts, writeRuleTables } from '../../src/workbook/steps';
import { approvedMonth, MONTHS, preparerAt, reportingRules } from '../support/reporting-books';
import { line } from '../core/helpers';
import { FakeExcel } from './fake-excel';

const EXPECTED = [
  ['What is charged', 'Settings Metric', '2026-10 is charged at EffectiveCost: amortized, so reservations and savings plans are spread over the months they cover. 2360.81 USD in all.'],
  ['Order', 'SharedPools, Mappings', 'Each cost line is checked against the shared pools first, then the mappings, top to bottom; the first rule that matches decides where it goes.'],
  ['Shared pool Network', 'SharedPools row 2', 'Cost whose ServiceCategory matches "Networking" goes to the shared pool Network.'],
  ['Shared pool Support', 'SharedPools row 3', 'Cost whose SubAccountName matches "support*" goes to the shared pool Support.'],
  ['Split of Network', 'SharedPools row 2', 'Network collected 361.36 this month and is split in proportion to direct cost among ENG-PAY (Payments), ENG-WEB (Storefront), OPS-SEC (Security operations).'],
  ['Split of Support', 'SharedPools row 3', 'Support collected 99.01 this month and is split in fixed percents (FixedSplits): ENG-PAY (Payments) 50%, ENG-WEB (Storefront) 30%, OPS-SEC (Security operations) 20%.'],
  ['Direct cost', 'Mappings row 2', 'Cost whose SubAccountName matches "pay*" is charged to ENG-PAY (Payments).'],
  ['Direct cost', 'Mappings row 3', 'Cost whose SubAccountName matches "web*" is charged to ENG-WEB (Storefront).'],
  ['Direct cost', 'Mappings row 4', 'Cost whose SubAccountName matches "secops*" is charged to OPS-SEC (Security operations).'],
  ['Unused commitments', 'Settings UnusedCommitments', 'Unused reservations and savings plans are charged like any other cost, by the rules above.'],
  ['Unallocated', 'Settings Unallocated', 'Cost no rule matches is charged to UNALLOCATED, shown as its own line and never hidden: 4.13 this month.'],
  ['Rounding', 'Chargeback', "Each cost center's total is rounded to 2 decimals by largest remainder, so the totals add up exactly to 2360.81, and direct cost plus shares equals the total on every line."],
  ['Budget', 'CostCenters Budget', "Variance is the total charged minus the cost center's monthly Budget: above zero is over budget."],
  ['Journal', 'CostCenters GLAccount, Settings ClearingAccount', "The journal debits each cost center's GL account and credits clearing account 2990 with the total."],
  ['Hierarchy', 'CostCenters Parent', 'DEPT-ENG (Engineering) rolls up ENG-PAY, ENG-WEB in reports.'],
];

describe('the Method sheet', () => {
  it('explains the month in plain words, from the rule tables, when the command line allocates', async () => {
    const book = await approvedMonth('2026-10');
    expect((await book.readTable('Method'))!.rows).toEqual(EXPECTED);
  });

  it('is written in Excel too, by the same Allocate step (Office.js gateway over the strict fake)', async () => {
    const excel = new FakeExcel();
    const gateway = new OfficeGateway({ run: excel.run });
    await writeRuleTables(gateway, reportingRules);
    const lines = MONTHS['2026-10'].map(([dimensions, amount]) => line(dimensions, amount));
    await pullCosts(gateway, { lines, rowsRead: lines.length, files: [{ name: 'october.csv', rows: lines.length }], dimensions: ['ProviderName', 'SubAccountName', 'ServiceCategory', 'ServiceName'] }, preparerAt('2026-10'));
    await allocateWorkbook(gateway, preparerAt('2026-10'));
    expect((await gateway.readTable('Method'))!.rows).toEqual(EXPECTED);
  });

  it('says how Driver and Even pools split, and where unused commitments go', () => {
    const rules = parseRules({
      Settings: [{ Setting: 'UnusedCommitments', Value: 'Proportional' }],
      CostCenters: [
        { CostCenter: 'A', Name: 'Alpha' },
        { CostCenter: 'B', Name: '' },
      ],
      SharedPools: [
        { Pool: 'Office', Dimension: 'ServiceName', Pattern: 'M365', Method: 'Driver', Driver: 'seats', Targets: '*' },
        { Pool: 'Hub', Dimension: 'ServiceCategory', Pattern: 'Networking', Method: 'Even', Targets: '*' },
      ],
      Drivers: [
        { Driver: 'seats', CostCenter: 'A', Quantity: 12 },
        { Driver: 'seats', CostCenter: 'B', Quantity: 3 },
      ],
    });
    const result = { period: '2026-10', currency: 'USD', minorDigits: 2, sourceTotal: 0n, unallocated: 0n, pools: [
      { pool: 'Office', method: 'Driver', targets: ['A', 'B'], amount: 1500n, source: { table: 'SharedPools', row: 2 } },
      { pool: 'Hub', method: 'Even', targets: ['A', 'B'], amount: 200n, source: { table: 'SharedPools', row: 3 } },
      { pool: 'Unused commitments', method: 'Proportional', targets: ['A', 'B'], amount: 7n, source: { table: 'Settings', row: 0 } },
    ] } as unknown as Parameters<typeof methodLines>[1];
    const text = methodLines(rules, result).map((l) => `${l.source}: ${l.text}`);
    expect(text).toContain('SharedPools row 2: Office collected 15.00 this month and is split by driver quantity of seats (Drivers): A (Alpha) 12, B 3.');
    expect(text).toContain('SharedPools row 3: Hub collected 2.00 this month and is split in equal shares among every cost center (2).');
    expect(text).toContain('Settings UnusedCommitments: Unused commitments collected 0.07 this month and is split in proportion to direct cost among every cost center (2).');
    expect(text).toContain('Settings UnusedCommitments: Unused reservations and savings plans form the pool Unused commitments, split in proportion to direct cost among all cost centers.');
  });
});
