/**
 * The Office.js write plan for the `Costs` table at a given number of aggregated cost lines:
 * `context.sync()` calls and the largest request payload, from the Office.js gateway's own
 * request planner (the one its writeTables follows and counts).
 */
import { CostLine } from '../src/core/costs';
import { costsTable } from '../src/workbook/layout';
import { planWriteRequests, WriteRequestPlan } from '../src/workbook/office-gateway';

/** Cost lines shaped like the generated data's: Azure-style names, costs with 10 decimals. */
export function syntheticCostLines(count: number, dimensions: readonly string[]): CostLine[] {
  return Array.from({ length: count }, (_, i) => ({
    billingPeriod: '2026-10',
    currency: 'USD',
    chargeCategory: i % 20 === 0 ? 'Purchase' : 'Usage',
    commitmentDiscountStatus: i % 7 === 0 ? 'Used' : '',
    dimensions: Object.fromEntries(
      dimensions.map((d, j) => [d, d === 'Tag:costcenter' ? `CC-${100 + (i % 12) * 10}` : d === 'ProviderName' ? 'Microsoft' : `${d.toLowerCase().slice(0, 8)}-value-${(i * (j + 7)) % 5000}`]),
    ),
    billedCost: BigInt(i + 1) * 1234567891234n * 10n ** 5n,
    effectiveCost: BigInt(i + 1) * 987654321987n * 10n ** 5n,
    sourceRows: 1 + (i % 500),
  }));
}

export function costsWritePlan(lineCount: number, dimensions: readonly string[]): WriteRequestPlan & { totalBytes: number } {
  const plan = planWriteRequests([costsTable(syntheticCostLines(lineCount, dimensions), dimensions)]);
  return { ...plan, totalBytes: plan.requests.reduce((a, r) => a + r.bytes, 0) };
}

/** The grain the bench and the write-plan report use: the defaults plus the sample rules' dimensions. */
export const BENCH_GRAIN = ['ProviderName', 'SubAccountName', 'ServiceCategory', 'ServiceName', 'Tag:costcenter', 'x_ResourceGroupName'];
