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
  let stat;
  try {
    stat = await fs.stat(location);
  } catch {
    throw new IngestError(location, undefined, undefined, 'no such file or folder');
  }
  if (stat.isFile()) return [costFileFromPath(location, stat.size)];
  const files: CostFile[] = [];
  const walk = async (folder: string) => {
    const entries = (await fs.readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (costFileFormat(entry.name)) files.push(costFileFromPath(full, (await fs.stat(full)).size));
    }
  };
  await walk(location);
  if (files.length === 0) throw new IngestError(location, undefined, undefined, 'the folder holds no FOCUS files (.csv, .csv.gz or .parquet)');
  return files;
}
