/**
 * What the ingest worker does with a request, apart from the messages: open the source (picked
 * files, or the newest Cost Management export runs under an Azure Blob URL), read it at the grain
 * the command line reads with, and check the rows read against the export manifests.
 */
import { CostFile, FileSplit, ingestFocus, IngestProgress, IngestResult } from '../core/ingest';
import { webWorkerSplit } from './ingest-parts';
import { azureExportCosts } from '../sources/azure-blob';
import { costFileFromBlob } from '../sources/browser-files';
import type { CostGrain } from '../workbook/steps';
import type { IngestSource } from './ingest-messages';

async function open(source: IngestSource): Promise<{ files: CostFile[]; checkRowCounts(read: { name: string; rows: number }[]): void; split?: FileSplit }> {
  if (source.kind === 'files') {
    // picked files: large ones are split across part workers, which read the same Blob
    const blobs = new Map(source.files.map((file) => [costFileFromBlob(file.name, file), file as Blob]));
    return { files: [...blobs.keys()], checkRowCounts: () => undefined, split: webWorkerSplit(blobs) };
  }
  return azureExportCosts(source.url, { period: source.period });
}

export async function ingestSource(source: IngestSource, grain: CostGrain, onProgress: (progress: IngestProgress) => void): Promise<IngestResult> {
  const { files, checkRowCounts, split } = await open(source);
  const result = await ingestFocus(files, { dimensions: grain.dimensions, optionalDimensions: grain.optionalDimensions, onProgress, split });
  checkRowCounts(result.files);
  return result;
}
