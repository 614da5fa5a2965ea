import { approveWorkbook, approvalState, reviewWorkbook } from '../../src/workbook/approval';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { readingOnce, WorkbookGateway } from '../../src/workbook/gateway';
import { allocatedBook, reviewer } from '../support/approved-book';

/** The gateway, counting the reads of each table. */
function counting(gateway: ExcelJsGateway): { gateway: WorkbookGateway; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  const count = (names: readonly string[]) => names.forEach((name) => reads.set(name, (reads.get(name) ?? 0) + 1));
  const counted: WorkbookGateway = {
    tableNames: () => gateway.tableNames(),
    readTable: (name) => {
      count([name]);
      return gateway.readTable(name);
    },
    readTables: (names) => {
      count(names);
      return gateway.readTables(names);
    },
    commit: (change) => gateway.commit(change),
    writeTables: (tables) => gateway.writeTables(tables),
    appendRows: (table, columns, rows) => gateway.appendRows(table, columns, rows),
  };
  return { gateway: counted, reads };
}

describe('reading each table once', () => {
  it('reads a table again only after it is written through it', async () => {
    const { gateway, reads } = counting(await allocatedBook());
    const once = readingOnce(gateway);
    const costs = await once.readTable('Costs');
    expect(await once.readTable('Costs')).toBe(costs);
    expect(await once.readTable('NoSuchTable')).toBeUndefined();
    expect(await once.readTable('NoSuchTable')).toBeUndefined();
    expect([reads.get('Costs'), reads.get('NoSuchTable')]).toEqual([1, 1]);

    await once.writeTables([{ name: 'Costs', columns: [{ header: 'A' }], rows: [['x']] }]);
    expect((await once.readTable('Costs'))!.rows).toEqual([['x']]);
    await once.appendRows('Costs', [{ header: 'A' }], [['y']]);
    expect((await once.readTable('Costs'))!.rows).toEqual([['x'], ['y']]);
    expect(reads.get('Costs')).toBe(3);
  });

  it('lets the review and the approval digest after it share their reads of Costs', async () => {
    const book = await allocatedBook();
    await approveWorkbook(book, reviewer);
    const { gateway, reads } = counting(book);
    const once = readingOnce(gateway);
    const review = await reviewWorkbook(once);
    const state = await approvalState(once, review.result.period);
    expect(state.status).toBe('approved');
    expect(reads.get('Costs')).toBe(1);
    expect(await approvalState(book, review.result.period)).toEqual(state);
  });
});
