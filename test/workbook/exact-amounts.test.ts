/**
 * Exact money in the workbook path. Excel holds numbers as doubles (15 significant digits), so the
 * Costs table keeps each amount exactly, as text, beside the number; every host allocates from what
 * the workbook holds. 100,000 lines with 10 decimals, whose doubles would each lose 0.0000004,
 * through the Office.js path and the command line's (ExcelJS, saved and opened again): identical
 * statements, equal to the engine on the exact amounts, to the cent.
 */
import { allocate } from '../../src/core/allocate';
import { CostLine } from '../../src/core/costs';
import { IngestResult } from '../../src/core/ingest';
import { exactToNumber, parseExact } from '../../src/core/money';
import { parseRules, RuleTables } from '../../src/core/rules';
import { OfficeGateway } from '../../src/workbook/office-gateway';
import { ExcelJsFileGateway } from '../../src/workbook/xlsx-large-tables';
import { allocateWorkbook, allocationSummary, pullCosts, writeRuleTables } from '../../src/workbook/steps';
import { threeTeams } from '../core/helpers';
import { FakeExcel } from './fake-excel';

jest.setTimeout(300_000);

const LINES = 100_000;
const context = { user: 'test', now: () => new Date('2026-11-03T09:00:00Z') };
const rules: RuleTables = {
  ...threeTeams,
  SharedPools: [{ Pool: 'Network', Dimension: 'ServiceCategory', Pattern: 'Networking', Method: 'Proportional', Targets: '*' }],
};

/** 123,456,789.1234564xyz: fifteen significant digits keep 123456789.123456, 0.0000004 short. */
function lines(): CostLine[] {
  return Array.from({ length: LINES }, (_, i) => {
    const amount = `${123_456_789 + (i % 1000)}.1234564${String(i % 1000).padStart(3, '0')}`;
    return {
      billingPeriod: '2026-10',
      currency: 'USD',
      chargeCategory: 'Usage',
      commitmentDiscountStatus: '',
      dimensions: { ProviderName: 'Microsoft', SubAccountName: `team-${'abc'[i % 3]}-${i}`, ServiceCategory: i % 10 === 0 ? 'Networking' : 'Compute', ServiceName: 'Virtual Machines' },
      billedCost: parseExact(amount)!,
      effectiveCost: parseExact(amount)!,
      sourceRows: 1,
    };
  });
}

const ingest = (costLines: CostLine[]): IngestResult =>
  ({ lines: costLines, dimensions: ['ProviderName', 'SubAccountName', 'ServiceCategory', 'ServiceName'], rowsRead: costLines.length, files: [{ name: 'generated.csv' }] }) as unknown as IngestResult;

it('gives identical statements through Excel (Office.js) and the command line (ExcelJS), exact to the cent', async () => {
  const costLines = lines();
  const exact = allocationSummary(allocate(costLines, parseRules(rules), { period: '2026-10', rowsRead: LINES }));
  // What allocating from the doubles alone would have given: a different statement.
  const asDoubles = costLines.map((l) => ({ ...l, effectiveCost: parseExact(String(exactToNumber(l.effectiveCost)))!, billedCost: parseExact(String(exactToNumber(l.billedCost)))! }));
  expect(allocationSummary(allocate(asDoubles, parseRules(rules), { period: '2026-10', rowsRead: LINES })).sourceTotal).not.toBe(exact.sourceTotal);

  const excel = new FakeExcel();
  const office = new OfficeGateway({ run: excel.run });
  await writeRuleTables(office, rules);
  await pullCosts(office, ingest(costLines), context);
  const inExcel = allocationSummary(await allocateWorkbook(office, context, { period: '2026-10', rowsRead: LINES }));

  // The command line's workbook file: Costs streamed out and back in.
  const book = new ExcelJsFileGateway();
  await writeRuleTables(book, rules);
  await pullCosts(book, ingest(costLines), context);
  const reopened = await ExcelJsFileGateway.fromBytes(await book.toBytes());
  const onTheCommandLine = allocationSummary(await allocateWorkbook(reopened, context, { period: '2026-10', rowsRead: LINES }));

  expect(inExcel).toEqual(exact);
  expect(onTheCommandLine).toEqual(exact);
});
