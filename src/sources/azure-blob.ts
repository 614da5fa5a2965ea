/**
 * FOCUS exports where Azure Cost Management delivers them: a container (or a folder in one) in
 * Azure Blob Storage, reached with a SAS URL, from the command line and the task pane alike.
 *
 * Exports land as `<folder>/<export name>/<YYYYMMDD-YYYYMMDD>/<run id>/` holding partitioned
 * `part_*.csv.gz` / `.parquet` files and the run's `manifest.json`, which lists each file
 * (`blobs[].blobName`, `byteCount`, `dataRowCount`) and describes the export (`exportConfig`) and
 * the run (`runInfo.submittedTime`, `startDate`, `endDate`). Every run of an export re-delivers
 * the whole month, so for each export and period only the newest run is read; after ingest the
 * rows read from each file are checked against the manifest's count. Files are streamed in ranges
 * (CSV) or read by range (Parquet), never downloaded whole.
 */
import type { AsyncBuffer } from 'hyparquet';
import { CostFile, IngestError } from '../core/ingest';
import { BlobPlace, blobDisplayUrl, downloadBytes, parseBlobUrl } from '../shares/blob-url';
import { redactSecrets } from '../shares/share';
import { costFileFormat } from './format';
import { ExportManifest, newestRuns, runPeriod } from './export-runs';

export type { ExportManifest } from './export-runs';

export interface ExportRun {
  /** Container-relative path of the run's manifest.json. */
  manifestPath: string;
  exportName: string;
  period: string;
  submittedTime: string;
  manifest: ExportManifest;
  /** Container-relative blob names of the run's data files, in manifest order. */
  blobNames: string[];
}

export interface AzureExportSource {
  files: CostFile[];
  /** The runs read, newest per export and period. Empty when the folder held files without manifests. */
  runs: ExportRun[];
  /** Checks the rows ingest read from each file against the manifests; throws an IngestError naming the first mismatch. */
  checkRowCounts(read: readonly { name: string; rows: number }[]): void;
}

export interface AzureExportOptions {
  /** `YYYY-MM`: read only runs for this billing period. */
  period?: string;
  /** Bytes per ranged read when streaming a CSV. */
  rangeBytes?: number;
}

const RANGE = 8 * 1024 * 1024;

/** Lists, chooses and opens the newest Cost Management export runs under a container or folder URL. */
export async function azureExportCosts(url: string, options: AzureExportOptions = {}): Promise<AzureExportSource> {
  const place = parseBlobUrl(url);
  const fail = (reason: string, error?: unknown) =>
    new IngestError(place.display, undefined, undefined, redactSecrets(error ? `${reason}: ${(error as Error).message ?? error}` : reason, [place.sas]));
  const blobs = new Map<string, { size: number; lastModified: Date }>();
  try {
    for await (const blob of place.container.listBlobsFlat({ prefix: place.prefix })) {
      blobs.set(blob.name, { size: blob.properties.contentLength ?? 0, lastModified: blob.properties.lastModified });
    }
  } catch (error) {
    throw fail('the container cannot be listed (check the URL and that the SAS allows read and list)', error);
  }
  const manifests = [...blobs.keys()].filter((name) => name.endsWith('/manifest.json') || name === 'manifest.json');

  if (manifests.length === 0) {
    // A folder of exported files without manifests: read them all, as a local folder is read.
    const names = [...blobs.keys()].filter((name) => costFileFormat(name)).sort();
    if (names.length === 0) throw fail('holds no FOCUS exports (no manifest.json and no .csv, .csv.gz or .parquet files)');
    return { files: names.map((name) => blobCostFile(place, name, blobs.get(name)!.size, options)), runs: [], checkRowCounts: () => undefined };
  }

  const runs: ExportRun[] = [];
  for (const manifestPath of manifests) {
    let manifest: ExportManifest;
    try {
      manifest = JSON.parse(new TextDecoder().decode(await downloadBytes(place.container.getBlobClient(manifestPath)))) as ExportManifest;
    } catch (error) {
      throw fail(`${manifestPath} cannot be read as an export manifest`, error);
    }
    const folder = manifestPath.slice(0, manifestPath.length - 'manifest.json'.length);
    const period = runPeriod(manifest, folder);
    if (!period) throw fail(`${manifestPath}: the manifest says no period (runInfo.startDate)`);
    const blobNames = (manifest.blobs ?? []).map(({ blobName }) => {
      const candidates = [blobName, folder + blobName, folder + blobName.split('/').pop()];
      const found = candidates.find((c) => blobs.has(c));
      if (!found) throw fail(`${manifestPath} lists ${blobName}, which is not in the container: the export run is incomplete or was moved`);
      return found;
    });
    const exportName = manifest.exportConfig?.exportName ?? folder.replace(place.prefix, '').split('/')[0] ?? '';
    const submittedTime = manifest.runInfo?.submittedTime ?? blobs.get(manifestPath)!.lastModified.toISOString();
    runs.push({ manifestPath, exportName, period, submittedTime, manifest, blobNames });
  }

  const wanted = options.period ? runs.filter((r) => r.period === options.period) : runs;
  if (wanted.length === 0) {
    const found = [...new Set(runs.map((r) => r.period))].sort().join(', ');
    throw fail(`no export run for billing period ${options.period}; the exports cover ${found}`);
  }
  const chosen = newestRuns(wanted).sort((a, b) => a.manifestPath.localeCompare(b.manifestPath));
  const files = chosen.flatMap((run) => run.blobNames.map((name, i) => blobCostFile(place, name, run.manifest.blobs![i].byteCount ?? blobs.get(name)!.size, options)));
  return { files, runs: chosen, checkRowCounts: (read) => checkRowCounts(place, chosen, read) };
}

function checkRowCounts(place: BlobPlace, runs: readonly ExportRun[], read: readonly { name: string; rows: number }[]): void {
  const rowsOf = new Map(read.map((f) => [f.name, f.rows]));
  for (const run of runs) {
    let total = 0;
    run.blobNames.forEach((name, i) => {
      const display = displayName(place, name);
      const rows = rowsOf.get(display) ?? 0;
      total += rows;
      const expected = run.manifest.blobs![i].dataRowCount;
      if (expected !== undefined && expected !== rows) {
        throw new IngestError(display, undefined, undefined, `the export manifest ${run.manifestPath} says ${expected} rows, but ${rows} were read: the file is incomplete or was changed after export`);
      }
    });
    const expected = run.manifest.dataRowCount;
    if (expected !== undefined && expected !== total) {
      throw new IngestError(displayName(place, run.manifestPath), undefined, undefined, `the export manifest says ${expected} rows in all, but its files held ${total}`);
    }
  }
}

function displayName(place: BlobPlace, name: string): string {
  return blobDisplayUrl(place.container.getBlobClient(name));
}

/** A FOCUS file in a blob: streamed by ranges for CSV, read by range for Parquet. */
function blobCostFile(place: BlobPlace, name: string, size: number, options: AzureExportOptions): CostFile {
  const kind = costFileFormat(name);
  const display = displayName(place, name);
  if (!kind) throw new IngestError(display, undefined, undefined, 'not a FOCUS export: expected .csv, .csv.gz or .parquet');
  const blob = place.container.getBlobClient(name);
  const range = options.rangeBytes ?? RANGE;
  const read = async (offset: number, count: number, signal?: AbortSignal) => {
    try {
      return await downloadBytes(blob, offset, count, signal);
    } catch (error) {
      throw new IngestError(display, undefined, undefined, redactSecrets(`cannot be read: ${(error as Error).message}`, [place.sas]));
    }
  };
  return {
    name: display,
    ...kind,
    size,
    stream: () => rangedStream(read, size, range),
    buffer: async (): Promise<AsyncBuffer> => ({
      byteLength: size,
      slice: async (start: number, end?: number) => {
        const bytes = await read(start, (end ?? size) - start);
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      },
    }),
  };
}

function rangedStream(read: (offset: number, count: number, signal?: AbortSignal) => Promise<Uint8Array>, size: number, range: number): ReadableStream<Uint8Array> {
  let offset = 0;
  const abort = new AbortController();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (offset >= size) return controller.close();
      const bytes = await read(offset, Math.min(range, size - offset), abort.signal);
      if (bytes.byteLength === 0) return controller.close();
      offset += bytes.byteLength;
      controller.enqueue(bytes);
    },
    cancel() {
      abort.abort();
    },
  });
}
