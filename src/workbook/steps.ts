/**
 * The month-end steps, written once against the workbook gateway: the task pane and the command
 * line both call these. Each step computes everything first and writes in one batch, so a
 * failure leaves the workbook as it was; each successful step appends to the Audit log.
 */
import { allocate, AllocationResult } from '../core/allocate';
import { NewAuditEntry, sealEntry } from '../core/audit';
import { CostLine } from '../core/costs';
import { canonicalRows, sha256Hex } from '../core/digest';
import { DEFAULT_GRAIN_DIMENSIONS } from '../core/focus';
import { IngestResult } from '../core/ingest';
import { formatMinor } from '../core/money';
import { allocationWarnings } from '../core/review';
import { RULE_TABLES, RuleError, RuleProblem, RuleTableName, RuleTables, Rules, ruleDimensions, validateRules } from '../core/rules';
import { TableData, WorkbookGateway } from './gateway';
import { assertNotApproved } from './lock';
import {
  allocationTable,
  auditColumns,
  auditEntriesFrom,
  auditRow,
  chargebackTable,
  costLinesFrom,
  costsTable,
  reconciliationTable,
  ruleTablesFrom,
  ruleTableSpecs,
  ruleTemplate,
} from './layout';

export interface StepContext {
  /** Who is doing this: the signed-in user, or the name given on the command line. */
  user: string;
  /** The clock, injectable for tests. */
  now?: () => Date;
}

/** The context's clock as an ISO time to the second (the Audit log's form). */
export const nowIso = (context: StepContext) => (context.now ? context.now() : new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Appends one sealed entry to the Audit log. */
export async function appendAudit(gateway: WorkbookGateway, entry: Omit<NewAuditEntry, 'time'>, context: StepContext): Promise<void> {
  const existing = auditEntriesFrom(await gateway.readTable('Audit'));
  const sealed = await sealEntry(existing[existing.length - 1], { ...entry, time: nowIso(context) });
  await gateway.appendRows('Audit', auditColumns, [auditRow(sealed)]);
}

// ---- Rules -------------------------------------------------------------------------------

export async function readRuleTables(gateway: WorkbookGateway): Promise<RuleTables> {
  const tables: Partial<Record<RuleTableName, TableData>> = {};
  for (const name of RULE_TABLES) {
    const table = await gateway.readTable(name);
    if (table) tables[name] = table;
  }
  return ruleTablesFrom(tables);
}

/** The workbook's rules, validated: every problem with its table and row. */
export async function checkRules(gateway: WorkbookGateway): Promise<{ rules?: Rules; problems: RuleProblem[]; tables: RuleTables }> {
  const tables = await readRuleTables(gateway);
  const missing = RULE_TABLES.filter((name) => name !== 'FixedSplits' && name !== 'Drivers' && name !== 'Settings' && !tables[name]);
  if (missing.length > 0) {
    return { tables, problems: missing.map((table) => ({ table, row: 0, message: `the workbook has no ${table} table: create the rule tables first` })) };
  }
  return { ...validateRules(tables), tables };
}

/** Creates whichever rule tables the workbook lacks, each with an example row. */
export async function ensureRuleTables(gateway: WorkbookGateway, context: StepContext): Promise<RuleTableName[]> {
  // Adding a missing rule table (with its example row) changes the approved content too.
  await assertNotApproved(gateway, 'create rule tables');
  const present = new Set((await gateway.tableNames()).map((n) => n.toLowerCase()));
  const template = ruleTemplate();
  const specs = ruleTableSpecs(template).filter((spec) => !present.has(spec.name.toLowerCase()));
  if (specs.length === 0) return [];
  await gateway.writeTables(specs);
  await appendAudit(gateway, { action: 'Create rules', by: context.user, period: '', details: `created ${specs.map((s) => s.name).join(', ')}`, contentDigest: '' }, context);
  return specs.map((s) => s.name as RuleTableName);
}

/** Copies rule tables into the workbook (the command line builds its workbook from a rules file). */
export async function writeRuleTables(gateway: WorkbookGateway, tables: RuleTables): Promise<void> {
  // The rule tables are part of the approved content, like Costs.
  await assertNotApproved(gateway, 'replace the rules');
  await gateway.writeTables(ruleTableSpecs(tables));
}

/** The dimensions the Costs table keeps: the usual ones plus every one a rule looks at. */
export function grainDimensions(rules: Pick<Rules, 'mappings' | 'sharedPools'> | undefined): string[] {
  const dimensions: string[] = [...DEFAULT_GRAIN_DIMENSIONS];
  for (const d of rules ? ruleDimensions(rules) : []) if (!dimensions.some((x) => x.toLowerCase() === d.toLowerCase())) dimensions.push(d);
  return dimensions;
}

// ---- Pull --------------------------------------------------------------------------------

/** Writes pulled cost lines into the Costs table and logs the pull. */
export async function pullCosts(gateway: WorkbookGateway, ingest: IngestResult, context: StepContext): Promise<void> {
  await assertNotApproved(gateway, 'pull cost data again');
  const spec = costsTable(ingest.lines, ingest.dimensions);
  await gateway.writeTables([spec]);
  const periods = [...new Set(ingest.lines.map((l) => l.billingPeriod))].sort();
  await appendAudit(
    gateway,
    {
      action: 'Pull',
      by: context.user,
      period: periods.join(', '),
      details: `${ingest.rowsRead} FOCUS rows from ${ingest.files.map((f) => f.name).join(', ')} → ${ingest.lines.length} cost lines`,
      contentDigest: await sha256Hex(canonicalRows('Costs', spec.columns.map((c) => c.header), spec.rows)),
    },
    context,
  );
}

// ---- Allocate ----------------------------------------------------------------------------

export interface AllocateStepOptions {
  period?: string;
  /** Exact cost lines already in memory (the command line); otherwise read from the Costs table. */
  lines?: CostLine[];
  dimensions?: string[];
  rowsRead?: number;
}

/** Runs the allocation over the Costs table and the rules; writes Chargeback, Allocation, Reconciliation. */
export async function allocateWorkbook(gateway: WorkbookGateway, context: StepContext, options: AllocateStepOptions = {}): Promise<AllocationResult> {
  await assertNotApproved(gateway, 'allocate again');
  const { rules, problems } = await checkRules(gateway);
  if (!rules) throw new RuleError(problems);
  let lines = options.lines;
  let dimensions = options.dimensions;
  if (!lines || !dimensions) {
    const costs = await gateway.readTable('Costs');
    if (!costs) throw new RuleError([{ table: 'Rules', row: 0, message: 'the workbook has no Costs table: pull the cost data first' }]);
    ({ lines, dimensions } = costLinesFrom(costs));
  }
  const missing = ruleDimensions(rules).filter((d) => !dimensions!.some((x) => x.toLowerCase() === d.toLowerCase()));
  if (missing.length > 0) {
    throw new RuleError([{ table: 'Rules', row: 0, message: `the rules look at ${missing.join(', ')}, which the Costs table does not have: pull the cost data again` }]);
  }
  const result = allocate(lines, rules, { period: options.period, rowsRead: options.rowsRead });
  const chargeback = chargebackTable(result);
  await gateway.writeTables([chargeback, allocationTable(result, dimensions), reconciliationTable(result)]);
  await gateway.addBarChart?.({ sheet: 'Chargeback', title: `Chargeback ${result.period} by cost center (${result.currency})`, categoryColumn: 'CostCenter', valueColumn: 'Total', rowCount: chargeback.rows.length });
  const total = formatMinor(result.allocatedTotal, result.minorDigits);
  await appendAudit(
    gateway,
    {
      action: 'Allocate',
      by: context.user,
      period: result.period,
      details: `${result.metric} ${total} ${result.currency} to ${result.costCenters.length} cost centers; unallocated ${formatMinor(result.unallocated, result.minorDigits)}; difference ${formatMinor(result.allocatedTotal - result.sourceTotal, result.minorDigits)}`,
      contentDigest: await sha256Hex(canonicalRows('Chargeback', chargeback.columns.map((c) => c.header), chargeback.rows)),
    },
    context,
  );
  return result;
}

/** The `run --json` summary: every amount a decimal string in minor units. */
export function allocationSummary(result: AllocationResult) {
  const m = (v: bigint) => formatMinor(v, result.minorDigits);
  return {
    period: result.period,
    currency: result.currency,
    metric: result.metric,
    rowsRead: result.rowsRead,
    sourceTotal: m(result.sourceTotal),
    allocatedTotal: m(result.allocatedTotal),
    unallocated: m(result.unallocated),
    costCenters: result.costCenters.map((c) => ({ costCenter: c.costCenter, listed: c.listed, direct: m(c.direct), shared: m(c.shared), total: m(c.total) })),
    pools: result.pools.map((p) => ({ pool: p.pool, method: p.method, amount: m(p.amount), roundingDifference: m(p.roundingDifference) })),
    warnings: allocationWarnings(result).map(({ check, subject, figure, detail }) => ({ check, subject, figure, detail })),
  };
}
