/**
 * The month-end on the Office.js gateway over the in-memory Excel: the sample's rules, its
 * October costs pulled and allocated, as the task pane does it in Excel.
 */
import { AllocationResult } from '../../src/core/allocate';
import type { TaskPaneHost } from '../../src/taskpane/host';
import { taskPaneOperations } from '../../src/taskpane/operations';
import { OfficeGateway } from '../../src/workbook/office-gateway';
import { allocateWorkbook, pullCosts, StepContext, writeRuleTables } from '../../src/workbook/steps';
import { FakeExcel } from '../workbook/fake-excel';
import { sampleOctober } from './sample';

export async function sampleMonthEndOnOffice(context: StepContext): Promise<{ excel: FakeExcel; gateway: OfficeGateway; result: AllocationResult }> {
  const excel = new FakeExcel();
  const gateway = new OfficeGateway({ run: excel.run });
  const { tables, ingest, october } = await sampleOctober();
  await writeRuleTables(gateway, tables);
  await pullCosts(gateway, { ...ingest, lines: october }, context);
  const result = await allocateWorkbook(gateway, context, { period: '2026-10' });
  return { excel, gateway, result };
}

/** The task pane's operations over the Office gateway, as index.tsx wires them in Excel. */
export function paneOperations(gateway: OfficeGateway) {
  const host: TaskPaneHost = {
    gateway,
    ingest: () => {
      throw new Error('not used');
    },
    loadSample: () => Promise.reject(new Error('not used')),
    selectCell: (table, row, column) => gateway.selectCell(table, row, column),
    selectRange: (where) => gateway.selectRange(where),
    reviewer: { signedIn: async () => undefined, remembered: () => '', remember: () => undefined },
  };
  return taskPaneOperations(host, async () => 'Pat Preparer');
}
