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
import { DATABRICKS_ENGINE, DatabricksOptions, DatabricksWarehouse, databricksLocationOf, ingestFromDatabricks } from '../sources/databricks-sql';
import { FinOpsHub, HUB_ENGINE, hubLocationOf, hubPeriods, ingestFromHub } from '../sources/kusto-hub';
import { ingestFromWarehouse, SqlWarehouse, WAREHOUSE_ENGINE, warehouseLocationOf, warehousePeriods } from '../sources/fabric-sql';
import { localExportCosts } from '../sources/node-files';
import { isUrl } from '../shares/blob-url';
import { hasUserInfo, redactSecrets } from '../shares/share';
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
  /** Sign-in for a hub or warehouse; DefaultAzureCredential when not given. */
  credential?: TokenCredential;
  /** A Databricks personal access token (DATABRICKS_TOKEN) and connection options; Entra sign-in without a token. */
  databricks?: Omit<DatabricksOptions, 'credential'>;
  onProgress?: (progress: IngestProgress) => void;
  onNotice?: (message: string) => void;
}

/** A hub connection for a `--source`, signed in with the given credential or DefaultAzureCredential. */
export async function hubAt(source: string, options: Pick<CostSourceOptions, 'credential' | 'onNotice'>): Promise<FinOpsHub> {
  const location = hubLocationOf(source);
  if (!location) throw new InputError(`${source}: not a FinOps hub (expected kusto://CLUSTER/DATABASE or https://CLUSTER/DATABASE)`);
  return new FinOpsHub(location, { credential: await credentialOf(options), onNotice: options.onNotice });
}

const credentialOf = async (options: Pick<CostSourceOptions, 'credential'>) => options.credential ?? new (await import('@azure/identity')).DefaultAzureCredential();

/** A Databricks SQL warehouse for a `databricks://` source, or undefined for another source. */
async function databricksAt(source: string, options: Pick<CostSourceOptions, 'credential' | 'databricks'>): Promise<DatabricksWarehouse | undefined> {
  let location;
  try {
    location = databricksLocationOf(source);
  } catch (error) {
    throw new InputError((error as Error).message);
  }
  if (!location) return undefined;
  const token = options.databricks?.token ?? process.env.DATABRICKS_TOKEN;
  return new DatabricksWarehouse(location, { ...options.databricks, token, credential: token ? undefined : await credentialOf(options) });
}

/** The cost lines of one period from a SQL warehouse source (Fabric or Databricks), or undefined when the source is a hub. */
async function costLinesFromWarehouse(source: string, period: string, options: CostSourceOptions): Promise<IngestResult | undefined> {
  const fabric = await warehouseAt(source, options);
  if (fabric) {
    try {
      const result = await ingestFromWarehouse(fabric, options.dimensions, period, options.optionalDimensions);
      options.onNotice?.(`${WAREHOUSE_ENGINE}: ${result.rowsRead.toLocaleString('en-US')} FOCUS rows of ${period} summed in ${fabric.name} into ${result.lines.length} cost lines`);
      return result;
    } finally {
      await fabric.close();
    }
  }
  const warehouse = await databricksAt(source, options);
  if (!warehouse) return undefined;
  try {
    const result = await ingestFromDatabricks(warehouse, options.dimensions, period, options.optionalDimensions);
    options.onNotice?.(`${DATABRICKS_ENGINE}: ${result.rowsRead.toLocaleString('en-US')} FOCUS rows of ${period} summed into ${result.lines.length} cost lines`);
    return result;
  } finally {
    await warehouse.close();
  }
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
  return new SqlWarehouse(location, { credential: await credentialOf(options), onNotice: options.onNotice });
}

/**
 * An address with `user:password@` in it would carry a credential into messages, the workbook and
 * shell history: it is refused (redacted), and the user is told how to sign in instead.
 */
function refuseCredentialsInAddress(address: string): void {
  if (!hasUserInfo(address)) return;
  throw new InputError(
    `${redactSecrets(address)}: the address carries a user name or password before "@"; credentials are never taken from an address. ` +
      'Remove them and sign in instead: DATABRICKS_TOKEN for Databricks, az login, a managed identity or AZURE_* service principal variables for Azure, a SAS in the query for Blob Storage.',
  );
}

/** The cost lines at allocation grain from wherever the options say. */
export async function costLinesFrom(options: CostSourceOptions): Promise<IngestResult> {
  for (const address of [...(options.source ? [options.source] : []), ...options.costs]) refuseCredentialsInAddress(address);
  if (options.source) {
    if (!options.period) throw new InputError(`${options.source}: a hub or warehouse holds many months; say which with --period YYYY-MM`);
    const fromWarehouse = await costLinesFromWarehouse(options.source, options.period, options);
    if (fromWarehouse) return fromWarehouse;
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

/**
 * The same data read twice would double the month: a file given twice (or a file and its folder) is
 * refused. Local files are compared by what they are, not how they are named: the device and inode
 * (a hard link, a bind mount, a symbolic link or another spelling of the path reach the same pair).
 * Blob URLs by account, container and blob name, however the host's case, the path's encoding or
 * the SAS differ.
 */
async function refuseFilesGivenTwice(files: readonly CostFile[]): Promise<void> {
  const seen = new Map<string, string>();
  for (const file of files) {
    const key = isUrl(file.name) ? blobIdentity(file.name) : await fileIdentity(file.name);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new InputError(
        `${redactSecrets(file.name)}: this file is given twice${earlier !== file.name ? ` (also as ${redactSecrets(earlier)}${isUrl(file.name) ? '' : ': the same file, by a link or another path'})` : ''}; its costs would be counted twice. Give each file or folder once.`,
      );
    }
    seen.set(key, file.name);
  }
}

/** A local file's identity: its device and inode, or its resolved path where the system gives no inode. */
async function fileIdentity(name: string): Promise<string> {
  const stat = await fs.stat(name, { bigint: true }).catch(() => undefined);
  if (stat && stat.ino !== 0n) return `file:${stat.dev}:${stat.ino}`;
  return `path:${await fs.realpath(name).catch(() => path.resolve(name))}`;
}

/** A blob's identity: the origin in lower case and the decoded path, without the query (the SAS). */
function blobIdentity(url: string): string {
  try {
    const parsed = new URL(url);
    let pathname = parsed.pathname;
    try {
      pathname = decodeURIComponent(pathname);
    } catch {
      // not percent-encoded text: compare as written
    }
    return `blob:${parsed.origin.toLowerCase()}${pathname.replace(/\/+/g, '/')}`;
  } catch {
    return `blob:${url}`;
  }
}

/** `sources test`: signs in, finds the cost function or table, and tells the period's rows and totals per currency. */
export async function testSource(source: string, period: string, options: Pick<CostSourceOptions, 'credential' | 'onNotice' | 'databricks'> = {}): Promise<string> {
  refuseCredentialsInAddress(source);
  const fabric = await warehouseAt(source, options);
  if (fabric) {
    try {
      const periods = await warehousePeriods(fabric);
      const ingest = await ingestFromWarehouse(fabric, [], period);
      const { server, database, schema, table } = fabric.location;
      return `${WAREHOUSE_ENGINE} ${server}, database ${database}: connected, reading ${schema}.${table}\n` + periodReport(periods, period, ingest);
    } finally {
      await fabric.close();
    }
  }
  const warehouse = await databricksAt(source, options);
  if (warehouse) {
    try {
      const ingest = await ingestFromDatabricks(warehouse, [], period);
      return `${DATABRICKS_ENGINE} ${warehouse.where}: connected\n` + periodReport(undefined, period, ingest);
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

/** The periods a source holds (when it can list them), then the period's rows, cost lines and totals per billing currency. */
function periodReport(periods: readonly { period: string; rows: number }[] | undefined, period: string, ingest: IngestResult): string {
  const totals = new Map<string, { billed: bigint; effective: bigint }>();
  for (const line of ingest.lines) {
    const total = totals.get(line.currency) ?? { billed: 0n, effective: 0n };
    total.billed += line.billedCost;
    total.effective += line.effectiveCost;
    totals.set(line.currency, total);
  }
  return (
    (periods ? `periods held: ${periods.length === 0 ? 'none' : periods.map((p) => `${p.period} (${p.rows.toLocaleString('en-US')} rows)`).join(', ')}\n` : '') +
    `${period}: ${ingest.rowsRead.toLocaleString('en-US')} FOCUS rows, ${ingest.lines.length} cost lines at allocation grain\n` +
    [...totals].map(([currency, t]) => `  ${currency} BilledCost ${formatExact(t.billed)}, EffectiveCost ${formatExact(t.effective)}`).join('\n') +
    (totals.size === 0 ? `  no costs in ${period}` : '') +
    '\n'
  );
}
