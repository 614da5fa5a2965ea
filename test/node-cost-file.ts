/** A CostFile over a file on disk, for tests (the command line has its own in src/sources). */
import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { AsyncBuffer } from 'hyparquet';
import { CostFile } from '../src/core/ingest';

export function nodeCostFile(filePath: string): CostFile {
  const name = path.basename(filePath);
  return {
    name,
    format: /\.parquet$/i.test(name) ? 'parquet' : 'csv',
    gzip: /\.gz$/i.test(name),
    size: statSync(filePath).size,
    stream: () => Readable.toWeb(createReadStream(filePath)) as unknown as ReadableStream<Uint8Array>,
    buffer: async (): Promise<AsyncBuffer> => {
      const bytes = await readFile(filePath);
      const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      return { byteLength: arrayBuffer.byteLength, slice: (start: number, end?: number) => arrayBuffer.slice(start, end) };
    },
  };
}
