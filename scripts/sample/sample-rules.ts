/**
 * The sample's allocation rules, written once here and saved both as an Excel workbook (one sheet
 * and one Excel table per rule table) and as JSON (the same tables, camelCase keys).
 */
import ExcelJS from 'exceljs';
import { RULE_COLUMNS, RULE_TABLES, RuleTableName } from '../../src/core/rules';

type Cell = string | number;
type Row = Record<string, Cell>;

export const SAMPLE_RULES: Record<RuleTableName, Row[]> = {
  Settings: [
    { Setting: 'Metric', Value: 'EffectiveCost' },
    { Setting: 'Unallocated', Value: 'UNALLOCATED' },
    { Setting: 'UnusedCommitments', Value: 'Proportional' },
    { Setting: 'ClearingAccount', Value: '2990-CLEARING' },
    { Setting: 'UnallocatedAccount', Value: '6190-UNALLOCATED' },
    { Setting: 'UnallocatedThreshold', Value: 5 },
    { Setting: 'VarianceThreshold', Value: 10 },
    { Setting: 'BudgetScope', Value: '/subscriptions/5b7e1c2a-0d4f-4f7e-9a51-2f1d3c4b5a61' },
    // Contoso Europe GmbH is billed in euros; the group charges back in dollars.
    { Setting: 'ReportingCurrency', Value: 'USD' },
  ],
  CostCenters: [
    { CostCenter: 'CC-PAY', Name: 'Payments', Owner: 'maria.garcia@contoso.com', GLAccount: '6100-10', Budget: 3800 },
    { CostCenter: 'CC-SRCH', Name: 'Search', Owner: 'kenji.tanaka@contoso.com', GLAccount: '6100-20', Budget: 4200 },
    { CostCenter: 'CC-DATA', Name: 'Data Platform', Owner: 'priya.raman@contoso.com', GLAccount: '6100-30', Budget: 7000 },
    { CostCenter: 'CC-MOB', Name: 'Mobile Apps', Owner: 'lucas.martin@contoso.com', GLAccount: '6100-40', Budget: 3400 },
    { CostCenter: 'CC-ML', Name: 'Machine Learning', Owner: 'amara.okafor@contoso.com', GLAccount: '6100-50', Budget: 1700 },
    { CostCenter: 'CC-PLAT', Name: 'Platform Engineering', Owner: 'sam.lee@contoso.com', GLAccount: '6100-60', Budget: 2100 },
  ],
  Mappings: [
    { Dimension: 'Tag:costcenter', Pattern: '*', CostCenter: '{value}' },
    { Dimension: 'x_ResourceGroupName', Pattern: 'rg-ml-*', CostCenter: 'CC-ML' },
    { Dimension: 'SubAccountName', Pattern: 'team-payments-*', CostCenter: 'CC-PAY' },
    { Dimension: 'SubAccountName', Pattern: 'team-search-*', CostCenter: 'CC-SRCH' },
    { Dimension: 'SubAccountName', Pattern: 'team-data-*', CostCenter: 'CC-DATA' },
    { Dimension: 'SubAccountName', Pattern: 'team-mobile-*', CostCenter: 'CC-MOB' },
    { Dimension: 'SubAccountName', Pattern: 'team-ml-*', CostCenter: 'CC-ML' },
    { Dimension: 'SubAccountName', Pattern: 'org-management', CostCenter: 'CC-PLAT' },
  ],
  SharedPools: [
    { Pool: 'Network', Dimension: 'SubAccountName', Pattern: 'hub-network', Method: 'Proportional', Driver: '', Targets: '*' },
    { Pool: 'Support', Dimension: 'ServiceName', Pattern: '*Support*', Method: 'Even', Driver: '', Targets: '*' },
    { Pool: 'Security', Dimension: 'ServiceCategory', Pattern: 'Security', Method: 'Fixed', Driver: '', Targets: '*' },
    { Pool: 'Security', Dimension: 'SubAccountName', Pattern: 'security-tooling', Method: 'Fixed', Driver: '', Targets: '*' },
    { Pool: 'Platform', Dimension: 'SubAccountName', Pattern: 'platform-shared', Method: 'Driver', Driver: 'vCPU-hours', Targets: 'CC-PAY, CC-SRCH, CC-DATA, CC-MOB, CC-ML' },
  ],
  FixedSplits: [
    { Pool: 'Security', CostCenter: 'CC-PAY', Percent: 30 },
    { Pool: 'Security', CostCenter: 'CC-DATA', Percent: 25 },
    { Pool: 'Security', CostCenter: 'CC-SRCH', Percent: 15 },
    { Pool: 'Security', CostCenter: 'CC-MOB', Percent: 15 },
    { Pool: 'Security', CostCenter: 'CC-ML', Percent: 10 },
    { Pool: 'Security', CostCenter: 'CC-PLAT', Percent: 5 },
  ],
  // AKS vCPU-hours requested by each team's namespaces on the shared cluster in a month.
  Drivers: [
    { Driver: 'vCPU-hours', CostCenter: 'CC-PAY', Quantity: 5952 },
    { Driver: 'vCPU-hours', CostCenter: 'CC-SRCH', Quantity: 4464 },
    { Driver: 'vCPU-hours', CostCenter: 'CC-DATA', Quantity: 8928 },
    { Driver: 'vCPU-hours', CostCenter: 'CC-MOB', Quantity: 2976 },
    { Driver: 'vCPU-hours', CostCenter: 'CC-ML', Quantity: 1488 },
  ],
  // Pushed to Azure Cost Management budgets by `chargeback budgets apply` (the Azure-hosted teams only).
  Budgets: [
    {
      CostCenter: 'CC-PAY',
      Period: '2026-11..2027-10',
      Amount: 3900,
      Kind: 'Budget',
      Scope: '',
      Filter: 'SubAccountName = team-payments-prod',
      Thresholds: 'Actual 80%, Actual 100%, Forecasted 110%',
      Contacts: 'maria.garcia@contoso.com, finops@contoso.com',
    },
    { CostCenter: 'CC-ML', Period: '2026-12', Amount: 1800, Kind: 'Forecast', Scope: '/subscriptions/5b7e1c2a-0d4f-4f7e-9a51-2f1d3c4b5a61/resourceGroups/rg-ml-experiments', Filter: 'none', Thresholds: 'Actual 100%', Contacts: '' },
    { CostCenter: 'CC-ML', Period: '2027-01', Amount: 2100, Kind: 'Forecast', Scope: '/subscriptions/5b7e1c2a-0d4f-4f7e-9a51-2f1d3c4b5a61/resourceGroups/rg-ml-experiments', Filter: 'none', Thresholds: 'Actual 100%', Contacts: '' },
  ],
  // Treasury's month-end rates (text, so every digit is kept as typed).
  Rates: [
    { Period: '2026-09', FromCurrency: 'EUR', ToCurrency: 'USD', Rate: '1.1163', Source: 'Treasury month-end' },
    { Period: '2026-10', FromCurrency: 'EUR', ToCurrency: 'USD', Rate: '1.0825', Source: 'Treasury month-end' },
  ],
};

const camel = (column: string) => (column === 'GLAccount' ? 'glAccount' : column.charAt(0).toLowerCase() + column.slice(1));

/** The rules in the JSON form of the design: settings as an object, every other table a list. */
export function rulesJson(): string {
  const json: Record<string, unknown> = {
    settings: Object.fromEntries(SAMPLE_RULES.Settings.map((row) => [camel(String(row.Setting)), row.Value])),
  };
  for (const table of RULE_TABLES.filter((t) => t !== 'Settings')) {
    json[camel(table)] = SAMPLE_RULES[table].map((row) => Object.fromEntries(RULE_COLUMNS[table].map((column) => [camel(column), row[column] ?? ''])));
  }
  return JSON.stringify(json, null, 2) + '\n';
}

/** A fixed creation date keeps the workbook's properties the same from run to run. */
const WORKBOOK_DATE = new Date('2026-11-01T00:00:00Z');

export async function rulesWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Chargeback for Excel sample';
  workbook.lastModifiedBy = 'Chargeback for Excel sample';
  workbook.created = WORKBOOK_DATE;
  workbook.modified = WORKBOOK_DATE;
  for (const table of RULE_TABLES) {
    const columns = RULE_COLUMNS[table];
    const rows = SAMPLE_RULES[table];
    const sheet = workbook.addWorksheet(table, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.addTable({
      name: table,
      ref: 'A1',
      headerRow: true,
      style: { theme: 'TableStyleMedium2', showRowStripes: true },
      columns: columns.map((name) => ({ name, filterButton: true })),
      rows: rows.map((row) => columns.map((column) => row[column] ?? '')),
    });
    columns.forEach((column, i) => {
      const width = Math.max(column.length, ...rows.map((row) => String(row[column] ?? '').length));
      sheet.getColumn(i + 1).width = Math.min(60, width + 4);
      if (column === 'Budget' || column === 'Amount') sheet.getColumn(i + 1).numFmt = '#,##0.00';
    });
  }
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  return stampZipEntries(buffer, WORKBOOK_DATE);
}

/**
 * ExcelJS stamps every zip entry with the time of writing; setting them to one fixed time makes
 * the workbook byte-identical from run to run, so regenerating does not churn the repository.
 */
export function stampZipEntries(zip: Buffer, date: Date): Buffer {
  const out = Buffer.from(zip);
  const dosTime = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1);
  const dosDate = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  let end = out.length - 22;
  while (end >= 0 && out.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip file: no end of central directory');
  const entries = out.readUInt16LE(end + 10);
  let at = out.readUInt32LE(end + 16);
  for (let n = 0; n < entries; n++) {
    if (out.readUInt32LE(at) !== 0x02014b50) throw new Error(`zip central directory entry ${n} is malformed`);
    const local = out.readUInt32LE(at + 42);
    out.writeUInt16LE(dosTime, at + 12);
    out.writeUInt16LE(dosDate, at + 14);
    out.writeUInt16LE(dosTime, local + 10);
    out.writeUInt16LE(dosDate, local + 12);
    at += 46 + out.readUInt16LE(at + 28) + out.readUInt16LE(at + 30) + out.readUInt16LE(at + 32);
  }
  return out;
}
