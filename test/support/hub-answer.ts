/** What a FinOps hub holding given cost lines answers, for the local hub (kusto-server.ts): the command line's and the pane's tests share it. */
import type { CostLine } from '../../src/core/costs';
import { grainKeys } from '../../src/core/grain';
import { formatExact, parseExact } from '../../src/core/money';
import type { HubRow } from './kusto-server';

/**
 * The periods query answered with each period's rows, and the grain query with the cost lines of
 * the asked period as grain rows (decimal sums as text, as todecimal() then tostring() give them).
 */
export function hubAnswer(lines: readonly CostLine[], dimensions: readonly string[]) {
  return (csl: string, parameters: Record<string, string>) => {
    if (csl.includes('order by BillingPeriod')) {
      const periods = [...new Set(lines.map((l) => l.billingPeriod))].sort().reverse();
      return {
        columns: [['BillingPeriod', 'string'], ['source_rows', 'long']] as [string, string][],
        rows: periods.map((p) => ({ BillingPeriod: p, source_rows: lines.filter((l) => l.billingPeriod === p).reduce((a, l) => a + l.sourceRows, 0) })),
      };
    }
    const period = /^datetime\((\d{4}-\d{2})/.exec(parameters.periodStart)![1];
    const keyCount = /^\| extend (k0 = .*)$/m.exec(csl)![1].split(/, k\d+ = /).length;
    const asked = keyCount - 4 === dimensions.length ? grainKeys(dimensions).slice(4).map((k) => k.name) : [];
    const columns: [string, string][] = [...Array.from({ length: keyCount }, (_, i): [string, string] => [`k${i}`, 'string']), ['billed', 'string'], ['effective', 'string'], ['source_rows', 'long'], ['missing_amounts', 'long']];
    const groups = new Map<string, HubRow>();
    for (const line of lines.filter((l) => l.billingPeriod === period)) {
      const keys = [line.billingPeriod, line.currency, line.chargeCategory, line.commitmentDiscountStatus, ...asked.map((d) => line.dimensions[d])];
      const id = keys.join('\u001f');
      const row = groups.get(id) ?? { ...Object.fromEntries(keys.map((k, i) => [`k${i}`, k])), billed: '0', effective: '0', source_rows: 0, missing_amounts: 0 };
      row.billed = formatExact(parseExact(row.billed as string)! + line.billedCost);
      row.effective = formatExact(parseExact(row.effective as string)! + line.effectiveCost);
      row.source_rows = (row.source_rows as number) + line.sourceRows;
      groups.set(id, row);
    }
    return { columns, rows: [...groups.values()] };
  };
}
