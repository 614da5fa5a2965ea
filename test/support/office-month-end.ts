/**
 * The month-end on the Office.js gateway over the in-memory Excel: the sample's rules, its
 * October costs pulled and allocated, as the task pane does it in Excel.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AllocationResult } from '../../src/core/allocate';
import { ingestFocus } from '../../src/core/ingest';
import { parseRules, ruleTablesFromJson } from '../../src/core/rules';
import { costFilesAt } from '../../src/sources/node-files';
import { OfficeGateway } from '../../src/workbook/office-gateway';
import { allocateWorkbook, grainDimensions, pullCosts, StepContext, writeRuleTables } from '../../src/workbook/steps';
import { FakeExcel } from '../workbook/fake-excel';

export const SAMPLE = path.join(__dirname, '..', '..', 'assets', 'sample');

export async function sampleMonthEndOnOffice(context: StepContext): Promise<{ excel: FakeExcel; gateway: OfficeGateway; result: AllocationResult }> {
  const excel = new FakeExcel();
  const gateway = new OfficeGateway({ run: excel.run });
  const tables = ruleTablesFromJson(JSON.parse(await readFile(path.join(SAMPLE, 'rules.json'), 'utf8')));
  await writeRuleTables(gateway, tables);
  const files = (await costFilesAt(SAMPLE)).filter((f) => f.name.includes('focus-'));
  const ingest = await ingestFocus(files, { dimensions: grainDimensions(parseRules(tables)) });
  await pullCosts(gateway, { ...ingest, lines: ingest.lines.filter((l) => l.billingPeriod === '2026-10') }, context);
  const result = await allocateWorkbook(gateway, context, { period: '2026-10' });
  return { excel, gateway, result };
}
