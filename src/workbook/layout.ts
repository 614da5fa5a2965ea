/**
 * The chargeback workbook's layout: which sheets and tables it holds, their columns and formats,
 * and how engine results become table rows (and cost lines come back from the Costs table).
 */
import { AllocationResult, poolNote } from '../core/allocate';
import { AUDIT_COLUMNS, AuditEntry } from '../core/audit';
import { COST_AMOUNT_COLUMNS, COST_KEY_COLUMNS, CostLine } from '../core/costs';
import { DIMENSION_COLUMNS, cellText } from '../core/focus';
import { ExactAmount, exactToNumber, formatExact, MinorUnits, minorToNumber, parseExact, toExact } from '../core/money';
import { POOL_METHODS, RULE_COLUMNS, RULE_TABLES, RuleProblem, RuleTableName, RuleTables, SETTING_NAMES } from '../core/rules';
import { BUDGET_KINDS } from '../budgets/budget';
import { CONVERSION_COLUMNS, conversionRows } from './conversion-layout';
import { CellValue, ColumnKind, ColumnSpec, TableData, TableSpec } from './gateway';

export const AUDIT_TABLE = 'Audit';

/** The order sheets appear in: the statement first, the rules and the log last. */
export const SHEET_ORDER = ['Chargeback', 'Review', 'Reconciliation', 'Method', 'Allocation', 'Costs', ...RULE_TABLES, 'ApprovalHistory', 'Audit'] as const;

const RULE_KINDS: Partial<Record<string, ColumnKind>> = { Budget: 'money', Amount: 'money', Percent: 'percent', Quantity: 'exact' };

export function ruleColumns(table: RuleTableName): ColumnSpec[] {
  return RULE_COLUMNS[table].map((header) => ({
    header,
    kind: RULE_KINDS[header] ?? 'text',
    width: header === 'Targets' || header === 'Name' || header === 'Owner' || header === 'Filter' || header === 'Thresholds' || header === 'Contacts' ? 28 : header === 'Value' ? 24 : 18,
    choices:
      header === 'Method' ? POOL_METHODS : header === 'Kind' && table === 'Budgets' ? BUDGET_KINDS : header === 'Dimension' ? [...DIMENSION_COLUMNS, 'Tag:costcenter', 'x_ResourceGroupName'] : header === 'Setting' ? SETTING_NAMES : undefined,
  }));
}

/** Rule tables as the workbook holds them. */
export function ruleTableSpecs(tables: RuleTables): TableSpec[] {
  return RULE_TABLES.map((name) => ({
    name,
    columns: ruleColumns(name),
    rows: (tables[name] ?? []).map((record) => RULE_COLUMNS[name].map((header) => toCell(record[header]))),
  }));
}

function toCell(value: unknown): CellValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  return cellText(value);
}

/** A starting point for a new workbook: one example row in each rule table. */
export function ruleTemplate(): RuleTables {
  return {
    // Every setting, with its default (the ReadMe sheet says what each means).
    Settings: [
      { Setting: 'Metric', Value: 'EffectiveCost' },
      { Setting: 'Unallocated', Value: 'UNALLOCATED' },
      { Setting: 'UnusedCommitments', Value: 'Owner' },
      { Setting: 'ClearingAccount', Value: '2990' },
      { Setting: 'UnallocatedAccount', Value: '' },
      { Setting: 'Period', Value: '' },
      { Setting: 'UnallocatedThreshold', Value: '5' },
      { Setting: 'VarianceThreshold', Value: '10' },
      { Setting: 'BudgetScope', Value: '' },
      { Setting: 'AllowSelfApproval', Value: 'No' },
      { Setting: 'ReportingCurrency', Value: '' },
      { Setting: 'ExchangeRates', Value: 'Rates' },
      { Setting: 'JournalCurrency', Value: 'Reporting' },
      { Setting: 'RateChangeThreshold', Value: '5' },
      { Setting: 'RestatementJournal', Value: 'Difference' },
      { Setting: 'RestatementPeriod', Value: 'Restated' },
    ],
    CostCenters: [{ CostCenter: 'CC-100', Name: 'Example team', Owner: 'owner@example.com', GLAccount: '6100', Budget: 10000 }],
    Mappings: [{ Dimension: 'Tag:costcenter', Pattern: 'CC-*', CostCenter: '{value}' }],
    SharedPools: [{ Pool: 'Network', Dimension: 'ServiceCategory', Pattern: 'Networking', Method: 'Proportional', Driver: '', Targets: '*' }],
    FixedSplits: [],
    // No example driver rows: one naming CC-100 would break the run once CC-100 is replaced.
    Drivers: [],
    Budgets: [
      {
        CostCenter: 'CC-100',
        Period: '',
        Amount: 10000,
        Kind: 'Forecast',
        Scope: '/subscriptions/00000000-0000-0000-0000-000000000000',
        Filter: 'Tag:costcenter = CC-100',
        Thresholds: 'Actual 80%, Actual 100%, Forecasted 100%',
        Contacts: 'owner@example.com',
      },
    ],
    // Read only when a period's bill is in another currency than the ReportingCurrency.
    Rates: [{ Period: '2026-10', FromCurrency: 'EUR', ToCurrency: 'USD', Rate: '1.0825', Source: 'Treasury month-end' }],
  };
}

/** Reads the rule tables from a workbook's tables into header-keyed rows. */
export function ruleTablesFrom(tables: Partial<Record<RuleTableName, TableData>>): RuleTables {
  const result: RuleTables = {};
  for (const name of RULE_TABLES) {
    const table = tables[name];
    if (!table) continue;
    result[name] = table.rows.map((row) => Object.fromEntries(table.headers.map((h, i) => [h.trim(), row[i] ?? null])));
  }
  return result;
}

/** The Excel number format of a column (both hosts use it). */
export function numberFormat(column: ColumnSpec, minorDigits: number): string | undefined {
  const decimals = minorDigits > 0 ? '.' + '0'.repeat(minorDigits) : '';
  switch (column.kind) {
    case 'money':
      return `#,##0${decimals};[Red]-#,##0${decimals}`;
    case 'exact':
      return `#,##0${decimals || '.'}########;[Red]-#,##0${decimals || '.'}########`;
    case 'integer':
      return '#,##0';
    case 'percent':
      return '0.00##';
    default:
      // Text ("@"): Excel stores what is written as text, as typed, instead of parsing "0100" as 100,
      // "2026-10" as a date or "=x" as a formula. Set before the values, in the same request.
      return TEXT_FORMAT;
  }
}

/** Excel's Text number format. */
export const TEXT_FORMAT = '@';

// ---- Costs -------------------------------------------------------------------------------

/**
 * The Costs table's amounts: Excel holds numbers as doubles (15 significant digits), so each amount
 * is also kept exactly, as text, in the column beside it. Allocation reads the exact column; the
 * number is there to sum, filter and chart.
 */
export const EXACT_COLUMN_OF: Record<'BilledCost' | 'EffectiveCost', string> = { BilledCost: 'BilledCostExact', EffectiveCost: 'EffectiveCostExact' };
const EXACT_COLUMNS: readonly string[] = Object.values(EXACT_COLUMN_OF);

export function costsTable(lines: readonly CostLine[], dimensions: readonly string[]): TableSpec {
  return {
    name: 'Costs',
    columns: [
      ...COST_KEY_COLUMNS.map((header) => ({ header, width: 16 })),
      ...dimensions.map((header) => ({ header, width: 24 })),
      { header: 'BilledCost', kind: 'exact' as const, width: 16 },
      { header: 'EffectiveCost', kind: 'exact' as const, width: 16 },
      { header: 'SourceRows', kind: 'integer' as const, width: 12 },
      { header: EXACT_COLUMN_OF.BilledCost, width: 22 },
      { header: EXACT_COLUMN_OF.EffectiveCost, width: 22 },
    ],
    rows: lines.map((line) => [
      line.billingPeriod,
      line.currency,
      line.chargeCategory,
      line.commitmentDiscountStatus,
      ...dimensions.map((d) => line.dimensions[d] ?? ''),
      exactToNumber(line.billedCost),
      exactToNumber(line.effectiveCost),
      line.sourceRows,
      formatExact(line.billedCost),
      formatExact(line.effectiveCost),
    ]),
  };
}

export class CostsTableError extends Error {}

/** Two readings of one amount agree when they are the same double to Excel's 15 significant digits. */
const sameAsExcelNumber = (exact: ExactAmount, number: number) => Number(exactToNumber(exact).toPrecision(15)) === Number(number.toPrecision(15));

/** Cost lines back from the Costs table (as pulled, or as a user edited it). */
export function costLinesFrom(table: TableData): { lines: CostLine[]; dimensions: string[] } {
  const headers = table.headers.map((h) => h.trim());
  const fixed = [...COST_KEY_COLUMNS, ...COST_AMOUNT_COLUMNS] as readonly string[];
  const missing = fixed.filter((c) => !headers.includes(c));
  if (missing.length > 0) throw new CostsTableError(`the Costs table lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: pull the cost data again`);
  const dimensions = headers.filter((h) => !fixed.includes(h) && !EXACT_COLUMNS.includes(h) && !(CONVERSION_COLUMNS as readonly string[]).includes(h));
  const at = (name: string) => headers.indexOf(name);
  const lines = table.rows.map((row, index) => {
    const amount = (column: 'BilledCost' | 'EffectiveCost') => {
      const cell = row[at(column)] ?? 0;
      const value = toExact(cell);
      if (value === undefined) throw new CostsTableError(`Costs row ${index + 2}, ${column}: ${JSON.stringify(cell)} is not a number`);
      const exactAt = at(EXACT_COLUMN_OF[column]);
      if (exactAt < 0) return value;
      const text = cellText(row[exactAt]);
      const exact = parseExact(text);
      if (exact === undefined) throw new CostsTableError(`Costs row ${index + 2}, ${EXACT_COLUMN_OF[column]}: ${JSON.stringify(text)} is not an amount`);
      // An edit to one of the pair and not the other: say which, rather than guess.
      if (typeof cell === 'number' && !sameAsExcelNumber(exact, cell)) {
        throw new CostsTableError(`Costs row ${index + 2}: ${column} is ${cell} but ${EXACT_COLUMN_OF[column]} is ${text}; edit both, or pull the cost data again`);
      }
      return exact;
    };
    return {
      billingPeriod: cellText(row[at('BillingPeriod')]),
      currency: cellText(row[at('BillingCurrency')]),
      chargeCategory: cellText(row[at('ChargeCategory')]),
      commitmentDiscountStatus: cellText(row[at('CommitmentDiscountStatus')]),
      dimensions: Object.fromEntries(dimensions.map((d) => [d, cellText(row[at(d)])])),
      billedCost: amount('BilledCost'),
      effectiveCost: amount('EffectiveCost'),
      sourceRows: Number(row[at('SourceRows')] ?? 1) || 0,
    };
  });
  return { lines, dimensions };
}

// ---- What the workbook itself breaks -------------------------------------------------------

/** Rule columns that hold codes: text a number would lose zeros from ("0100" typed into a General cell becomes 100). */
const CODE_COLUMNS: Partial<Record<RuleTableName, readonly string[]>> = {
  CostCenters: ['CostCenter', 'GLAccount'],
  Mappings: ['Pattern', 'CostCenter'],
  SharedPools: ['Pool', 'Pattern', 'Targets'],
  FixedSplits: ['Pool', 'CostCenter'],
  Drivers: ['Driver', 'CostCenter'],
  Budgets: ['CostCenter', 'Period'],
};

/**
 * Problems with how the rule tables sit in the workbook: a number in a code column (Excel dropped
 * its leading zeros, or will), and rows typed below a table's range, which Excel does not count as
 * the table's.
 */
export function codeColumnProblems(tables: Partial<Record<RuleTableName, TableData>>): RuleProblem[] {
  const problems: RuleProblem[] = [];
  for (const name of RULE_TABLES) {
    const table = tables[name];
    if (!table) continue;
    if (table.rowsBelow) {
      const { first, last } = table.rowsBelow;
      problems.push({ table: name, row: first, message: `${first === last ? `row ${first} of ${name} lies` : `rows ${first}–${last} of ${name} lie`} below the table, so ${first === last ? 'it is' : 'they are'} not part of it: extend the table over them (Table Design → Resize Table), or delete them` });
    }
    for (const column of CODE_COLUMNS[name] ?? []) {
      const at = table.headers.findIndex((h) => h.trim().toLowerCase() === column.toLowerCase());
      if (at < 0) continue;
      table.rows.forEach((row, index) => {
        const cell = row[at];
        if (typeof cell !== 'number') return;
        problems.push({ table: name, row: index + 2, column, message: `${cell} is a number in a code column, so Excel drops leading zeros ("0100" becomes 100): format the ${column} column as Text and type the code again` });
      });
    }
  }
  return problems;
}

/** Statement columns besides the pools'; a pool may not take one of these names. */
const STATEMENT_COLUMNS = ['CostCenter', 'Name', 'Owner', 'GLAccount', 'Direct', 'Shared', 'Total', 'Budget', 'Variance'];

/**
 * Pool names head the statement's columns, and Excel's structured references (the totals row,
 * `Chargeback[Network]` in a user's formula) treat `[`, `]`, `#` and `'` as special, and column
 * names as equal when they differ only in case: refuse such names rather than break the statement.
 */
export function statementHeaderProblems(tables: RuleTables): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const seen = new Map<string, number>();
  (tables.SharedPools ?? []).forEach((record, index) => {
    const row = index + 2;
    const pool = cellText(record.Pool).trim();
    if (pool === '') return;
    const key = pool.toLowerCase();
    if (STATEMENT_COLUMNS.some((c) => c.toLowerCase() === key)) {
      problems.push({ table: 'SharedPools', row, column: 'Pool', message: `"${pool}" is also a column of the statement (${STATEMENT_COLUMNS.join(', ')}): give the pool another name` });
    } else if (/[[\]#']/.test(pool)) {
      problems.push({ table: 'SharedPools', row, column: 'Pool', message: `"${pool}" contains [, ], # or ', which Excel's table formulas treat as special: give the pool a name without them` });
    } else if (pool.length > 255) {
      problems.push({ table: 'SharedPools', row, column: 'Pool', message: `the pool name is ${pool.length} characters; Excel's column names hold 255 at most` });
    }
    const first = seen.get(key);
    // The same pool on several rows (its patterns) is one column; only names differing in case alone clash.
    const firstName = first === undefined ? undefined : cellText(tables.SharedPools![first - 2].Pool).trim();
    if (first !== undefined && firstName !== pool) {
      problems.push({ table: 'SharedPools', row, column: 'Pool', message: `"${pool}" differs from "${firstName}" (row ${first}) only in upper and lower case; Excel's columns would clash: spell them the same` });
    }
    if (first === undefined) seen.set(key, row);
  });
  return problems;
}

// ---- Results -----------------------------------------------------------------------------

export function chargebackTable(result: AllocationResult): TableSpec {
  const money = (header: string, width = 16): ColumnSpec => ({ header, kind: 'money', width });
  const m = (v: MinorUnits | undefined) => (v === undefined ? null : minorToNumber(v, result.minorDigits));
  return {
    name: 'Chargeback',
    totals: true,
    minorDigits: result.minorDigits,
    columns: [
      { header: 'CostCenter', width: 16 },
      { header: 'Name', width: 26 },
      { header: 'Owner', width: 26 },
      { header: 'GLAccount', width: 14 },
      money('Direct'),
      ...result.pools.map((p) => money(p.pool)),
      money('Shared'),
      money('Total'),
      money('Budget'),
      money('Variance'),
    ],
    rows: result.costCenters.map((c) => [c.costCenter, c.name, c.owner, c.glAccount, m(c.direct), ...c.shares.map(m), m(c.shared), m(c.total), m(c.budget), m(c.variance)]),
  };
}

export function allocationTable(result: AllocationResult, dimensions: readonly string[]): TableSpec {
  const conversion = result.conversion;
  // With a conversion, each line's billed currency and amount and the rate that converted it stand beside the converted amount.
  const converted = (entry: AllocationResult['entries'][number]): CellValue[] => {
    if (!conversion) return [];
    const original = entry.lineIndex === undefined ? undefined : conversion.originals[entry.lineIndex];
    if (!original) return [conversion.reportingCurrency, null, 'pool share, in the reporting currency'];
    const amount = result.metric === 'BilledCost' ? original.billedCost : original.effectiveCost;
    return [original.currency, exactToNumber(amount), original.rate.label];
  };
  return {
    name: 'Allocation',
    minorDigits: result.minorDigits,
    columns: [
      { header: 'Kind', width: 12 },
      { header: 'CostCenter', width: 16 },
      { header: 'Pool', width: 18 },
      { header: 'ChargeCategory', width: 14 },
      { header: 'CommitmentDiscountStatus', width: 14 },
      ...dimensions.map((header) => ({ header, width: 22 })),
      ...(conversion ? [{ header: 'BillingCurrency', width: 12 }, { header: 'BillingAmount', kind: 'exact' as const, width: 16 }, { header: 'ExchangeRate', width: 48 }] : []),
      { header: 'Amount', kind: 'exact', width: 16 },
      { header: 'Rule', width: 48 },
    ],
    rows: result.entries.map((entry) => {
      const line = entry.lineIndex === undefined ? undefined : result.lines[entry.lineIndex];
      return [
        entry.kind,
        entry.costCenter,
        entry.pool,
        line?.chargeCategory ?? '',
        line?.commitmentDiscountStatus ?? '',
        ...dimensions.map((d) => line?.dimensions[d] ?? ''),
        ...converted(entry),
        exactToNumber(entry.amountExact),
        entry.rule,
      ];
    }),
  };
}

export function reconciliationTable(result: AllocationResult): TableSpec {
  const m = (v: MinorUnits) => minorToNumber(v, result.minorDigits);
  const exact = (v: ExactAmount) => exactToNumber(v);
  const rows: CellValue[][] = [
    ['Billing period', null, null, result.period],
    ['Currency', null, null, result.currency],
    ['Metric', null, null, result.metric === 'EffectiveCost' ? 'EffectiveCost (amortized, for accrual)' : 'BilledCost (as invoiced)'],
    ['Source billed cost (exact)', exact(result.billedTotalExact), null, formatExact(result.billedTotalExact)],
    ['Source effective cost (exact)', exact(result.effectiveTotalExact), null, formatExact(result.effectiveTotalExact)],
    ['Effective − billed', exact(result.effectiveTotalExact - result.billedTotalExact), null, 'amortized commitment purchases and unused commitments'],
    ['Source total (rounded)', m(result.sourceTotal), null, `${result.metric} rounded to ${result.minorDigits} decimals`],
    ['Allocated total', m(result.allocatedTotal), null, 'sum of the Chargeback totals'],
    ['Difference', m(result.allocatedTotal - result.sourceTotal), null, result.allocatedTotal === result.sourceTotal ? 'reconciled' : 'NOT RECONCILED'],
    ['Unallocated', m(result.unallocated), null, 'cost no rule matched, charged to the unallocated line'],
    ...conversionRows(result),
    ...result.pools.map((p): CellValue[] => [`Pool ${p.pool} (${p.method})`, m(p.amount), null, poolNote(p, result.minorDigits)]),
    ['Rows read', null, result.rowsRead, 'FOCUS rows in the source files'],
    ['Rows used', null, result.rowsUsed, `rows of ${result.period}`],
    ...result.skipped.map((s): CellValue[] => ['Rows skipped', null, s.rows, s.reason]),
  ];
  return {
    name: 'Reconciliation',
    minorDigits: result.minorDigits,
    columns: [
      { header: 'Check', width: 32 },
      { header: 'Amount', kind: 'money', width: 18 },
      { header: 'Rows', kind: 'integer', width: 12 },
      { header: 'Note', width: 60 },
    ],
    rows,
  };
}

// ---- Audit -------------------------------------------------------------------------------

export const auditColumns: ColumnSpec[] = AUDIT_COLUMNS.map((header) => ({
  header,
  width: header === 'Details' ? 60 : header.endsWith('Digest') ? 20 : header === 'Time' ? 22 : 14,
}));

export function auditRow(entry: AuditEntry): CellValue[] {
  return [entry.time, entry.action, entry.by, entry.period, entry.details, entry.contentDigest, entry.previousEntryDigest, entry.entryDigest];
}

export function auditEntriesFrom(table: TableData | undefined): AuditEntry[] {
  if (!table) return [];
  const at = (name: string) => table.headers.indexOf(name);
  return table.rows
    .filter((row) => row.some((cell) => cell !== null && cell !== ''))
    .map((row) => ({
      time: cellText(row[at('Time')]),
      action: cellText(row[at('Action')]),
      by: cellText(row[at('By')]),
      period: cellText(row[at('Period')]),
      details: cellText(row[at('Details')]),
      contentDigest: cellText(row[at('ContentDigest')]),
      previousEntryDigest: cellText(row[at('PreviousEntryDigest')]),
      entryDigest: cellText(row[at('EntryDigest')]),
    }));
}

/**
 * Where a review check points: `Sheet!A17` (a cell) or a bare name (a table, else a sheet).
 * A quoted sheet name (`'Cost data'!B2`) loses its quotes.
 */
export function parseWhere(where: string): { sheet: string; cell?: string } {
  const bang = where.lastIndexOf('!');
  if (bang < 0) return { sheet: where.trim() };
  const sheet = where.slice(0, bang).trim().replace(/^'(.*)'$/, '$1').replace(/''/g, "'");
  return { sheet, cell: where.slice(bang + 1).trim() || undefined };
}
