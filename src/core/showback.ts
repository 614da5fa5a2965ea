/**
 * Showback: one statement per cost center, for its owner. It holds that cost center's figures
 * only — its total, its direct cost lines by provider, sub-account and service, its share of each
 * pool with the pool's total and the rule that sent it, its budget and the month before — and
 * nothing of any other cost center. Every figure adds up to the published statement to the cent.
 */
import { AllocationResult, CostCenterCharge, PoolSplit } from './allocate';
import { dimensionValue } from './costs';
import { formatExact, formatMinor, MinorUnits, minorUnitSize, roundToMinor } from './money';
import { POOL_METHOD_RULES, splitPhrase } from './pool-methods';
import { codeKey, Rules } from './rules';
import { roundByLargestRemainder } from './split';

/** The direct cost a statement groups by: who billed it, which account, which service. */
export const SHOWBACK_LINE_DIMENSIONS = ['ProviderName', 'SubAccountName', 'ServiceName'] as const;

export interface ShowbackLine {
  provider: string;
  subAccount: string;
  service: string;
  /** The rule that sent the cost here ("Mappings row 2: SubAccountName team-a", or "no rule matched"). */
  rule: string;
  amount: MinorUnits;
}

export interface ShowbackShare {
  pool: string;
  method: string;
  /** What the pool collected this month, as the statement shows it (the sum of its shares). */
  poolTotal: MinorUnits;
  /** This cost center's share of what the pool collected, as printed: "18.2%", or "—" when the pool collected nothing. */
  sharePercent: string;
  /** What the share is in proportion to, for this cost center ("your direct cost 150.00 of 200.00"). */
  basis: string;
  rule: string;
  amount: MinorUnits;
  /** The sentence the owner reads: "Network 90.00 split in proportion to direct cost; your share 75%". */
  explanation: string;
}

export interface ShowbackStatement {
  period: string;
  version: number;
  currency: string;
  minorDigits: number;
  metric: string;
  costCenter: string;
  name: string;
  owner: string;
  glAccount: string;
  parent: string;
  direct: MinorUnits;
  shared: MinorUnits;
  total: MinorUnits;
  budget?: MinorUnits;
  variance?: MinorUnits;
  /** The same cost center's total in the month before, from that month's published statement. */
  previous?: { period: string; total: MinorUnits };
  lines: ShowbackLine[];
  shares: ShowbackShare[];
  approvedBy: string;
  approvedAt: string;
}

export interface ShowbackContext {
  version: number;
  approvedBy: string;
  approvedAt: string;
  /** Totals per cost center code of the month before, when it was published. */
  previous?: { period: string; totals: Map<string, MinorUnits> };
  /** Keep direct cost lines and pool shares of 0.00 (left out by default: an owner reads what they pay for). */
  includeZeroLines?: boolean;
}

/** One statement per line of the chargeback statement, in its order. */
export function showbackStatements(result: AllocationResult, rules: Rules, context: ShowbackContext): ShowbackStatement[] {
  return result.costCenters.map((charge) => showbackStatement(result, rules, charge, context));
}

function showbackStatement(result: AllocationResult, rules: Rules, charge: CostCenterCharge, context: ShowbackContext): ShowbackStatement {
  const listed = rules.costCenters.find((c) => codeKey(c.costCenter) === codeKey(charge.costCenter));
  const previousTotal = context.previous?.totals.get(codeKey(charge.costCenter));
  return {
    period: result.period,
    version: context.version,
    currency: result.currency,
    minorDigits: result.minorDigits,
    metric: result.metric,
    costCenter: charge.costCenter,
    name: charge.name,
    owner: charge.owner,
    glAccount: charge.glAccount,
    parent: listed?.parent ?? '',
    direct: charge.direct,
    shared: charge.shared,
    total: charge.total,
    budget: charge.budget,
    variance: charge.variance,
    previous: context.previous && previousTotal !== undefined ? { period: context.previous.period, total: previousTotal } : undefined,
    lines: directLines(result, charge).filter((line) => context.includeZeroLines || line.amount !== 0n),
    shares: poolShares(result, rules, charge).filter((share) => context.includeZeroLines || share.amount !== 0n),
    approvedBy: context.approvedBy,
    approvedAt: context.approvedAt,
  };
}

/**
 * The cost center's direct cost by provider, sub-account, service and rule, rounded by largest
 * remainder to the statement's Direct figure, so the lines add up to it exactly.
 */
function directLines(result: AllocationResult, charge: CostCenterCharge): ShowbackLine[] {
  const groups = new Map<string, Omit<ShowbackLine, 'amount'> & { exact: bigint }>();
  for (const entry of result.entries) {
    if ((entry.kind !== 'Direct' && entry.kind !== 'Unallocated') || entry.costCenter !== charge.costCenter || entry.lineIndex === undefined) continue;
    const line = result.lines[entry.lineIndex];
    const [provider, subAccount, service] = SHOWBACK_LINE_DIMENSIONS.map((d) => dimensionValue(line, d));
    const key = [provider, subAccount, service, entry.rule].join('\u001f');
    const group = groups.get(key) ?? { provider, subAccount, service, rule: entry.rule, exact: 0n };
    group.exact += entry.amountExact;
    groups.set(key, group);
  }
  const sorted = [...groups.values()].sort((a, b) => compareText(a.provider, b.provider) || compareText(a.subAccount, b.subAccount) || compareText(a.service, b.service) || compareText(a.rule, b.rule));
  const rounded = roundByLargestRemainder(sorted.map((g) => g.exact), minorUnitSize(result.minorDigits), charge.direct);
  return sorted.map(({ exact: _exact, ...group }, i) => ({ ...group, amount: rounded[i] }));
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Each pool the cost center takes a share of (or is a target of), with the pool's total and basis. */
function poolShares(result: AllocationResult, rules: Rules, charge: CostCenterCharge): ShowbackShare[] {
  const shares: ShowbackShare[] = [];
  result.pools.forEach((pool, p) => {
    const at = pool.targets.indexOf(charge.costCenter);
    if (at < 0) return;
    const m = (v: MinorUnits) => formatMinor(v, result.minorDigits);
    const sharePercent = pool.amountExact === 0n ? '—' : `${percentOf(pool.sharesExact[at], pool.amountExact)}%`;
    const amount = charge.shares[p];
    const split = `split ${splitPhrase(pool.method)}${pool.fallback ? ` (${pool.fallback})` : ''}`;
    shares.push({
      pool: pool.pool,
      method: pool.method,
      poolTotal: pool.amount,
      sharePercent,
      basis: basisOf(result, rules, pool, at),
      rule: pool.source.row > 0 ? `${pool.source.table} row ${pool.source.row}` : `${pool.source.table} UnusedCommitments`,
      amount,
      explanation:
        pool.amountExact === 0n
          ? `${pool.pool} collected nothing this month (it is ${split}); your share ${groupThousands(m(amount))}`
          : `${pool.pool} ${groupThousands(m(pool.amount))} ${split}; your share ${sharePercent} = ${groupThousands(m(amount))}`,
    });
  });
  return shares;
}

/** What this target's share is in proportion to, in its own figures and the pool's totals only. */
function basisOf(result: AllocationResult, rules: Rules, pool: PoolSplit, at: number): string {
  if (pool.fallback) return pool.fallback;
  const code = pool.targets[at];
  switch (POOL_METHOD_RULES[pool.method].basis) {
    case 'none':
      return `one of ${pool.targets.length} equal shares`;
    case 'direct cost': {
      const directOf = (target: string) => result.costCenters.find((c) => c.costCenter === target)?.directExact ?? 0n;
      const weight = (target: string) => (directOf(target) > 0n ? directOf(target) : 0n);
      const all = pool.targets.reduce((a, t) => a + weight(t), 0n);
      const money = (v: bigint) => groupThousands(formatMinor(roundToMinor(v, result.minorDigits), result.minorDigits));
      return `your direct cost ${money(weight(code))} of the ${money(all)} of all ${pool.targets.length} targets`;
    }
    case 'FixedSplits': {
      const split = rules.fixedSplits.find((f) => f.pool.toLowerCase() === pool.pool.toLowerCase() && codeKey(f.costCenter) === codeKey(code));
      return `a fixed ${split ? formatExact(split.percent) : '0'}% (FixedSplits)`;
    }
    case 'Drivers': {
      const driver = rules.sharedPools.find((s) => s.pool.toLowerCase() === pool.pool.toLowerCase())?.driver ?? '';
      const quantityOf = (target: string) =>
        rules.drivers.filter((d) => d.driver.toLowerCase() === driver.toLowerCase() && codeKey(d.costCenter) === codeKey(target)).reduce((a, d) => a + d.quantity, 0n);
      const all = pool.targets.reduce((a, t) => a + quantityOf(t), 0n);
      return `${driver} quantity ${formatExact(quantityOf(code))} of ${formatExact(all)}`;
    }
  }
}

/** `part / whole` as a percent with up to one decimal ("18.2"), half away from zero; "0" for an empty pool. */
export function percentOf(part: bigint, whole: bigint): string {
  if (whole === 0n) return '0';
  const abs = (v: bigint) => (v < 0n ? -v : v);
  const tenths = (abs(part) * 2000n + abs(whole)) / (2n * abs(whole));
  const text = `${tenths / 10n}${tenths % 10n === 0n ? '' : `.${tenths % 10n}`}`;
  return tenths !== 0n && (part < 0n) !== (whole < 0n) ? `-${text}` : text;
}

/** "1234567.50" as "1,234,567.50", for the printed page (the figures themselves stay plain). */
export function groupThousands(decimal: string): string {
  const [whole, fraction] = decimal.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = whole.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${digits}${fraction !== undefined ? `.${fraction}` : ''}`;
}

/**
 * A file name for a cost center's statement: its code with anything a share path or a file
 * system may refuse replaced by `_`, and a number when two codes come out the same.
 */
export function showbackFileStems(codes: readonly string[]): string[] {
  const used = new Set<string>();
  return codes.map((code) => {
    const base = code.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';
    let stem = base;
    for (let n = 2; used.has(stem.toLowerCase()); n++) stem = `${base}-${n}`;
    used.add(stem.toLowerCase());
    return stem;
  });
}
