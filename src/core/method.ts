/**
 * The month's method in plain words, generated from the rule tables and the allocation: what the
 * `Method` sheet says, so anyone asking "why was I charged this?" reads the rules as sentences
 * (the guidance this product follows: document how chargeback works and be ready for questions).
 */
import { AllocationResult, UNUSED_COMMITMENTS_POOL } from './allocate';
import { formatExact, formatMinor } from './money';
import { POOL_METHOD_RULES, splitPhrase } from './pool-methods';
import { codeKey, Rules, SharedPool } from './rules';
import { isValuePlaceholder } from './match';

export interface MethodLine {
  topic: string;
  /** Where it comes from: `SharedPools row 3`, `Settings Metric`, … */
  source: string;
  text: string;
}

export function methodLines(rules: Rules, result: AllocationResult): MethodLine[] {
  const { settings } = rules;
  const m = (v: bigint) => formatMinor(v, result.minorDigits);
  const nameOf = (code: string) => {
    const center = rules.costCenters.find((c) => codeKey(c.costCenter) === codeKey(code));
    return center?.name ? `${center.costCenter} (${center.name})` : code;
  };
  const lines: MethodLine[] = [
    {
      topic: 'What is charged',
      source: 'Settings Metric',
      text:
        settings.metric === 'EffectiveCost'
          ? `${result.period} is charged at EffectiveCost: amortized, so reservations and savings plans are spread over the months they cover. ${m(result.sourceTotal)} ${result.currency} in all.`
          : `${result.period} is charged at BilledCost: as invoiced, so a reservation is charged in the month it was bought. ${m(result.sourceTotal)} ${result.currency} in all.`,
    },
    { topic: 'Order', source: 'SharedPools, Mappings', text: 'Each cost line is checked against the shared pools first, then the mappings, top to bottom; the first rule that matches decides where it goes.' },
  ];
  // The rates that turned each billing currency into the statement's, named where a reader looks for them.
  for (const converted of result.conversion?.currencies ?? []) {
    if (converted.currency === result.currency) continue;
    lines.push({
      topic: `Exchange rate ${converted.currency}`,
      source: settings.exchangeRateSource === 'Provider' ? 'Settings ExchangeRates Provider, Rates' : 'Rates',
      text: `${formatMinor(converted.source, converted.minorDigits)} ${converted.currency} billed on ${converted.lines} cost line${converted.lines === 1 ? '' : 's'} is converted to ${result.currency} at ${converted.rateLabel}: ${m(converted.converted)} ${result.currency}, exactly, rounded once.`,
    });
  }

  for (const pool of rules.sharedPools) {
    lines.push({ topic: `Shared pool ${pool.pool}`, source: `SharedPools row ${pool.source.row}`, text: `Cost whose ${pool.dimension} matches "${pool.pattern}" goes to the shared pool ${pool.pool}.` });
  }
  for (const split of result.pools) {
    const definition = rules.sharedPools.find((p) => p.pool.toLowerCase() === split.pool.toLowerCase());
    lines.push({
      topic: `Split of ${split.pool}`,
      source: split.pool === UNUSED_COMMITMENTS_POOL && !definition ? 'Settings UnusedCommitments' : `SharedPools row ${split.source.row}`,
      text: `${split.pool} collected ${m(split.amount)} this month and is split ${splitPhrase(split.method)} ${splitDetail(rules, definition, split.targets, nameOf)}.${split.fallback ? ` This month ${split.fallback}.` : ''}`,
    });
  }
  for (const mapping of rules.mappings) {
    const to = isValuePlaceholder(mapping.costCenter) ? 'the cost center whose code is the matched value itself' : nameOf(mapping.costCenter);
    lines.push({ topic: 'Direct cost', source: `Mappings row ${mapping.source.row}`, text: `Cost whose ${mapping.dimension} matches "${mapping.pattern}" is charged to ${to}.` });
  }
  const unused = settings.unusedCommitments;
  lines.push({
    topic: 'Unused commitments',
    source: 'Settings UnusedCommitments',
    text:
      unused === 'Owner'
        ? 'Unused reservations and savings plans are charged like any other cost, by the rules above.'
        : unused === 'Proportional'
          ? `Unused reservations and savings plans form the pool ${UNUSED_COMMITMENTS_POOL}, split in proportion to direct cost among all cost centers.`
          : `Unused reservations and savings plans are charged to ${nameOf(unused.costCenter)}.`,
  });
  lines.push({ topic: 'Unallocated', source: 'Settings Unallocated', text: `Cost no rule matches is charged to ${settings.unallocated}, shown as its own line and never hidden: ${m(result.unallocated)} this month.` });
  lines.push({
    topic: 'Rounding',
    source: 'Chargeback',
    text: `Each cost center's total is rounded to ${result.minorDigits} decimals by largest remainder, so the totals add up exactly to ${m(result.sourceTotal)}, and direct cost plus shares equals the total on every line.`,
  });
  lines.push({ topic: 'Budget', source: 'CostCenters Budget', text: 'Variance is the total charged minus the cost center\'s monthly Budget: above zero is over budget.' });
  if (settings.clearingAccount) {
    lines.push({ topic: 'Journal', source: 'CostCenters GLAccount, Settings ClearingAccount', text: `The journal debits each cost center's GL account and credits clearing account ${settings.clearingAccount} with the total.` });
  }
  for (const parent of rules.costCenters.filter((c) => rules.costCenters.some((child) => child.parent && codeKey(child.parent) === codeKey(c.costCenter)))) {
    const children = rules.costCenters.filter((child) => child.parent && codeKey(child.parent) === codeKey(parent.costCenter)).map((c) => c.costCenter);
    lines.push({ topic: 'Hierarchy', source: 'CostCenters Parent', text: `${nameOf(parent.costCenter)} rolls up ${children.join(', ')} in reports.` });
  }
  return lines;
}

/** Among whom, and on what basis, a pool is split, in words. */
function splitDetail(rules: Rules, pool: SharedPool | undefined, targets: readonly string[], nameOf: (code: string) => string): string {
  const list = (codes: readonly string[]) => codes.map(nameOf).join(', ');
  const basis = pool ? POOL_METHOD_RULES[pool.method].basis : 'direct cost';
  if (basis === 'FixedSplits' && pool) {
    const splits = rules.fixedSplits.filter((f) => f.pool.toLowerCase() === pool.pool.toLowerCase());
    return `(FixedSplits): ${splits.map((f) => `${nameOf(f.costCenter)} ${formatExact(f.percent)}%`).join(', ')}`;
  }
  if (basis === 'Drivers' && pool) {
    const quantities = rules.drivers.filter((d) => d.driver.toLowerCase() === pool.driver.toLowerCase());
    return `of ${pool.driver} (Drivers): ${quantities.map((d) => `${nameOf(d.costCenter)} ${formatExact(d.quantity)}`).join(', ')}`;
  }
  const everyone = pool ? pool.targets.includes('*') : true;
  return everyone ? `among every cost center (${targets.length})` : `among ${list(targets)}`;
}
