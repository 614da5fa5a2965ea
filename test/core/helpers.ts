import { CostLine } from '../../src/core/costs';
import { parseExact } from '../../src/core/money';
import { RuleTables } from '../../src/core/rules';

/** A cost line for tests: amounts as decimal text, both metrics equal unless given. */
export function line(dimensions: Record<string, string>, effective: string, extra: Partial<CostLine> & { billed?: string } = {}): CostLine {
  const { billed, ...rest } = extra;
  return {
    billingPeriod: '2026-10',
    currency: 'USD',
    chargeCategory: 'Usage',
    commitmentDiscountStatus: '',
    dimensions,
    billedCost: parseExact(billed ?? effective)!,
    effectiveCost: parseExact(effective)!,
    sourceRows: 1,
    ...rest,
  };
}

export const threeTeams: RuleTables = {
  CostCenters: [
    { CostCenter: 'CC-A', Name: 'Team A', Owner: 'a@example.com', GLAccount: '6100', Budget: 100 },
    { CostCenter: 'CC-B', Name: 'Team B', Owner: 'b@example.com', GLAccount: '6100', Budget: 100 },
    { CostCenter: 'CC-C', Name: 'Team C', Owner: 'c@example.com', GLAccount: '6100', Budget: 100 },
  ],
  Mappings: [
    { Dimension: 'SubAccountName', Pattern: 'team-a*', CostCenter: 'CC-A' },
    { Dimension: 'SubAccountName', Pattern: 'team-b*', CostCenter: 'CC-B' },
    { Dimension: 'SubAccountName', Pattern: 'team-c*', CostCenter: 'CC-C' },
  ],
};
