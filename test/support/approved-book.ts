import { CostLine } from '../../src/core/costs';
import { RuleTables } from '../../src/core/rules';
import { approveWorkbook, reopenWorkbook } from '../../src/workbook/approval';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { allocateWorkbook, pullCosts, writeRuleTables } from '../../src/workbook/steps';
import { line, threeTeams } from '../core/helpers';

export const clock = (iso: string) => () => new Date(iso);
export const reviewer = { user: 'Dana Reviewer', now: clock('2026-11-03T10:00:00Z') };
/** Who pulls and allocates: someone other than the reviewer (the preparer may not approve their own work). */
export const preparer = { user: 'Pat Preparer', now: clock('2026-11-02T16:00:00Z') };

export const bookTables: RuleTables = {
  Settings: [
    { Setting: 'ClearingAccount', Value: '2990' },
    { Setting: 'UnallocatedAccount', Value: '6190' },
  ],
  CostCenters: [
    { CostCenter: 'CC-A', Name: '=Team A', Owner: 'a@example.com', GLAccount: '6100', Budget: 100 },
    { CostCenter: 'CC-B', Name: 'Team B, EMEA', Owner: 'b@example.com', GLAccount: '6200', Budget: 100 },
    { CostCenter: 'CC-C', Name: 'Team C', Owner: 'c@example.com', GLAccount: '6300', Budget: 100 },
  ],
  Mappings: threeTeams.Mappings,
  SharedPools: [{ Pool: 'Network', Dimension: 'ServiceCategory', Pattern: 'Networking', Method: 'Even', Targets: '*' }],
};

export const octoberLines = (): CostLine[] => [
  line({ SubAccountName: 'team-a', ServiceCategory: 'Compute' }, '150.00'),
  line({ SubAccountName: 'team-b', ServiceCategory: 'Compute' }, '50.00'),
  line({ SubAccountName: 'hub', ServiceCategory: 'Networking' }, '90.00'),
  line({ SubAccountName: 'stray', ServiceCategory: 'Compute' }, '10.00'),
];

/**
 * October as restated a week later: the networking hub's usage was revised from 90.00 to 99.00
 * (the Network pool moved) and a 12.00 credit for team-a landed late.
 */
export const restatedOctoberLines = (): CostLine[] => [
  line({ SubAccountName: 'team-a', ServiceCategory: 'Compute' }, '150.00'),
  line({ SubAccountName: 'team-a', ServiceCategory: 'Credits' }, '-12.00', { chargeCategory: 'Credit' }),
  line({ SubAccountName: 'team-b', ServiceCategory: 'Compute' }, '50.00'),
  line({ SubAccountName: 'hub', ServiceCategory: 'Networking' }, '99.00'),
  line({ SubAccountName: 'stray', ServiceCategory: 'Compute' }, '10.00'),
];

export const pulled = (lines: CostLine[]) => ({ lines, rowsRead: lines.length, files: [{ name: 'october.csv', rows: lines.length }], dimensions: ['SubAccountName', 'ServiceCategory'] });

/** An allocated (not yet approved) chargeback for 2026-10: 300.00 USD, 10.00 of it unallocated. */
export async function allocatedBook(tables: RuleTables = bookTables, lines: CostLine[] = octoberLines()): Promise<ExcelJsGateway> {
  const gateway = new ExcelJsGateway();
  await writeRuleTables(gateway, tables);
  await pullCosts(gateway, pulled(lines), preparer);
  await allocateWorkbook(gateway, preparer);
  return gateway;
}

/** The same chargeback, approved by Dana Reviewer, saved and reloaded as the command line does. */
export async function approvedBook(tables: RuleTables = bookTables, lines?: CostLine[]): Promise<ExcelJsGateway> {
  const gateway = await allocatedBook(tables, lines);
  await approveWorkbook(gateway, reviewer);
  return ExcelJsGateway.fromBytes(await gateway.toBytes());
}

/**
 * The book reopened with a reason, pulled and allocated again from `lines` (the restated month) and
 * approved again: ready to publish a restatement. Saved and reloaded as the command line does.
 */
export async function restatedBook(book: ExcelJsGateway, lines: CostLine[] = restatedOctoberLines(), tables?: RuleTables): Promise<ExcelJsGateway> {
  await reopenWorkbook(book, { user: 'Dana Reviewer', now: clock('2026-11-10T09:00:00Z') }, 'Azure revised the hub usage and a credit landed');
  if (tables) await writeRuleTables(book, tables);
  await pullCosts(book, pulled(lines), { ...preparer, now: clock('2026-11-10T09:30:00Z') });
  await allocateWorkbook(book, { ...preparer, now: clock('2026-11-10T09:31:00Z') });
  await approveWorkbook(book, { user: 'Dana Reviewer', now: clock('2026-11-10T11:00:00Z') });
  return ExcelJsGateway.fromBytes(await book.toBytes());
}
