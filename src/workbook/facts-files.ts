/**
 * The facts a publish writes under `facts/` of the share, each table as Parquet (for Power BI
 * and warehouses) and as CSV (for anyone with a spreadsheet), partitioned by period:
 * `facts/parquet/<table>/period=<YYYY-MM>/<table>-<YYYY-MM>-v<N>.parquet` (and `facts/csv/…` for CSV). Each version adds its own
 * files; nothing is ever rewritten (the share only creates).
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { BasicType } from 'hyparquet-writer';
import { AllocationResult } from '../core/allocate';
import { csvBytes, csvNumber, CsvCell } from '../core/csv-write';
import { FACT_TABLE_NAMES, FACT_TABLES, FactCell, FactColumnType, FactContext, factPath, factTableRows } from '../core/facts';
import { Artifact } from '../core/publication';
import { Rules } from '../core/rules';

const PARQUET_TYPE: Record<FactColumnType, BasicType> = { text: 'STRING', amount: 'STRING', exact: 'STRING', integer: 'INT32', boolean: 'BOOLEAN' };

/**
 * The version's fact files: for each table its Parquet file, then its CSV. The tables are made one
 * at a time, each as its columns (what Parquet takes), read a row at a time: the allocation
 * detail is as long as the Costs table, and its rows are never held as rows as well.
 */
export function factArtifacts(result: AllocationResult, rules: Rules, context: FactContext): Artifact[] {
  return FACT_TABLE_NAMES.flatMap((table) => {
    const columns = FACT_TABLES[table];
    const data: FactCell[][] = columns.map(() => []);
    let rowCount = 0;
    for (const row of factTableRows(table, result, rules, context)) {
      for (let i = 0; i < columns.length; i++) data[i].push(row[i]);
      rowCount++;
    }
    const parquet = parquetWriteBuffer({
      columnData: columns.map((column, i) => ({ name: column.name, type: PARQUET_TYPE[column.type], data: data[i] })),
      kvMetadata: [{ key: 'chargeback.period', value: result.period }, { key: 'chargeback.version', value: String(context.version) }],
      createdBy: 'chargeback-for-excel',
    });
    const csvCell = (cell: FactCell, type: FactColumnType): CsvCell => (cell === null ? null : type === 'amount' || type === 'exact' ? csvNumber(String(cell)) : typeof cell === 'boolean' ? (cell ? 'true' : 'false') : cell);
    function* csvRows() {
      for (let r = 0; r < rowCount; r++) yield columns.map((column, i) => csvCell(data[i][r], column.type));
    }
    const csv = csvBytes(
      columns.map((c) => c.name),
      csvRows(),
    );
    return [
      { name: factPath(table, result.period, context.version, 'parquet'), bytes: new Uint8Array(parquet), contentType: 'application/vnd.apache.parquet' },
      { name: factPath(table, result.period, context.version, 'csv'), bytes: csv, contentType: 'text/csv; charset=utf-8' },
    ];
  });
}
