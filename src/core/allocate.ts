/**
 * The allocation engine: every cost line goes to the first matching shared pool, else to the
 * first matching mapping's cost center, else to the unallocated cost center. Pools are then split
 * across their targets (Even, Proportional to direct cost, Fixed percents, Driver quantities),
 * and each cost center's total is rounded to minor units by largest remainder so that the
 * statement adds up exactly to the rounded source total and direct + shares = total on every row.
 */
import { canonicalCodes } from './cost-center-codes';
import { CostLine, costOf, dimensionValue } from './costs';
import { AMBIGUOUS_TAG, CostMetric, isTagDimension } from './focus';
import { firstMatchingMapping, matchesPattern } from './match';
import { currencyProblem, minorDigitsOf } from './currency';
import { ExactAmount, formatExact, formatMinor, MinorUnits, minorUnitSize, roundToMinor } from './money';
import { POOL_METHOD_RULES, poolWeights } from './pool-methods';
import { codeKey, PoolMethod, RuleError, RuleSource, Rules, SharedPool } from './rules';
import { AllocationInvariantError, exactShares, leastCommonMultiple, roundByLargestRemainder, splitByWeights } from './split';
import { PeriodError, selectPeriod, SkippedRows } from './period';
import { Conversion, convertLines } from './conversion';
import { COST_CENTER_LIMIT, costCenterCodeProblem } from './cost-center-code';

export const UNUSED_COMMITMENTS_POOL = 'Unused commitments';
/** The Name a statement line shows for a code CostCenters does not list. */
export const UNLISTED_NAME = '(not in CostCenters)';

export interface PoolSplit {
  pool: string;
  method: PoolMethod;
  /** The rule that defines the pool (its first row in SharedPools), or Settings for unused commitments. */
  source: RuleSource;
  targets: string[];
  /** What the pool collected, exact. */
  amountExact: ExactAmount;
  /** What the statement shows for the pool: the sum of its rounded shares. */
  amount: MinorUnits;
  /**
   * `amount` minus what the pool collected rounded on its own: each cost center's total is rounded
   * (not each pool), so a pool's column can differ from its rounded takings by a unit or so.
   * Shown in Reconciliation so no one has to ask.
   */
  roundingDifference: MinorUnits;
  /** Set when the method had no basis (say, no target had direct cost) and another split was used. */
  fallback?: string;
  /** Exact share per target, in `targets` order. */
  sharesExact: ExactAmount[];
  /**
   * The same shares unrounded, `numerators[i] / denominator`: the statement's rounding compares
   * remainders on these, so shares 10^-16 apart never tie because 15 decimals could not tell them apart.
   */
  sharesRatio: { numerators: bigint[]; denominator: bigint };
}

export interface CostCenterCharge {
  costCenter: string;
  name: string;
  owner: string;
  glAccount: string;
  /** In the CostCenters table (false for codes a `{value}` mapping produced, and for unallocated). */
  listed: boolean;
  isUnallocated: boolean;
  directExact: ExactAmount;
  totalExact: ExactAmount;
  direct: MinorUnits;
  /** Rounded share of each pool, in `pools` order. */
  shares: MinorUnits[];
  shared: MinorUnits;
  total: MinorUnits;
  budget?: MinorUnits;
  /** total − budget: positive is over budget. */
  variance?: MinorUnits;
}

export type AllocationKind = 'Direct' | 'Unallocated' | 'To pool' | 'Pool share';

/** One row of the Allocation detail: where an amount went and the rule that sent it. */
export interface AllocationEntry {
  kind: AllocationKind;
  /** Index into `lines` for Direct / Unallocated / To pool entries. */
  lineIndex?: number;
  costCenter: string;
  pool: string;
  amountExact: ExactAmount;
  rule: string;
  /** An Unallocated entry's `Tag:<key>` that the line holds under several spellings with different values (focus.ts AMBIGUOUS_TAG). */
  ambiguousTag?: string;
}

export interface AllocationResult {
  period: string;
  /** The statement's currency: the reporting currency when the period was converted. */
  currency: string;
  minorDigits: number;
  metric: CostMetric;
  lines: CostLine[];
  costCenters: CostCenterCharge[];
  pools: PoolSplit[];
  entries: AllocationEntry[];
  sourceTotalExact: ExactAmount;
  billedTotalExact: ExactAmount;
  effectiveTotalExact: ExactAmount;
  sourceTotal: MinorUnits;
  allocatedTotal: MinorUnits;
  unallocated: MinorUnits;
  rowsRead: number;
  rowsUsed: number;
  skipped: SkippedRows[];
  /** Set when billing currencies were converted to the reporting currency: what each line was, at which rate. */
  conversion?: Conversion;
}

export interface AllocateOptions {
  /** `YYYY-MM`; overrides the Settings Period. Needed when the data has several periods. */
  period?: string;
  /** FOCUS rows behind `lines` (defaults to the sum of their source rows). */
  rowsRead?: number;
}

/** A `{value}` mapping that makes more cost centers than a chargeback may have, told at its row. */
function tooManyCostCenters(source: RuleSource, dimension: string): RuleError {
  const message = `this mapping makes more than the ${COST_CENTER_LIMIT.toLocaleString('en-US')} cost centers one chargeback may have (with CostCenters): is ${dimension} the right column for {value}? Map a column that names teams, or list the cost centers`;
  return new RuleError([{ table: source.table, row: source.row, column: 'CostCenter', message }]);
}

/** Runs the allocation. Throws a PeriodError for ambiguous periods or currencies. */
export function allocate(allLines: readonly CostLine[], rules: Rules, options: AllocateOptions = {}): AllocationResult {
  const { settings } = rules;
  const metric = settings.metric;
  const selected = selectPeriod(allLines, options.period ?? settings.period, settings.reportingCurrency);
  const { period, currency, skipped } = selected;
  const minorDigits = minorDigitsOf(currency);
  if (minorDigits === undefined) throw new PeriodError(currencyProblem(currency)!.replace('BillingCurrency', settings.reportingCurrency ? 'Settings ReportingCurrency' : 'BillingCurrency'));
  // Only a period billed in another currency than the statement's is converted; one in the reporting currency stays as it was.
  const conversion = selected.billingCurrencies.some((c) => c !== currency) ? convertLines(selected.lines, metric, currency, rules.rates, settings.exchangeRateSource) : undefined;
  const lines = conversion ? conversion.lines : selected.lines;
  const unit = minorUnitSize(minorDigits);

  const direct = new Map<string, ExactAmount>();
  const extraCodes = new Set<string>();
  const entries: AllocationEntry[] = [];
  const poolLines = new Map<string, { definition: SharedPool | 'unused'; amount: ExactAmount }>();
  const codeOf = canonicalCodes(rules.costCenters.map((c) => c.costCenter), settings.unallocated);
  const listedCodes = new Map(rules.costCenters.map((c) => [c.costCenter, c]));
  const listedCenter = (code: string) => listedCodes.get(code);
  const addDirect = (code: string, amount: ExactAmount) => direct.set(code, (direct.get(code) ?? 0n) + amount);
  // Every defined pool is a statement column, in SharedPools order, even in a month it collects nothing.
  for (const pool of rules.sharedPools) {
    const key = pool.pool.toLowerCase();
    if (!poolLines.has(key)) poolLines.set(key, { definition: pool, amount: 0n });
  }
  if (settings.unusedCommitments === 'Proportional') poolLines.set(UNUSED_COMMITMENTS_POOL, { definition: 'unused', amount: 0n });

  lines.forEach((line, lineIndex) => {
    const amount = costOf(line, metric);
    const unusedTo = settings.unusedCommitments;
    const unused = line.commitmentDiscountStatus.toLowerCase() === 'unused' && unusedTo !== 'Owner';
    if (unused && unusedTo === 'Proportional') {
      poolLines.get(UNUSED_COMMITMENTS_POOL)!.amount += amount;
      entries.push({ kind: 'To pool', lineIndex, costCenter: '', pool: UNUSED_COMMITMENTS_POOL, amountExact: amount, rule: 'Settings UnusedCommitments: Proportional' });
      return;
    }
    if (unused && typeof unusedTo === 'object') {
      const code = codeOf(unusedTo.costCenter);
      addDirect(code, amount);
      entries.push({ kind: 'Direct', lineIndex, costCenter: code, pool: '', amountExact: amount, rule: `Settings UnusedCommitments: ${code}` });
      return;
    }
    // A tag held under several spellings with different values (focus.ts AMBIGUOUS_TAG): the first rule reading it leaves the line unallocated.
    let ambiguous: string | undefined;
    const valueOf = (dimension: string): string | undefined => {
      if (ambiguous !== undefined) return undefined;
      const value = dimensionValue(line, dimension);
      if (value === AMBIGUOUS_TAG && isTagDimension(dimension)) ambiguous = dimension;
      return ambiguous === undefined ? value : undefined;
    };
    const pool = rules.sharedPools.find((p) => {
      const value = valueOf(p.dimension);
      return value !== undefined && matchesPattern(value, p.pattern);
    });
    if (pool) {
      poolLines.get(pool.pool.toLowerCase())!.amount += amount;
      entries.push({ kind: 'To pool', lineIndex, costCenter: '', pool: pool.pool, amountExact: amount, rule: ruleLabel(pool.source, `${pool.dimension} ${pool.pattern}`) });
      return;
    }
    const matched = firstMatchingMapping(rules.mappings, valueOf, codeOf);
    if (matched) {
      const code = matched.costCenter;
      if (!listedCenter(code) && !extraCodes.has(code)) {
        // A code made from the data is held to the rules a listed code is held to, at the mapping's row.
        const problem = costCenterCodeProblem(code);
        if (problem) throw new RuleError([{ table: matched.mapping.source.table, row: matched.mapping.source.row, column: 'CostCenter', message: `{value} makes the code from ${matched.mapping.dimension}: ${problem}` }]);
        extraCodes.add(code);
        if (listedCodes.size + extraCodes.size > COST_CENTER_LIMIT) throw tooManyCostCenters(matched.mapping.source, matched.mapping.dimension);
      }
      addDirect(code, amount);
      entries.push({ kind: 'Direct', lineIndex, costCenter: code, pool: '', amountExact: amount, rule: ruleLabel(matched.mapping.source, `${matched.mapping.dimension} ${matched.mapping.pattern}`) });
      return;
    }
    addDirect(codeOf(settings.unallocated), amount);
    entries.push({ kind: 'Unallocated', lineIndex, costCenter: codeOf(settings.unallocated), pool: '', amountExact: amount, ...(ambiguous === undefined ? { rule: 'no rule matched' } : { rule: `${ambiguous} is ambiguous (several spellings, different values)`, ambiguousTag: ambiguous }) });
  });

  // Statement order: CostCenters as listed, then codes that mappings produced, unallocated last,
  // each code once (CostCenters may list the unallocated code to give it a GL account).
  const isUnallocated = (code: string) => code === codeOf(settings.unallocated);
  const codes = [
    ...rules.costCenters.map((c) => c.costCenter).filter((c) => !isUnallocated(c)),
    ...[...extraCodes].filter((c) => !isUnallocated(c)).sort(),
    codeOf(settings.unallocated),
  ];
  const unusedTo = settings.unusedCommitments;
  if (typeof unusedTo === 'object' && !codes.includes(codeOf(unusedTo.costCenter))) codes.splice(codes.length - 1, 0, codeOf(unusedTo.costCenter));

  const pools: PoolSplit[] = [];
  for (const { definition, amount } of poolLines.values()) {
    const split = splitPool(definition, amount, rules, direct);
    pools.push(split);
    split.targets.forEach((target, i) => {
      entries.push({ kind: 'Pool share', costCenter: target, pool: split.pool, amountExact: split.sharesExact[i], rule: ruleLabel(split.source, poolBasis(split)) });
    });
  }

  const sharesExact = codes.map((code) => pools.map((p) => { const i = p.targets.indexOf(code); return i < 0 ? 0n : p.sharesExact[i]; }));
  const directExact = codes.map((code) => direct.get(code) ?? 0n);
  const totalsExact = codes.map((_, i) => directExact[i] + sharesExact[i].reduce((a, b) => a + b, 0n));

  const sourceTotalExact = lines.reduce((a, l) => a + costOf(l, metric), 0n);
  // Exact before rounding: a code counted twice or a share lost would still balance after the
  // rounding step spread the gap, so the run stops here instead (roundByLargestRemainder checks too).
  const allocatedExact = totalsExact.reduce((a, b) => a + b, 0n);
  if (allocatedExact !== sourceTotalExact || new Set(codes).size !== codes.length) {
    throw new AllocationInvariantError(`the cost centers' exact totals add up to ${formatExact(allocatedExact)} across ${codes.length} lines (${new Set(codes).size} codes), not to the source's ${formatExact(sourceTotalExact)}`);
  }
  const sourceTotal = roundToMinor(sourceTotalExact, minorDigits);
  // Rounded on the unrounded shares (over one common denominator), so near ties are told apart exactly.
  const denominator = pools.reduce((d, p) => leastCommonMultiple(d, p.sharesRatio.denominator), 1n);
  const partsRatio = codes.map((code, i) => [
    directExact[i] * denominator,
    ...pools.map((p) => {
      const at = p.targets.indexOf(code);
      return at < 0 ? 0n : p.sharesRatio.numerators[at] * (denominator / p.sharesRatio.denominator);
    }),
  ]);
  const totals = roundByLargestRemainder(partsRatio.map((parts) => parts.reduce((a, b) => a + b, 0n)), unit * denominator, sourceTotal);

  const costCenters: CostCenterCharge[] = codes.map((code, i) => {
    const parts = roundByLargestRemainder(partsRatio[i], unit * denominator, totals[i]);
    const listed = listedCenter(code);
    const budget = listed?.budget === undefined ? undefined : roundToMinor(listed.budget, minorDigits);
    const shares = parts.slice(1);
    return {
      costCenter: code,
      // the statement's Name says when a code (from a {value} mapping) is not one CostCenters lists
      name: listed?.name || (isUnallocated(code) ? 'Unallocated cost' : listed ? '' : UNLISTED_NAME),
      owner: listed?.owner ?? '',
      // Unallocated cost is posted to Settings UnallocatedAccount unless CostCenters gives the code its
      // own account: the statement, facts and showback show the account the journal posts to.
      glAccount: listed?.glAccount?.trim() || (isUnallocated(code) ? (settings.unallocatedAccount?.trim() ?? '') : ''),
      listed: listed !== undefined,
      isUnallocated: isUnallocated(code),
      directExact: directExact[i],
      totalExact: totalsExact[i],
      direct: parts[0],
      shares,
      shared: shares.reduce((a, b) => a + b, 0n),
      total: totals[i],
      budget,
      variance: budget === undefined ? undefined : totals[i] - budget,
    };
  });
  pools.forEach((pool, p) => {
    pool.amount = costCenters.reduce((a, c) => a + c.shares[p], 0n);
    pool.roundingDifference = pool.amount - roundToMinor(pool.amountExact, minorDigits);
  });

  const allocatedTotal = costCenters.reduce((a, c) => a + c.total, 0n);
  const rowsUsed = lines.reduce((a, l) => a + l.sourceRows, 0);
  return {
    period,
    currency,
    minorDigits,
    metric,
    lines,
    costCenters,
    pools,
    entries,
    sourceTotalExact,
    billedTotalExact: lines.reduce((a, l) => a + l.billedCost, 0n),
    effectiveTotalExact: lines.reduce((a, l) => a + l.effectiveCost, 0n),
    sourceTotal,
    allocatedTotal,
    unallocated: costCenters.find((c) => c.isUnallocated)?.total ?? 0n,
    rowsRead: options.rowsRead ?? allLines.reduce((a, l) => a + l.sourceRows, 0),
    rowsUsed,
    skipped,
    conversion,
  };
}

/** The Reconciliation note of a pool: what it collected, any rounding difference of its column, any fallback. */
export function poolNote(pool: PoolSplit, minorDigits: number): string {
  const m = (v: MinorUnits) => formatMinor(v, minorDigits);
  const collected = roundToMinor(pool.amountExact, minorDigits);
  const rounding =
    pool.roundingDifference === 0n
      ? ''
      : `; its shares add up to ${m(pool.amount)}, ${pool.roundingDifference > 0n ? '+' : ''}${m(pool.roundingDifference)} against the ${m(collected)} it collected, because each cost center's total is rounded, not each pool`;
  return `collected exact ${formatExact(pool.amountExact)}${rounding}${pool.fallback ? `; ${pool.fallback}` : ''}`;
}

function ruleLabel(source: RuleSource, detail: string): string {
  return `${source.table} row ${source.row}: ${detail}`;
}

function poolBasis(split: PoolSplit): string {
  return `${split.pool} split ${split.method} (${POOL_METHOD_RULES[split.method].label})${split.fallback ? `; ${split.fallback}` : ''}`;
}

function splitPool(
  definition: SharedPool | 'unused',
  amount: ExactAmount,
  rules: Rules,
  direct: Map<string, ExactAmount>,
): PoolSplit {
  // `*` is every cost center but the unallocated one: shared cost is never sent to "unclaimed".
  const allCodes = rules.costCenters.map((c) => c.costCenter).filter((c) => codeKey(c) !== codeKey(rules.settings.unallocated));
  const resolve = (targets: string[]) =>
    targets.includes('*') ? allCodes : targets.map((t) => rules.costCenters.find((c) => codeKey(c.costCenter) === codeKey(t))?.costCenter ?? t);
  const pool: Pick<SharedPool, 'pool' | 'method' | 'source' | 'targets' | 'driver'> =
    definition === 'unused' ? { pool: UNUSED_COMMITMENTS_POOL, method: 'Proportional', source: { table: 'Settings', row: 0 }, targets: ['*'], driver: '' } : definition;
  // Each method's targets and basis, from where POOL_METHOD_RULES says its basis lives.
  let targets: string[];
  let basis: ExactAmount[];
  switch (POOL_METHOD_RULES[pool.method].basis) {
    case 'none':
      targets = resolve(pool.targets);
      basis = targets.map(() => 0n);
      break;
    case 'direct cost':
      targets = resolve(pool.targets);
      basis = targets.map((code) => direct.get(code) ?? 0n);
      break;
    case 'FixedSplits': {
      const splits = rules.fixedSplits.filter((f) => f.pool.toLowerCase() === pool.pool.toLowerCase());
      targets = resolve(splits.map((f) => f.costCenter));
      basis = splits.map((f) => f.percent);
      break;
    }
    case 'Drivers': {
      const quantityOf = (code: string) =>
        rules.drivers.filter((d) => d.driver.toLowerCase() === pool.driver.toLowerCase() && codeKey(d.costCenter) === codeKey(code)).reduce((a, d) => a + d.quantity, 0n);
      // cost centers without a quantity are not the pool's targets (they would only take zero)
      targets = resolve(pool.targets).filter((code) => quantityOf(code) > 0n);
      basis = targets.map(quantityOf);
      break;
    }
  }
  const { weights, fallback, problem } = poolWeights(pool.method, basis);
  if (problem) {
    throw new RuleError([{ table: pool.source.table, row: pool.source.row, message: `pool ${pool.pool} cannot be split ${pool.method}: ${problem}` }]);
  }
  return { pool: pool.pool, method: pool.method, source: pool.source, targets, amountExact: amount, amount: 0n, roundingDifference: 0n, fallback, sharesExact: splitByWeights(amount, weights), sharesRatio: exactShares(amount, weights) };
}
