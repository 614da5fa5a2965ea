/**
 * Approved chargeback books for several months, with a cost center hierarchy and pools of three
 * methods: the showback, facts and Power BI tests publish them to one share.
 */
import type { CostLine } from '../../src/core/costs';
import { RuleTables } from '../../src/core/rules';
import { approveWorkbook } from '../../src/workbook/approval';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { allocateWorkbook, pullCosts, writeRuleTables } from '../../src/workbook/steps';
import { line } from '../core/helpers';
import { clock } from './approved-book';

export const reportingRules: RuleTables = {
  Settings: [
    { Setting: 'ClearingAccount', Value: '2990' },
    { Setting: 'UnallocatedAccount', Value: '6190' },
  ],
  CostCenters: [
    { CostCenter: 'DEPT-ENG', Name: 'Engineering', Owner: 'eng-head@example.com', GLAccount: '6000', Budget: null, Parent: '' },
    { CostCenter: 'ENG-PAY', Name: 'Payments', Owner: 'pay-lead@example.com', GLAccount: '6100', Budget: 400, Parent: 'DEPT-ENG' },
    { CostCenter: 'ENG-WEB', Name: 'Storefront', Owner: 'web-lead@example.com', GLAccount: '6200', Budget: 250, Parent: 'DEPT-ENG' },
    { CostCenter: 'OPS-SEC', Name: 'Security operations', Owner: 'sec-lead@example.com', GLAccount: '6300', Budget: 120, Parent: '' },
  ],
  Mappings: [
    { Dimension: 'SubAccountName', Pattern: 'pay*', CostCenter: 'ENG-PAY' },
    { Dimension: 'SubAccountName', Pattern: 'web*', CostCenter: 'ENG-WEB' },
    { Dimension: 'SubAccountName', Pattern: 'secops*', CostCenter: 'OPS-SEC' },
  ],
  SharedPools: [
    { Pool: 'Network', Dimension: 'ServiceCategory', Pattern: 'Networking', Method: 'Proportional', Driver: '', Targets: 'ENG-PAY, ENG-WEB, OPS-SEC' },
    { Pool: 'Support', Dimension: 'SubAccountName', Pattern: 'support*', Method: 'Fixed', Driver: '', Targets: '' },
  ],
  FixedSplits: [
    { Pool: 'Support', CostCenter: 'ENG-PAY', Percent: 50 },
    { Pool: 'Support', CostCenter: 'ENG-WEB', Percent: 30 },
    { Pool: 'Support', CostCenter: 'OPS-SEC', Percent: 20 },
  ],
};

const cost = (provider: string, subAccount: string, category: string, service: string) => ({ ProviderName: provider, SubAccountName: subAccount, ServiceCategory: category, ServiceName: service });

/** Each month's cost lines: every amount distinct, so a test can tell whose figure a number is. */
export const MONTHS: Record<string, [ReturnType<typeof cost>, string][]> = {
  '2026-09': [
    [cost('Microsoft', 'pay-prod', 'Compute', 'Virtual Machines'), '211.37'],
    [cost('Microsoft', 'pay-prod', 'Storage', 'Storage Accounts'), '13.05'],
    [cost('AWS', 'web-shop', 'Compute', 'Amazon EC2'), '97.42'],
    [cost('Microsoft', 'secops-tools', 'Security', 'Microsoft Defender for Cloud'), '58.19'],
    [cost('Microsoft', 'hub', 'Networking', 'Azure Firewall'), '64.81'],
    [cost('Microsoft', 'support-plan', 'Support', 'Support'), '33.03'],
    [cost('AWS', 'stray', 'Compute', 'Amazon EC2'), '7.77'],
  ],
  '2026-10': [
    [cost('Microsoft', 'pay-prod', 'Compute', 'Virtual Machines'), '1234.61'],
    [cost('Microsoft', 'pay-dr', 'Compute', 'Virtual Machines'), '88.09'],
    [cost('AWS', 'web-shop', 'Compute', 'Amazon EC2'), '402.18'],
    [cost('AWS', 'web-shop', 'Networking', 'Amazon CloudFront'), '51.29'],
    [cost('Microsoft', 'secops-tools', 'Security', 'Microsoft Sentinel'), '171.43'],
    [cost('Microsoft', 'hub', 'Networking', 'Azure Firewall'), '310.07'],
    [cost('Microsoft', 'support-plan', 'Support', 'Support'), '99.01'],
    [cost('AWS', 'stray', 'Storage', 'Amazon S3'), '4.13'],
  ],
};

export const preparerAt = (period: string) => ({ user: 'Pat Preparer', now: clock(`${nextMonth(period)}-02T16:00:00Z`) });
export const reviewerAt = (period: string) => ({ user: 'Dana Reviewer', now: clock(`${nextMonth(period)}-03T10:00:00Z`) });
export const publisherAt = (period: string) => ({ user: 'Sam Controller', now: clock(`${nextMonth(period)}-04T09:00:00Z`) });

function nextMonth(period: string): string {
  const [year, month] = period.split('-').map(Number);
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}

/** The month's chargeback, allocated and approved, saved and reloaded as the command line does. */
export async function approvedMonth(period: string, tables: RuleTables = reportingRules, extra: CostLine[] = []): Promise<ExcelJsGateway> {
  const gateway = new ExcelJsGateway();
  await writeRuleTables(gateway, tables);
  const lines = [...MONTHS[period].map(([dimensions, amount]) => line(dimensions, amount, { billingPeriod: period })), ...extra];
  await pullCosts(gateway, { lines, rowsRead: lines.length, files: [{ name: `${period}.csv`, rows: lines.length }], dimensions: ['ProviderName', 'SubAccountName', 'ServiceCategory', 'ServiceName'] }, preparerAt(period));
  await allocateWorkbook(gateway, preparerAt(period));
  await approveWorkbook(gateway, reviewerAt(period));
  return ExcelJsGateway.fromBytes(await gateway.toBytes());
}
