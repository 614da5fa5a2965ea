/**
 * A month billed in USD and EUR, charged back in USD, on the Office.js gateway over the strict fake
 * Excel: the pull, the allocation (which adds the conversion beside each cost line), a second
 * allocation over the widened Costs table, the review and the approval all in Excel's terms.
 */
import { approveWorkbook, reviewWorkbook, verifyWorkbook } from '../../src/workbook/approval';
import { allocateWorkbook } from '../../src/workbook/steps';
import { clock, reviewer } from '../support/approved-book';
import { sampleMonthEndOnOffice } from '../support/office-month-end';

const preparer = { user: 'Pat Preparer', now: clock('2026-11-03T09:00:00Z') };

describe('the sample month in two billing currencies on the Office.js gateway', () => {
  it('reconciles each billing currency, keeps what was billed beside the converted amount, and approves', async () => {
    const { excel, gateway, result } = await sampleMonthEndOnOffice(preparer);
    expect(result.currency).toBe('USD');
    expect(result.conversion!.currencies.map((c) => c.currency)).toEqual(['EUR', 'USD']);

    const reconciliation = excel.tableRows('Reconciliation');
    const row = (check: string) => reconciliation.find((r) => r[0] === check)!;
    expect(row('Rate EUR → USD')[3]).toBe('EUR→USD 1.0825 (Rates row 3, Treasury month-end)');
    expect(row('Difference EUR')[1]).toBe(0);
    expect(row('Difference')[1]).toBe(0);
    // EUR source × 1.0825, rounded once, is the converted total (figures to the cent, as Excel holds them)
    expect(Math.round(Number(row('Source in EUR')[1]) * 1.0825 * 100) / 100).toBeCloseTo(Number(row('Converted from EUR')[1]), 2);

    const headers = excel.tableHeaders('Costs');
    expect(headers.slice(-6)).toEqual(['ReportingCurrency', 'ExchangeRate', 'ReportingBilledCost', 'ReportingEffectiveCost', 'ReportingBilledCostExact', 'ReportingEffectiveCostExact']);
    const costs = excel.tableRows('Costs');
    const euro = costs.filter((r) => r[headers.indexOf('BillingCurrency')] === 'EUR');
    expect(euro.length).toBeGreaterThan(0);
    for (const r of euro) expect(r[headers.indexOf('ExchangeRate')]).toBe('EUR→USD 1.0825 (Rates row 3, Treasury month-end)');
    expect(new Set(costs.map((r) => r[headers.indexOf('ReportingCurrency')]))).toEqual(new Set(['USD']));

    // Allocating again reads the widened Costs table back as the same cost lines: the same statement.
    const again = await allocateWorkbook(gateway, preparer, { period: '2026-10' });
    expect(again.costCenters.map((c) => c.total)).toEqual(result.costCenters.map((c) => c.total));
    expect(excel.tableHeaders('Costs')).toEqual(headers);

    const review = await reviewWorkbook(gateway);
    expect(review.blocking).toBe(false);
    await approveWorkbook(gateway, reviewer);
    expect((await verifyWorkbook(gateway)).ok).toBe(true);
  });
});
