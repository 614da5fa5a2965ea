import { RuleTables } from '../../src/core/rules';
import { approveWorkbook } from '../../src/workbook/approval';
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

/** An allocated (not yet approved) chargeback for 2026-10: 300.00 USD, 10.00 of it unallocated. */
export async function allocatedBook(tables: RuleTables = bookTables): Promise<ExcelJsGateway> {
  const gateway = new ExcelJsGateway();
  await writeRuleTables(gateway, tables);
  const lines = [
    line({ SubAccountName: 'team-a', ServiceCategory: 'Compute' }, '150.00'),
    line({ SubAccountName: 'team-b', ServiceCategory: 'Compute' }, '50.00'),
    line({ SubAccountName: 'hub', ServiceCategory: 'Networking' }, '90.00'),
    line({ SubAccountName: 'stray', ServiceCategory: 'Compute' }, '10.00'),
  ];
  await pullCosts(gateway, { lines, rowsRead: 4, files: [{ name: 'october.csv', rows: 4 }], dimensions: ['SubAccountName', 'ServiceCategory'] }, preparer);
  await allocateWorkbook(gateway, preparer);
  return gateway;
}

/** The same chargeback, approved by Dana Reviewer, saved and reloaded as the command line does. */
export async function approvedBook(tables: RuleTables = bookTables): Promise<ExcelJsGateway> {
  const gateway = await allocatedBook(tables);
  await approveWorkbook(gateway, reviewer);
  return ExcelJsGateway.fromBytes(await gateway.toBytes());
}
