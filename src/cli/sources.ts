/**
 * Where the command line's cost lines come from: FOCUS files read in process (the default),
 * the same files summed by embedded DuckDB (`--engine duckdb`), or a FinOps hub queried where the
 * data lives (`--source kusto://CLUSTER/DATABASE`) or a T-SQL warehouse (`--source fabric://SERVER/DATABASE?table=...`). Each gives an IngestResult; the pull step
 * takes it unchanged. Also `chargeback sources test SOURCE --period P`.
 */
import type { TokenCredential } from '@azure/identity';
import { formatExact } from '../core/money';
import { ingestFocus, IngestProgress, IngestResult } from '../core/ingest';
import { workerSplit } from '../sources/ingest-workers';
import { azureExportCosts } from '../sources/azure-blob';
import { ingestWithDuckDb } from '../sources/duckdb-engine';
import { FinOpsHub, HUB_ENGINE, hubLocationOf, hubPeriods, ingestFromHub } from '../sources/kusto-hub';
import { ingestFromWarehouse, SqlWarehouse, WAREHOUSE_ENGINE, warehouseLocationOf, warehousePeriods } from '../sources/fabric-sql';
import { localExportCosts } from '../sources/node-files';
import { isUrl } from '../shares/blob-url';
import { CostFile } from '../core/ingest';
import { InputError } from './failures';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const ENGINES = ['in-process', 'duckdb'] as const;
export type Engine = (typeof ENGINES)[number];

export interface CostSourceOptions {
  /** FOCUS files, folders or Azure Blob export URLs. */
  costs: string[];
  /** A FinOps hub instead of files. */
  source?: string;
  engine?: Engine;
  period?: string;
  dimensions: readonly string[];
  /** Dimensions a file may lack (kept only to show where money came from; no rule names them). */
  optionalDimensions?: readonly string[];
  /** Sign-in for a hub; DefaultAzureCredential when not given. */
  credential?: TokenCredential;
  onProgress?: (progress: IngestProgress) => void;
  onNotice?: (message: string) => void;
}

/** A hub connection for a `--source`, signed in with the given credential or DefaultAzureCredential. */
export async function hubAt(source: string, options: Pick<CostSourceOptions, 'credential' | 'onNotice'>): Promise<FinOpsHub> {
  const location = hubLocationOf(source);
  if (!location) {
    if (/^databricks:\/\//i.test(source)) throw new InputError(`${source}: SQL warehouse sources are not connected yet; the grain query for them is in docs/sources.md`);
    throw new InputError(`${source}: not a FinOps hub (expected kusto://CLUSTER/DATABASE or https://CLUSTER/DATABASE)`);
  }
  const credential = options.credential ?? new (await import('@azure/identity')).DefaultAzureCredential();
  return new FinOpsHub(location, { credential, onNotice: options.onNotice });
}

/** A warehouse connection for a `fabric://` source (undefined for any other), signed in as hubAt signs in. */
export async function warehouseAt(source: string, options: Pick<CostSourceOptions, 'credential' | 'onNotice'>): Promise<SqlWarehouse | undefined> {
  let location;
  try {
    location = warehouseLocationOf(source);
  } catch (error) {
    throw new InputError(`${source}: ${(error as Error).message}`);
  }
  if (!location) return undefined;
  const credential = options.credential ?? new (await import('@azure/identity')).DefaultAzureCredential();
  return new SqlWarehouse(location, { credential, onNotice: options.onNotice });
}

/** The cost lines at allocation grain from wherever the options say. */
export async function costLinesFrom(options: CostSourceOptions): Promise<IngestResult> {
  if (options.source) {
    if (!options.period) throw new InputError(`${options.source}: a hub holds many months; say which with --period YYYY-MM`);
    const warehouse = await warehouseAt(options.source, options);
    if (warehouse) {
      try {
        const result = await ingestFromWarehouse(warehouse, options.dimensions, options.period, options.optionalDimensions);
        options.onNotice?.(`${WAREHOUSE_ENGINE}: ${result.rowsRead.toLocaleString('en-US')} FOCUS rows of ${options.period} summed in ${warehouse.name} into ${result.lines.length} cost lines`);
        return result;
      } finally {
        await warehouse.close();
      }
    }
    const hub = await hubAt(options.source, options);
    try {
      const result = await ingestFromHub(hub, options.dimensions, options.period, options.optionalDimensions);
      options.onNotice?.(`${HUB_ENGINE}: ${result.rowsRead.toLocaleString('en-US')} FOCUS rows of ${options.period} summed by ${result.costFunction}() into ${result.lines.length} cost lines`);
      return result;
    } finally {
      hub.close();
    }
  }
  if (options.engine === 'duckdb') {
    const remote = options.costs.find(isUrl);
    if (remote) throw new InputError(`${remote}: --engine duckdb reads local files and folders; read Azure Blob exports without --engine`);
    return ingestWithDuckDb(await localFiles(options), { dimensions: options.dimensions, optionalDimensions: options.optionalDimensions });
  }
  // A URL is an Azure Blob container or folder where Cost Management exports land; anything else a path.
  const sources = await Promise.all(
    options.costs.map((c) => (isUrl(c) ? azureExportCosts(c, { period: options.period }) : localExportCosts(c).then((local) => ({ ...local, checkRowCounts: () => undefined })))),
  );
  for (const note of sources.flatMap((s) => ('notes' in s ? s.notes : []))) options.onNotice?.(`note: ${note}`);
  const files = sources.flatMap((s) => s.files);
  await refuseFilesGivenTwice(files);
  const ingest = await ingestFocus(files, { dimensions: options.dimensions, optionalDimensions: options.optionalDimensions, onProgress: options.onProgress, split: workerSplit() });
  for (const source of sources) source.checkRowCounts(ingest.files);
  return ingest;
}

/** The local files behind `--costs` (the newest export run of each folder), each once. */
async function localFiles(options: CostSourceOptions): Promise<CostFile[]> {
  const sources = await Promise.all(options.costs.map(localExportCosts));
  for (const note of sources.flatMap((s) => s.notes)) options.onNotice?.(`note: ${note}`);
  const files = sources.flatMap((s) => s.files);
  await refuseFilesGivenTwice(files);
  return files;
}

/** The same data read twice would double the month: a file given twice (or a file and its folder) is refused. */
async function refuseFilesGivenTwice(files: readonly CostFile[]): Promise<void> {
  const seen = new Map<string, string>();
  for (const file of files) {
    const key = isUrl(file.name) ? file.name : await fs.realpath(file.name).catch(() => path.resolve(file.name));
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new InputError(`${file.name}: this file is given twice${earlier !== file.name ? ` (also as ${earlier})` : ''}; its costs would be counted twice. Give each file or folder once.`);
    seen.set(key, file.name);
  }
}

/** `sources test`: signs in, finds the cost function or table, and tells the period's rows and totals per currency. */
export async function testSource(source: string, period: string, options: Pick<CostSourceOptions, 'credential' | 'onNotice'> = {}): Promise<string> {
  const warehouse = await warehouseAt(source, options);
  if (warehouse) {
    try {
      const periods = await warehousePeriods(warehouse);
      const ingest = await ingestFromWarehouse(warehouse, [], period);
      const { server, database, schema, table } = warehouse.location;
      return `${WAREHOUSE_ENGINE} ${server}, database ${database}: connected, reading ${schema}.${table}\n` + periodReport(periods, period, ingest);
    } finally {
      await warehouse.close();
    }
  }
  const hub = await hubAt(source, options);
  try {
    const periods = await hubPeriods(hub);
    const ingest = await ingestFromHub(hub, [], period);
    return `${HUB_ENGINE} ${hub.location.clusterUrl}, database ${hub.location.database}: connected, using ${ingest.costFunction}()\n` + periodReport(periods, period, ingest);
  } finally {
    hub.close();
  }
}

/** The periods a source holds, then the period's rows, cost lines and totals per billing currency. */
function periodReport(periods: readonly { period: string; rows: number }[], period: string, ingest: IngestResult): string {
  const totals = new Map<string, { billed: bigint; effective: bigint }>();
  for (const line of ingest.lines) {
    const total = totals.get(line.currency) ?? { billed: 0n, effective: 0n };
    total.billed += line.billedCost;
    total.effective += line.effectiveCost;
    totals.set(line.currency, total);
  }
  return (
    `periods held: ${periods.length === 0 ? 'none' : periods.map((p) => `${p.period} (${p.rows.toLocaleString('en-US')} rows)`).join(', ')}\n` +
    `${period}: ${ingest.rowsRead.toLocaleString('en-US')} FOCUS rows, ${ingest.lines.length} cost lines at allocation grain\n` +
    [...totals].map(([currency, t]) => `  ${currency} BilledCost ${formatExact(t.billed)}, EffectiveCost ${formatExact(t.effective)}`).join('\n') +
    (totals.size === 0 ? `  no costs in ${period}` : '') +
    '\n'
  );
}
