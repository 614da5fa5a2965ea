/**
 * The allocation rules finance keeps as Excel tables (or JSON): cost centers, mappings, shared
 * pools, fixed splits, drivers and settings. Validation reports every problem at once, each with
 * its table, row and reason, so the user can fix the lot in one pass.
 */
import { z } from 'zod';
import { isValidDimension } from './focus';
import { ExactAmount, parseExact } from './money';
import { isValuePlaceholder } from './match';
import { canonicalMethod, POOL_METHOD_RULES, PoolMethod, unknownMethodMessage } from './pool-methods';
import { ExchangeRate, RATE_COLUMNS, readRates } from './rates';
import { readSettings, Settings } from './settings';
import { COST_CENTER_LIMIT, costCenterCodeProblem } from './cost-center-code';
import { jsonDepthProblem } from './json-depth';
import { invisibleCharacters, lookalikeKey, unusualCharacters } from './lookalike';

export { canonicalMethod, POOL_METHODS } from './pool-methods';
export { SETTING_NAMES } from './settings';
export type { Settings, UnusedCommitments } from './settings';
export type { PoolMethod } from './pool-methods';

export const RULE_TABLES = ['Settings', 'CostCenters', 'Mappings', 'SharedPools', 'FixedSplits', 'Drivers', 'Budgets', 'Rates'] as const;
export type RuleTableName = (typeof RULE_TABLES)[number];

/** Columns of each rule table, in the order they appear in the workbook. */
export const RULE_COLUMNS: Record<RuleTableName, readonly string[]> = {
  Settings: ['Setting', 'Value'],
  CostCenters: ['CostCenter', 'Name', 'Owner', 'GLAccount', 'Budget', 'Parent'],
  Mappings: ['Dimension', 'Pattern', 'CostCenter'],
  SharedPools: ['Pool', 'Dimension', 'Pattern', 'Method', 'Driver', 'Targets'],
  FixedSplits: ['Pool', 'CostCenter', 'Percent'],
  Drivers: ['Driver', 'CostCenter', 'Quantity'],
  // Pushed to Cost Management budgets by `chargeback budgets` (src/budgets); allocation does not read it.
  Budgets: ['CostCenter', 'Period', 'Amount', 'Kind', 'Scope', 'Filter', 'Thresholds', 'Contacts'],
  // Exchange rates from billing to reporting currency (rates.ts): 1 FromCurrency = Rate ToCurrency.
  Rates: RATE_COLUMNS,
};

/** Where a rule came from, so every allocated amount can name the rule that sent it. */
export interface RuleSource {
  table: RuleTableName;
  /** Worksheet row (the header is row 1, so the first rule is row 2). */
  row: number;
}

export interface CostCenter {
  costCenter: string;
  name: string;
  owner: string;
  glAccount: string;
  budget?: ExactAmount;
  /** The cost center (department, business unit) this one rolls up to in facts and reports; '' at the top. */
  parent?: string;
}

export interface Mapping {
  dimension: string;
  pattern: string;
  costCenter: string;
  source: RuleSource;
}

export interface SharedPool {
  pool: string;
  dimension: string;
  pattern: string;
  method: PoolMethod;
  driver: string;
  /** `*` or cost center codes */
  targets: string[];
  source: RuleSource;
}

export interface FixedSplit {
  pool: string;
  costCenter: string;
  percent: ExactAmount;
}

export interface DriverQuantity {
  driver: string;
  costCenter: string;
  quantity: ExactAmount;
}

export interface Rules {
  settings: Settings;
  costCenters: CostCenter[];
  mappings: Mapping[];
  sharedPools: SharedPool[];
  fixedSplits: FixedSplit[];
  drivers: DriverQuantity[];
  /** The Rates table: exchange rates by period and currency pair. */
  rates: ExchangeRate[];
}

export interface RuleProblem {
  table: RuleTableName | 'Rules';
  /** Worksheet row of the offending rule (header is row 1); 0 when the problem is the whole table. */
  row: number;
  column?: string;
  message: string;
}

/** Rule tables as header-keyed rows, the shape both the workbook and JSON reduce to. */
export type RuleTables = Partial<Record<RuleTableName, Record<string, unknown>[]>>;

export class RuleError extends Error {
  constructor(readonly problems: RuleProblem[]) {
    super(`the rules have ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` + problems.map(describeProblem).join('\n'));
    this.name = 'RuleError';
  }
}

/** Where a problem is: "Table row N, Column", without the row for a whole-table problem and the column when there is none. */
export function problemPlace(problem: RuleProblem): string {
  const where = problem.row > 0 ? `${problem.table} row ${problem.row}` : problem.table;
  return `${where}${problem.column ? `, ${problem.column}` : ''}`;
}

export function describeProblem(problem: RuleProblem): string {
  return `  ${problemPlace(problem)}: ${problem.message}`;
}

const text = z.preprocess((v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v).trim()), z.string());
const required = (column: string) => text.refine((v) => v.length > 0, { message: `${column} is empty` });
/** A cost center code: in Unicode's composed form (NFC), so "é" typed two ways is one code. */
const requiredCode = (column: string) => required(column).transform((v) => v.normalize('NFC'));

const rowSchemas = {
  CostCenters: z.object({ CostCenter: requiredCode('CostCenter'), Name: text, Owner: text, GLAccount: text, Budget: text, Parent: text }),
  Mappings: z.object({ Dimension: required('Dimension'), Pattern: required('Pattern'), CostCenter: requiredCode('CostCenter') }),
  SharedPools: z.object({
    Pool: required('Pool'),
    Dimension: required('Dimension'),
    Pattern: required('Pattern'),
    Method: required('Method'),
    Driver: text,
    Targets: text,
  }),
  FixedSplits: z.object({ Pool: required('Pool'), CostCenter: requiredCode('CostCenter'), Percent: required('Percent') }),
  Drivers: z.object({ Driver: required('Driver'), CostCenter: requiredCode('CostCenter'), Quantity: required('Quantity') }),
  Settings: z.object({ Setting: required('Setting'), Value: text }),
};

type Parsed<T extends keyof typeof rowSchemas> = z.infer<(typeof rowSchemas)[T]> & { row: number };

/** A rule row with nothing in it: skipped when validating, and not counted as a rule. */
export function isBlankRow(row: Record<string, unknown>): boolean {
  return Object.values(row).every((v) => v === null || v === undefined || String(v).trim() === '');
}

function parseTable<T extends keyof typeof rowSchemas>(tables: RuleTables, table: T, problems: RuleProblem[]): Parsed<T>[] {
  const parsed: Parsed<T>[] = [];
  (tables[table] ?? []).forEach((raw, index) => {
    const row = index + 2;
    if (isBlankRow(raw)) return;
    const result = rowSchemas[table].safeParse(raw);
    if (result.success) parsed.push({ ...(result.data as z.infer<(typeof rowSchemas)[T]>), row });
    else {
      for (const issue of result.error.issues) problems.push({ table, row, column: String(issue.path[0] ?? ''), message: issue.message });
      // The row's other cells are still checked (every problem at once); an empty one was just reported.
      const cells = Object.fromEntries(Object.keys(rowSchemas[table].shape).map((column) => [column, text.parse(raw[column])]));
      parsed.push({ ...(cells as z.infer<(typeof rowSchemas)[T]>), row });
    }
  });
  return parsed;
}

/** How cost center codes compare everywhere (rules, mappings, `{value}` codes): composed form (NFC), ignoring case and surrounding spaces. */
export function codeKey(code: string): string {
  return code.normalize('NFC').trim().toLowerCase();
}

/**
 * A code with a character no one can see (zero-width, soft hyphen, word joiner, a direction
 * control) would print like another code: refused, naming the character.
 */
function invisibleInCode(table: RuleTableName, row: number, column: string, code: string): RuleProblem[] {
  return invisibleCharacters(code).map((c) => ({ table, row, column, message: `cost center code "${code}" has an invisible character at position ${c.position}, ${c.codePoint}: type the code again without it` }));
}


/** Validates rule tables; returns the rules or every problem found. */
export function validateRules(tables: RuleTables): { rules?: Rules; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const settings = readSettings(parseTable(tables, 'Settings', problems), problems);

  const costCenters: CostCenter[] = [];
  const known = new Set<string>();
  const listed = (tables.CostCenters ?? []).filter((row) => !isBlankRow(row)).length;
  if (listed > COST_CENTER_LIMIT) {
    // Refused before anything else is checked: the rest would take the time and memory the limit guards.
    const message = `CostCenters lists ${listed.toLocaleString('en-US')} cost centers, more than the ${COST_CENTER_LIMIT.toLocaleString('en-US')} one chargeback may have: split the chargeback (by business unit or billing account), or roll cost centers up`;
    return { problems: [...problems, { table: 'CostCenters', row: 0, message }] };
  }
  const lookalikes = new Map<string, { code: string; row: number }>();
  for (const row of parseTable(tables, 'CostCenters', problems)) {
    if (row.CostCenter === '') continue;
    const tooLong = costCenterCodeProblem(row.CostCenter);
    if (tooLong) {
      problems.push({ table: 'CostCenters', row: row.row, column: 'CostCenter', message: tooLong });
      continue;
    }
    if (known.has(codeKey(row.CostCenter))) {
      problems.push({ table: 'CostCenters', row: row.row, column: 'CostCenter', message: `cost center ${row.CostCenter} is listed twice` });
      continue;
    }
    const invisible = invisibleInCode('CostCenters', row.row, 'CostCenter', row.CostCenter);
    problems.push(...invisible);
    // Two codes that differ only by confusable letters (Unicode TR39 skeletons) print as one.
    const twin = lookalikes.get(lookalikeKey(row.CostCenter));
    if (twin && invisible.length === 0) {
      const odd = unusualCharacters(`${twin.code}${row.CostCenter}`);
      problems.push({ table: 'CostCenters', row: row.row, column: 'CostCenter', message: `cost center ${row.CostCenter} looks the same as ${twin.code} on row ${twin.row}${odd.length > 0 ? ` (${odd.join(', ')})` : ''}: give codes that can be told apart by eye` });
    }
    lookalikes.set(lookalikeKey(row.CostCenter), { code: row.CostCenter, row: row.row });
    let budget: ExactAmount | undefined;
    if (row.Budget !== '') {
      budget = parseExact(row.Budget);
      if (budget === undefined) problems.push({ table: 'CostCenters', row: row.row, column: 'Budget', message: `Budget "${row.Budget}" is not a number` });
    }
    known.add(codeKey(row.CostCenter));
    costCenters.push({ costCenter: row.CostCenter, name: row.Name, owner: row.Owner, glAccount: row.GLAccount, budget, parent: row.Parent });
  }
  if (costCenters.length === 0) problems.push({ table: 'CostCenters', row: 0, message: 'no cost centers: list at least one cost center to charge' });
  problems.push(...hierarchyProblems(tables, costCenters));
  const isKnown = (code: string) => known.has(codeKey(code));
  const isUnallocated = (code: string) => codeKey(code) === codeKey(settings.unallocated);
  problems.push(...invisibleInCode('Settings', settingRow(tables, 'Unallocated'), 'Value', settings.unallocated));

  const checkDimension = (table: RuleTableName, row: number, dimension: string) => {
    if (dimension !== '' && !isValidDimension(dimension)) {
      problems.push({ table, row, column: 'Dimension', message: `"${dimension}" is not a FOCUS column, an x_ column or Tag:<key>` });
    }
  };

  const mappings: Mapping[] = [];
  for (const row of parseTable(tables, 'Mappings', problems)) {
    checkDimension('Mappings', row.row, row.Dimension);
    problems.push(...invisibleInCode('Mappings', row.row, 'CostCenter', row.CostCenter));
    if (row.CostCenter !== '' && !isValuePlaceholder(row.CostCenter) && !isKnown(row.CostCenter)) {
      problems.push({ table: 'Mappings', row: row.row, column: 'CostCenter', message: `cost center ${row.CostCenter} is not in CostCenters` });
    }
    mappings.push({ dimension: row.Dimension, pattern: row.Pattern, costCenter: row.CostCenter, source: { table: 'Mappings', row: row.row } });
  }

  const fixedRows = parseTable(tables, 'FixedSplits', problems);
  const driverRows = parseTable(tables, 'Drivers', problems);
  const drivers: DriverQuantity[] = [];
  const nonNegative = (table: RuleTableName, row: number, column: string, text: string): ExactAmount | undefined => {
    const value = parseExact(text);
    if (value !== undefined && value >= 0n) return value;
    if (text === '') return undefined; // reported as empty already
    problems.push({ table, row, column, message: `${column} "${text}" must be a number of zero or more` });
    return undefined;
  };
  for (const row of driverRows) {
    const quantity = nonNegative('Drivers', row.row, 'Quantity', row.Quantity);
    problems.push(...invisibleInCode('Drivers', row.row, 'CostCenter', row.CostCenter));
    if (row.CostCenter !== '' && !isKnown(row.CostCenter)) problems.push({ table: 'Drivers', row: row.row, column: 'CostCenter', message: `cost center ${row.CostCenter} is not in CostCenters` });
    if (quantity === undefined) continue;
    const twin = driverRows.find((d) => d.row < row.row && d.Driver.toLowerCase() === row.Driver.toLowerCase() && codeKey(d.CostCenter) === codeKey(row.CostCenter));
    if (twin) problems.push({ table: 'Drivers', row: row.row, column: 'CostCenter', message: `cost center ${row.CostCenter} already has a ${row.Driver} quantity on row ${twin.row}: give each cost center one quantity` });
    drivers.push({ driver: row.Driver, costCenter: row.CostCenter, quantity });
  }

  const sharedPools: SharedPool[] = [];
  const poolShape = new Map<string, { method: PoolMethod; driver: string; targets: string; row: number }>();
  for (const row of parseTable(tables, 'SharedPools', problems)) {
    checkDimension('SharedPools', row.row, row.Dimension);
    const method = canonicalMethod(row.Method);
    if (!method && row.Method !== '') {
      problems.push({ table: 'SharedPools', row: row.row, column: 'Method', message: unknownMethodMessage(row.Method) });
    }
    const targets = (row.Targets === '' ? '*' : row.Targets).split(',').map((t) => t.trim().normalize('NFC')).filter(Boolean);
    for (const target of targets) problems.push(...invisibleInCode('SharedPools', row.row, 'Targets', target));
    const targetsText = targets.join(',').toLowerCase();
    if (targets.length === 0 || (targets.includes('*') && targets.length > 1)) {
      problems.push({ table: 'SharedPools', row: row.row, column: 'Targets', message: 'Targets must be * or a comma-separated list of cost centers' });
    }
    const named = new Set<string>();
    for (const target of targets) {
      if (target === '*') continue;
      if (!isKnown(target)) problems.push({ table: 'SharedPools', row: row.row, column: 'Targets', message: `target ${target} is not in CostCenters` });
      else if (isUnallocated(target)) problems.push({ table: 'SharedPools', row: row.row, column: 'Targets', message: `target ${target} is the unallocated cost center, which takes no share of a pool` });
      if (named.has(codeKey(target))) problems.push({ table: 'SharedPools', row: row.row, column: 'Targets', message: `target ${target} is named twice: name each target once` });
      named.add(codeKey(target));
    }
    if (!method || row.Pool === '') continue;
    const earlier = poolShape.get(row.Pool.toLowerCase());
    if (earlier && (earlier.method !== method || earlier.driver.toLowerCase() !== row.Driver.toLowerCase() || earlier.targets !== targetsText)) {
      problems.push({ table: 'SharedPools', row: row.row, message: `pool ${row.Pool} has a different Method, Driver or Targets than on row ${earlier.row}` });
    }
    if (!earlier) poolShape.set(row.Pool.toLowerCase(), { method, driver: row.Driver, targets: targetsText, row: row.row });
    const basis = method ? POOL_METHOD_RULES[method].basis : 'none';
    if (basis === 'Drivers') {
      if (row.Driver === '') problems.push({ table: 'SharedPools', row: row.row, column: 'Driver', message: 'a Driver pool must name its driver' });
      else if (!driverRows.some((d) => d.Driver.toLowerCase() === row.Driver.toLowerCase())) {
        problems.push({ table: 'SharedPools', row: row.row, column: 'Driver', message: `driver ${row.Driver} has no quantities in Drivers` });
      } else if (!drivers.some((d) => d.driver.toLowerCase() === row.Driver.toLowerCase() && d.quantity > 0n && (targets.includes('*') || targets.some((t) => t.toLowerCase() === d.costCenter.toLowerCase())))) {
        problems.push({ table: 'SharedPools', row: row.row, column: 'Driver', message: `driver ${row.Driver} has no quantity above zero for the pool's targets` });
      }
    }
    if (basis === 'FixedSplits' && !earlier) {
      const splits = fixedRows.filter((f) => f.Pool.toLowerCase() === row.Pool.toLowerCase());
      if (splits.length === 0) problems.push({ table: 'SharedPools', row: row.row, column: 'Method', message: `${method} pool ${row.Pool} has no rows in FixedSplits` });
      else {
        const problem = POOL_METHOD_RULES[method!].checkAll?.(splits.map((split) => parseExact(split.Percent) ?? 0n));
        if (problem) problems.push({ table: 'FixedSplits', row: splits[0].row, column: 'Percent', message: `pool ${row.Pool}: ${problem}` });
      }
    }
    sharedPools.push({ pool: row.Pool, dimension: row.Dimension, pattern: row.Pattern, method, driver: row.Driver, targets, source: { table: 'SharedPools', row: row.row } });
  }

  const fixedSplits: FixedSplit[] = [];
  for (const row of fixedRows) {
    const percent = nonNegative('FixedSplits', row.row, 'Percent', row.Percent);
    problems.push(...invisibleInCode('FixedSplits', row.row, 'CostCenter', row.CostCenter));
    const shape = poolShape.get(row.Pool.toLowerCase());
    if (row.Pool === '') {
      // reported as empty already
    } else if (!shape) problems.push({ table: 'FixedSplits', row: row.row, column: 'Pool', message: `pool ${row.Pool} is not in SharedPools` });
    else if (POOL_METHOD_RULES[shape.method].basis !== 'FixedSplits') problems.push({ table: 'FixedSplits', row: row.row, column: 'Pool', message: `pool ${row.Pool} is split ${shape.method}, not Fixed` });
    if (row.CostCenter !== '' && !isKnown(row.CostCenter)) problems.push({ table: 'FixedSplits', row: row.row, column: 'CostCenter', message: `cost center ${row.CostCenter} is not in CostCenters` });
    else if (row.CostCenter !== '' && isUnallocated(row.CostCenter)) problems.push({ table: 'FixedSplits', row: row.row, column: 'CostCenter', message: `cost center ${row.CostCenter} is the unallocated cost center, which takes no share of a pool` });
    const twin = fixedRows.find((f) => f.row < row.row && f.Pool.toLowerCase() === row.Pool.toLowerCase() && codeKey(f.CostCenter) === codeKey(row.CostCenter));
    if (twin) problems.push({ table: 'FixedSplits', row: row.row, column: 'CostCenter', message: `cost center ${row.CostCenter} already has a percent of pool ${row.Pool} on row ${twin.row}: give each cost center one row` });
    if (percent === undefined) continue;
    fixedSplits.push({ pool: row.Pool, costCenter: row.CostCenter, percent });
  }

  const special = settings.unusedCommitments;
  if (typeof special === 'object' && !isKnown(special.costCenter) && !isUnallocated(special.costCenter)) {
    problems.push({ table: 'Settings', row: settingRow(tables, 'UnusedCommitments'), column: 'Value', message: `UnusedCommitments must be Owner, Proportional or a cost center in CostCenters, not "${special.costCenter}"` });
  }

  const rateRows = readRates(tables.Rates ?? [], isBlankRow);
  problems.push(...rateRows.problems.map((p) => ({ table: 'Rates' as const, ...p })));

  if (problems.length > 0) return { problems };
  return { rules: { settings, costCenters, mappings, sharedPools, fixedSplits, drivers, rates: rateRows.rates }, problems };
}

/**
 * Problems with the CostCenters hierarchy (the optional Parent column): a parent that is not a
 * cost center, and a chain of parents that comes back to where it started.
 */
function hierarchyProblems(tables: RuleTables, costCenters: CostCenter[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const rowOf = (code: string) => (tables.CostCenters ?? []).findIndex((r) => codeKey(String(r.CostCenter ?? '')) === codeKey(code)) + 2;
  const byKey = new Map(costCenters.map((c) => [codeKey(c.costCenter), c]));
  const inCycle = new Set<string>();
  for (const center of costCenters) {
    if (!center.parent) continue;
    if (!byKey.has(codeKey(center.parent))) {
      problems.push({ table: 'CostCenters', row: rowOf(center.costCenter), column: 'Parent', message: `parent ${center.parent} is not in CostCenters: list it as a cost center, or leave Parent empty` });
      continue;
    }
    // Walk up from here: reaching this cost center again is a cycle, reported once on each of its rows.
    const chain = [center.costCenter];
    for (let up = byKey.get(codeKey(center.parent)); up; up = up.parent ? byKey.get(codeKey(up.parent)) : undefined) {
      if (codeKey(up.costCenter) === codeKey(center.costCenter)) {
        if (!inCycle.has(codeKey(center.costCenter))) {
          chain.forEach((code) => inCycle.add(codeKey(code)));
          problems.push({ table: 'CostCenters', row: rowOf(center.costCenter), column: 'Parent', message: `the parents go round in a circle (${[...chain, center.costCenter].join(' → ')}): a cost center cannot roll up to itself` });
        }
        break;
      }
      if (chain.some((code) => codeKey(code) === codeKey(up!.costCenter))) break; // a cycle above this one, reported on its own rows
      chain.push(up.costCenter);
    }
  }
  return problems;
}

/** The chain of cost centers from the top of the hierarchy down to `code` (just `[code]` without a Parent). */
export function hierarchyPath(costCenters: readonly CostCenter[], code: string): string[] {
  const byKey = new Map(costCenters.map((c) => [codeKey(c.costCenter), c]));
  const path = [code];
  for (let up = byKey.get(codeKey(code))?.parent; up && path.length <= costCenters.length; up = byKey.get(codeKey(up))?.parent) {
    path.unshift(byKey.get(codeKey(up))?.costCenter ?? up);
  }
  return path;
}

/** Validates and throws a RuleError listing every problem. */
export function parseRules(tables: RuleTables): Rules {
  const { rules, problems } = validateRules(tables);
  if (!rules) throw new RuleError(problems);
  return rules;
}

function settingRow(tables: RuleTables, name: string): number {
  const index = (tables.Settings ?? []).findIndex((r) => String(r.Setting ?? '').trim().toLowerCase() === name.toLowerCase());
  return index < 0 ? 0 : index + 2;
}

/** Every dimension a rule looks at: these decide the grain of the `Costs` table. */
export function ruleDimensions(rules: Pick<Rules, 'mappings' | 'sharedPools'>): string[] {
  const dimensions: string[] = [];
  for (const rule of [...rules.sharedPools, ...rules.mappings]) {
    if (!dimensions.some((d) => d.toLowerCase() === rule.dimension.toLowerCase())) dimensions.push(rule.dimension);
  }
  return dimensions;
}

const CAMEL_TO_COLUMN: Record<string, string> = { glAccount: 'GLAccount' };

/** Rules given as JSON (`{"settings": {...}, "costCenters": [...], ...}`, camelCase keys) as rule tables. */
export function ruleTablesFromJson(json: unknown): RuleTables {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new RuleError([{ table: 'Rules', row: 0, message: 'the rules JSON must be an object with settings, costCenters, mappings, sharedPools, fixedSplits and drivers' }]);
  }
  const tooDeep = jsonDepthProblem(json);
  if (tooDeep) throw new RuleError([{ table: 'Rules', row: 0, message: `the rules JSON is ${tooDeep}` }]);
  const source = json as Record<string, unknown>;
  const column = (key: string) => CAMEL_TO_COLUMN[key] ?? key.charAt(0).toUpperCase() + key.slice(1);
  const tables: RuleTables = {};
  const settings = source.settings;
  if (settings && typeof settings === 'object' && !Array.isArray(settings)) {
    tables.Settings = Object.entries(settings).map(([key, value]) => ({ Setting: column(key), Value: value }));
  }
  for (const table of RULE_TABLES.filter((t) => t !== 'Settings')) {
    const key = table.charAt(0).toLowerCase() + table.slice(1);
    const rows = source[key];
    if (rows === undefined) continue;
    if (!Array.isArray(rows)) {
      throw new RuleError([{ table, row: 0, message: `${key} must be a list` }]);
    }
    tables[table] = rows.map((row) => Object.fromEntries(Object.entries((row ?? {}) as Record<string, unknown>).map(([k, v]) => [column(k), v])));
  }
  return tables;
}
