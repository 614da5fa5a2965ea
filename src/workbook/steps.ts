/**
 * The month-end steps, written once against the workbook gateway: the task pane and the command
 * line both call these. Each step reads what it needs in one batch, computes everything, and
 * commits its content together with its Audit entry as one unit of work, so a failure anywhere
 * leaves the workbook as it was.
 */
import { allocate, AllocationResult } from '../core/allocate';
import { AuditEntry, NewAuditEntry, sealEntry } from '../core/audit';
import { canonicalRows, sha256Hex, tableDigest } from '../core/digest';
import { DEFAULT_GRAIN_DIMENSIONS, optionalGrainDimensions } from '../core/focus';
import { PROVIDER_RATE_COLUMNS } from '../core/conversion';
import { IngestResult } from '../core/ingest';
import { CostLine } from '../core/costs';
import { minorDigitsOf } from '../core/currency';
import { formatMinor, MinorUnits, roundToMinor } from '../core/money';
import { signedPercentText } from '../core/percent';
import { allocationWarnings } from '../core/review';
import { RULE_TABLES, RuleError, RuleProblem, RuleTableName, RuleTables, Rules, ruleDimensions, validateRules } from '../core/rules';
import { convertedCostsTable } from './conversion-layout';
import { ReadingOnce, readingOnce, RowsAppend, TableData, WorkbookGateway } from './gateway';
import { assertNotApproved } from './lock';
import { namesInBrief } from './sheet-limits';
import { methodTable } from './method-sheet';
import {
  AUDIT_TABLE,
  allocationTable,
  codeColumnProblems,
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
  statementHeaderProblems,
} from './layout';

export interface StepContext {
  /** Who is doing this: the signed-in user, or the name given on the command line. */
  user: string;
  /** The clock, injectable for tests. */
  now?: () => Date;
}

/** The context's clock as an ISO time to the second (the Audit log's form). */
export const nowIso = (context: StepContext) => (context.now ? context.now() : new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** An Audit row for a step's commit, with the entry it holds. */
export interface AuditAppend extends RowsAppend {
  entry: AuditEntry;
}

/** The Audit row that seals `entry` onto the end of the log (read through `reads`), for a step's commit. */
export async function auditAppend(reads: WorkbookGateway, entry: Omit<NewAuditEntry, 'time'>, context: StepContext): Promise<AuditAppend> {
  const existing = auditEntriesFrom(await reads.readTable(AUDIT_TABLE));
  const sealed = await sealEntry(existing[existing.length - 1], { ...entry, time: nowIso(context) });
  return { table: AUDIT_TABLE, columns: auditColumns, rows: [auditRow(sealed)], entry: sealed };
}

/** Appends one sealed entry to the Audit log, on its own (steps that change content commit it with their entry). */
export async function appendAudit(gateway: WorkbookGateway, entry: Omit<NewAuditEntry, 'time'>, context: StepContext): Promise<void> {
  await gateway.commit({ appends: [await auditAppend(gateway, entry, context)] });
}

// ---- Rules -------------------------------------------------------------------------------

export async function readRuleTables(gateway: WorkbookGateway): Promise<RuleTables> {
  return ruleTablesFrom(await ruleTableData(gateway));
}

async function ruleTableData(gateway: WorkbookGateway): Promise<Partial<Record<RuleTableName, TableData>>> {
  const read = await gateway.readTables(RULE_TABLES);
  const tables: Partial<Record<RuleTableName, TableData>> = {};
  for (const name of RULE_TABLES) {
    const table = read.get(name);
    if (table) tables[name] = table;
  }
  return tables;
}

/** The workbook's rules, validated: every problem with its table and row. */
export async function checkRules(gateway: WorkbookGateway): Promise<{ rules?: Rules; problems: RuleProblem[]; tables: RuleTables }> {
  const data = await ruleTableData(gateway);
  const tables = ruleTablesFrom(data);
  const missing = RULE_TABLES.filter((name) => name !== 'FixedSplits' && name !== 'Drivers' && name !== 'Settings' && name !== 'Budgets' && !tables[name]);
  if (missing.length > 0) {
    return { tables, problems: missing.map((table) => ({ table, row: 0, message: `the workbook has no ${table} table: create the rule tables first` })) };
  }
  // What the workbook itself would break: codes Excel turned into numbers, pool names the statement cannot head a column with.
  const workbookProblems = [...codeColumnProblems(data), ...statementHeaderProblems(tables)];
  const checked = validateRules(tables);
  if (workbookProblems.length === 0) return { ...checked, tables };
  return { problems: [...workbookProblems, ...checked.problems], tables };
}

/** Creates whichever rule tables the workbook lacks, each with an example row. */
export async function ensureRuleTables(gateway: WorkbookGateway, context: StepContext): Promise<RuleTableName[]> {
  const reads = readingOnce(gateway);
  await reads.prefetch([AUDIT_TABLE]);
  // Adding a missing rule table (with its example row) changes the approved content too.
  await assertNotApproved(reads, 'create rule tables');
  const present = new Set((await gateway.tableNames()).map((n) => n.toLowerCase()));
  const template = ruleTemplate();
  const specs = ruleTableSpecs(template).filter((spec) => !present.has(spec.name.toLowerCase()));
  if (specs.length === 0) return [];
  const audit = await auditAppend(reads, { action: 'Create rules', by: context.user, period: '', details: `created ${specs.map((s) => s.name).join(', ')}`, contentDigest: '' }, context);
  await gateway.commit({ tables: specs, appends: [audit] });
  return specs.map((s) => s.name as RuleTableName);
}

/** Copies rule tables into the workbook (the command line builds its workbook from a rules file). */
export async function writeRuleTables(gateway: WorkbookGateway, tables: RuleTables): Promise<void> {
  // The rule tables are part of the approved content, like Costs.
  await assertNotApproved(gateway, 'replace the rules');
  await gateway.commit({ tables: ruleTableSpecs(tables) });
}

/** Replaces the rule tables with `tables` (a rules file, the sample's rules) and logs where they came from, in one commit. */
export async function replaceRuleTables(gateway: WorkbookGateway, tables: RuleTables, origin: string, context: StepContext): Promise<void> {
  const reads = readingOnce(gateway);
  await reads.prefetch([AUDIT_TABLE]);
  await assertNotApproved(reads, 'replace the rules');
  const audit = await auditAppend(reads, { action: 'Load rules', by: context.user, period: '', details: `rule tables replaced from ${origin}`, contentDigest: '' }, context);
  await gateway.commit({ tables: ruleTableSpecs(tables), appends: [audit] });
}

/**
 * The dimensions the Costs table keeps: the usual ones plus every one a rule looks at, and the
 * provider's exchange rate columns when the rates come from the cost data (Settings ExchangeRates Provider).
 */
export function grainDimensions(rules: (Pick<Rules, 'mappings' | 'sharedPools'> & { settings?: Pick<Rules['settings'], 'exchangeRateSource'> }) | undefined): string[] {
  const dimensions: string[] = [...DEFAULT_GRAIN_DIMENSIONS];
  const rateColumns = rules?.settings?.exchangeRateSource === 'Provider' ? PROVIDER_RATE_COLUMNS : [];
  for (const d of [...(rules ? ruleDimensions(rules) : []), ...rateColumns]) if (!dimensions.some((x) => x.toLowerCase() === d.toLowerCase())) dimensions.push(d);
  return dimensions;
}

/**
 * What a read of cost data keeps, for the task pane and the command line alike: the grain's
 * dimensions, and which of them a file may lack (the usual ones no rule names).
 */
export interface CostGrain {
  dimensions: string[];
  optionalDimensions: string[];
}

export function costGrain(rules: Parameters<typeof grainDimensions>[0]): CostGrain {
  return { dimensions: grainDimensions(rules), optionalDimensions: optionalGrainDimensions(rules ? ruleDimensions(rules) : []) };
}

// ---- Pull --------------------------------------------------------------------------------

/**
 * How a pull meets the cost lines the workbook already holds: `replace` (the default) puts the read
 * data in place of the Costs table, as when the month's export is pulled again; `add` keeps them and
 * adds the read lines, as for a late credit or an adjustment file.
 */
export type PullMode = 'replace' | 'add';

export interface PullOptions {
  mode?: PullMode;
  /** The metric the totals are told in (Settings Metric; EffectiveCost by default). */
  metric?: 'EffectiveCost' | 'BilledCost';
}

/** One period and currency's cost before and after a pull, in exact amounts. */
export interface PeriodCostChange {
  period: string;
  currency: string;
  before: bigint;
  after: bigint;
  /** Cost lines the workbook held for it before. */
  linesBefore: number;
}

export interface PullOutcome {
  mode: PullMode;
  /** Periods and currencies the pull changed or the workbook held, each with its total before and after. */
  changes: PeriodCostChange[];
  /** Cost lines read (added, or put in place). */
  linesRead: number;
  /** What the Audit entry says. */
  summary: string;
}

/** Each period and currency's total of `metric`, and how many lines hold it. */
function totalsByPeriod(lines: readonly CostLine[], metric: 'EffectiveCost' | 'BilledCost'): Map<string, { period: string; currency: string; total: bigint; lines: number }> {
  const totals = new Map<string, { period: string; currency: string; total: bigint; lines: number }>();
  for (const line of lines) {
    const key = `${line.billingPeriod} ${line.currency}`;
    const held = totals.get(key) ?? { period: line.billingPeriod, currency: line.currency, total: 0n, lines: 0 };
    held.total += metric === 'BilledCost' ? line.billedCost : line.effectiveCost;
    held.lines += 1;
    totals.set(key, held);
  }
  return totals;
}

/** "2026-09 USD 14.98 → -2.50 (-117.0%)", each period and currency a pull changed. */
export function describeCostChanges(changes: readonly PeriodCostChange[]): string {
  return changes
    .filter((c) => c.before !== c.after || c.linesBefore === 0)
    .map((c) => {
      const before = roundedText(c.before, c.currency);
      const after = roundedText(c.after, c.currency);
      const change = c.linesBefore === 0 ? 'new' : c.before === 0n ? 'from nothing' : signedPercentText(c.after - c.before, c.before < 0n ? -c.before : c.before);
      return `${c.period} ${c.currency} ${before} → ${after} (${change})`;
    })
    .join(', ');
}

/** An exact amount as the currency's money ("14.98"), for messages. */
function roundedText(amount: bigint, currency: string): string {
  const digits = minorDigitsOf(currency) ?? 2;
  return formatMinor(roundToMinor(amount, digits), digits);
}

/**
 * Writes pulled cost lines into the Costs table and logs the pull, in one commit: in place of what
 * the table held, or (mode `add`) beside it. Either way the Audit entry says what each period's
 * cost was and now is, so a partial file that replaced a whole month is visible in the log.
 */
export async function pullCosts(gateway: WorkbookGateway, ingest: IngestResult, context: StepContext, options: PullOptions = {}): Promise<PullOutcome> {
  const mode = options.mode ?? 'replace';
  const metric = options.metric ?? 'EffectiveCost';
  const reads = readingOnce(gateway);
  await reads.prefetch([AUDIT_TABLE, 'Costs']);
  await assertNotApproved(reads, mode === 'add' ? 'add cost lines' : 'pull cost data again');
  const existingTable = await reads.readTable('Costs');
  const existing = existingTable ? costLinesFrom(existingTable) : { lines: [], dimensions: [] };
  // Added lines keep the book's columns; a column only one side has is empty on the other's lines.
  const dimensions = mode === 'add' ? [...existing.dimensions, ...ingest.dimensions.filter((d) => !existing.dimensions.some((x) => x.toLowerCase() === d.toLowerCase()))] : ingest.dimensions;
  const lines = mode === 'add' ? [...existing.lines, ...ingest.lines] : ingest.lines;
  const spec = costsTable(lines, dimensions);

  const before = totalsByPeriod(existing.lines, metric);
  const after = totalsByPeriod(lines, metric);
  const read = totalsByPeriod(ingest.lines, metric);
  const changes: PeriodCostChange[] = [...new Set([...read.keys(), ...(mode === 'replace' ? before.keys() : [])])].sort().map((key) => {
    const { period, currency } = (after.get(key) ?? before.get(key))!;
    return { period, currency, before: before.get(key)?.total ?? 0n, after: after.get(key)?.total ?? 0n, linesBefore: before.get(key)?.lines ?? 0 };
  });
  const periods = [...new Set(ingest.lines.map((l) => l.billingPeriod))].sort();
  const from = `${ingest.rowsRead} FOCUS rows from ${namesInBrief(ingest.files.map((f) => f.name))}`;
  const moved = describeCostChanges(changes);
  const summary =
    mode === 'add'
      ? `${ingest.lines.length} cost line${ingest.lines.length === 1 ? '' : 's'} added (${from}) to the ${existing.lines.length} held; ${metric}: ${moved}`
      : `${from} → ${ingest.lines.length} cost lines${existing.lines.length > 0 ? ` in place of the ${existing.lines.length} held${moved ? `; ${metric}: ${moved}` : ''}` : ''}`;
  const audit = await auditAppend(
    reads,
    {
      action: 'Pull',
      by: context.user,
      period: periods.join(', '),
      details: summary,
      contentDigest: tableDigest('Costs', spec.columns.map((c) => c.header), spec.rows),
    },
    context,
  );
  await gateway.commit({ tables: [spec], appends: [audit] });
  return { mode, changes, linesRead: ingest.lines.length, summary };
}

// ---- Allocate ----------------------------------------------------------------------------

export interface AllocateStepOptions {
  period?: string;
  /** FOCUS rows the cost lines came from, when the caller read them (the command line). */
  rowsRead?: number;
}

/**
 * Runs the allocation over the Costs table and the rules, as the workbook holds them (in Excel and
 * on the command line alike, so both give the same statement); writes Chargeback, Allocation and
 * Reconciliation, the chart and the Audit entry in one commit.
 */
export async function allocateWorkbook(gateway: WorkbookGateway, context: StepContext, options: AllocateStepOptions = {}): Promise<AllocationResult> {
  const reads: ReadingOnce = readingOnce(gateway);
  await reads.prefetch([...RULE_TABLES, 'Costs', AUDIT_TABLE]);
  await assertNotApproved(reads, 'allocate again');
  const { rules, problems } = await checkRules(reads);
  if (!rules) throw new RuleError(problems);
  const costs = await reads.readTable('Costs');
  if (!costs) throw new RuleError([{ table: 'Rules', row: 0, message: 'the workbook has no Costs table: pull the cost data first' }]);
  const { lines, dimensions } = costLinesFrom(costs);
  const missing = ruleDimensions(rules).filter((d) => !dimensions.some((x) => x.toLowerCase() === d.toLowerCase()));
  if (missing.length > 0) {
    throw new RuleError([{ table: 'Rules', row: 0, message: `the rules look at ${missing.join(', ')}, which the Costs table does not have: pull the cost data again` }]);
  }
  const result = allocate(lines, rules, { period: options.period, rowsRead: options.rowsRead });
  const chargeback = chargebackTable(result);
  const total = formatMinor(result.allocatedTotal, result.minorDigits);
  const audit = await auditAppend(
    reads,
    {
      action: 'Allocate',
      by: context.user,
      period: result.period,
      details: `${result.metric} ${total} ${result.currency} to ${result.costCenters.length} cost centers; unallocated ${formatMinor(result.unallocated, result.minorDigits)}; difference ${formatMinor(result.allocatedTotal - result.sourceTotal, result.minorDigits)}${conversionNote(result)}`,
      contentDigest: await sha256Hex(canonicalRows('Chargeback', chargeback.columns.map((c) => c.header), chargeback.rows)),
    },
    context,
  );
  // A converted period shows each cost line's reporting amount and rate beside what was billed.
  const convertedCosts = result.conversion ? [convertedCostsTable(costsTable(lines, dimensions), lines, result)] : [];
  await gateway.commit({
    tables: [chargeback, allocationTable(result, dimensions), reconciliationTable(result), methodTable(rules, result), ...convertedCosts],
    appends: [audit],
    chart: { sheet: 'Chargeback', title: `Chargeback ${result.period} by cost center (${result.currency})`, categoryColumn: 'CostCenter', valueColumn: 'Total', rowCount: chargeback.rows.length },
  });
  return result;
}

/** For the Audit entry: from which billing currencies, at which rates, the statement was converted. */
function conversionNote(result: AllocationResult): string {
  if (!result.conversion) return '';
  return `; converted to ${result.currency} from ${result.conversion.currencies.map((c) => `${c.currency} at ${c.rateLabel}`).join(', ')}`;
}

/** The `run --json` summary: every amount a decimal string in minor units. */
export function allocationSummary(result: AllocationResult) {
  const m = (v: MinorUnits) => formatMinor(v, result.minorDigits);
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
    ...(result.conversion
      ? {
          conversions: result.conversion.currencies.map((c) => ({
            billingCurrency: c.currency,
            source: formatMinor(c.source, c.minorDigits),
            rate: c.rateLabel,
            converted: m(c.converted),
            difference: m(c.allocated - c.converted),
          })),
        }
      : {}),
  };
}
