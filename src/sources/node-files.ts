/**
 * FOCUS files on disk for the command line: one file, or a folder of partitioned exports (the
 * layout Azure Cost Management writes, with or without its manifest.json), read as web streams.
 */
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { AsyncBuffer } from 'hyparquet';
import { CostFile, IngestError } from '../core/ingest';
import { costFileFormat } from './format';
import { ExportManifest, newestRuns, RunIdentity, runPeriod } from './export-runs';

export function costFileFromPath(file: string, size: number): CostFile {
  const kind = costFileFormat(file);
  if (!kind) throw new IngestError(file, undefined, undefined, 'not a FOCUS export: expected .csv, .csv.gz or .parquet');
  return {
    name: file,
    ...kind,
    size,
    stream: () => Readable.toWeb(createReadStream(file, { highWaterMark: 1 << 20 })) as ReadableStream<Uint8Array>,
    buffer: () => fileAsyncBuffer(file, size),
  };
}

async function fileAsyncBuffer(file: string, size: number): Promise<AsyncBuffer> {
  // Parquet is read in a few large slices (footer, then column chunks): open per slice, never leak a handle.
  return {
    byteLength: size,
    async slice(start: number, end?: number) {
      const length = (end ?? size) - start;
      const bytes = new Uint8Array(length);
      const handle = await fs.open(file, 'r');
      try {
        await handle.read(bytes, 0, length, start);
      } finally {
        await handle.close();
      }
      return bytes.buffer;
    },
  };
}

/** Every FOCUS file under a path (a file, or a folder searched recursively), in name order. */
export async function costFilesAt(location: string): Promise<CostFile[]> {
  return (await localExportCosts(location)).files;
}

export interface LocalExportSource {
  files: CostFile[];
  /** What was passed over and why (hidden files, older export runs), for the user to read. */
  notes: string[];
}

interface LocalRun extends RunIdentity {
  folder: string;
  manifestPath: string;
}

/**
 * The FOCUS files under a path. A folder is searched recursively; hidden files and folders (`.x`,
 * macOS `._x` metadata, our own `.tmp` files) are passed over with a note; where the folder holds
 * Cost Management export runs (each with its manifest.json), only the newest run of each export
 * and month is read, as from Azure Blob Storage.
 */
export async function localExportCosts(location: string): Promise<LocalExportSource> {
  let stat;
  try {
    stat = await fs.stat(location);
  } catch {
    throw new IngestError(location, undefined, undefined, 'no such file or folder');
  }
  if (stat.isFile()) return { files: [costFileFromPath(location, stat.size)], notes: [] };
  const found: { path: string; size: number }[] = [];
  const hidden: string[] = [];
  const runs: LocalRun[] = [];
  const walk = async (folder: string) => {
    const entries = (await fs.readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.name.startsWith('.')) {
        if (entry.isDirectory() || costFileFormat(entry.name)) hidden.push(full);
      } else if (entry.isDirectory()) await walk(full);
      else if (entry.name === 'manifest.json') {
        const run = await readRun(location, folder, full);
        if (run) runs.push(run);
      }
      else if (costFileFormat(entry.name)) found.push({ path: full, size: (await fs.stat(full)).size });
    }
  };
  await walk(location);
  const notes = hidden.map((file) => `${file}: skipped (a hidden file or folder)`);
  const chosen = new Set(newestRuns(runs));
  const older = runs.filter((run) => !chosen.has(run));
  for (const run of older) notes.push(`${run.folder}: skipped (an older run of export ${run.exportName} for ${run.period}; the newest is read)`);
  const inFolder = (file: string, folder: string) => file.startsWith(folder + path.sep);
  const files = found.filter((file) => !older.some((run) => inFolder(file.path, run.folder))).map((file) => costFileFromPath(file.path, file.size));
  if (files.length === 0) throw new IngestError(location, undefined, undefined, 'the folder holds no FOCUS files (.csv, .csv.gz or .parquet)');
  return { files, notes };
}

/** The export run a manifest.json describes; undefined for a manifest that names no run (its folder is read as any folder). */
async function readRun(root: string, folder: string, manifestPath: string): Promise<LocalRun | undefined> {
  let manifest: ExportManifest;
  try {
    manifest = JSON.parse(await fs.readFile(manifestPath, 'utf8')) as ExportManifest;
  } catch (error) {
    throw new IngestError(manifestPath, undefined, undefined, `cannot be read as an export manifest (${(error as Error).message})`);
  }
  const relative = path.relative(root, folder).split(path.sep).join('/');
  const period = runPeriod(manifest, relative);
  if (!period || typeof manifest !== 'object' || manifest === null) return undefined;
  const submittedTime = manifest.runInfo?.submittedTime ?? (await fs.stat(manifestPath)).mtime.toISOString();
  // Runs lie in <export name>/<YYYYMMDD-YYYYMMDD>/<run id>/: without exportConfig, the folder two levels up names the export.
  const exportName = manifest.exportConfig?.exportName ?? path.basename(path.dirname(path.dirname(folder)));
  return { exportName, period, submittedTime, folder, manifestPath };
}
