/**
 * Azure Cost Management FOCUS export runs, laid out in a container as the service writes them:
 * `<folder>/<export name>/<YYYYMMDD-YYYYMMDD>/<run id>/` with part files, then the run's
 * manifest.json. Used by the Azure export tests of the command line and the task pane.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ContainerClient } from '@azure/storage-blob';
import { BASE_HEADER, focusCsv } from './files';

export interface Part {
  name: string;
  bytes: Uint8Array;
  rows: number;
}

export interface ExportRunSpec {
  folder: string;
  exportName: string;
  /** `YYYY-MM` */
  period: string;
  runId: string;
  submittedTime: string;
  parts: Part[];
  /** Row counts the manifest claims for each part, when they should differ from the truth. */
  manifestRows?: number[];
}

/** A FOCUS row of BASE_HEADER's columns. */
export const focusRow = (start: string, cost: string, account: string, category = 'Compute') => [start, 'USD', 'Usage', '', cost, cost, account, category, 'VMs', 'Azure', ''];

export const csvPart = (name: string, rows: (string | number)[][]): Part => ({ name, bytes: gzipSync(focusCsv(BASE_HEADER, rows)), rows: rows.length });

/** The files of one export run as Cost Management lays them out: part files, then the run's manifest.json (container- or folder-relative paths). */
export function runFiles(run: ExportRunSpec): { path: string; bytes: Uint8Array }[] {
  const [year, month] = run.period.split('-');
  const runFolder = `${run.folder}/${run.exportName}/${year}${month}01-${year}${month}${month === '09' ? '30' : '31'}/${run.runId}`;
  const parquet = run.parts[0].name.endsWith('.parquet');
  const manifest = {
    manifestVersion: '2024-04-01',
    byteCount: run.parts.reduce((a, p) => a + p.bytes.byteLength, 0),
    blobCount: run.parts.length,
    dataRowCount: run.parts.reduce((a, p) => a + p.rows, 0),
    exportConfig: { exportName: run.exportName, resourceId: `/subscriptions/0000/providers/Microsoft.CostManagement/exports/${run.exportName}`, dataVersion: '1.0r2', apiVersion: '2023-07-01-preview', type: 'FocusCost', timeFrame: 'BillingMonthToDate', granularity: 'Daily' },
    deliveryConfig: { partitionData: true, dataOverwriteBehavior: 'CreateNewReport', fileFormat: parquet ? 'Parquet' : 'Csv', compressionMode: parquet ? 'Snappy' : 'Gzip', rootFolderPath: run.folder },
    runInfo: { executionType: 'Scheduled', submittedTime: run.submittedTime, runId: run.runId, startDate: `${run.period}-01T00:00:00`, endDate: `${run.period}-28T00:00:00` },
    blobs: run.parts.map((p, i) => ({ blobName: `${runFolder}/${p.name}`, byteCount: p.bytes.byteLength, dataRowCount: run.manifestRows?.[i] ?? p.rows })),
  };
  return [...run.parts.map((p) => ({ path: `${runFolder}/${p.name}`, bytes: p.bytes })), { path: `${runFolder}/manifest.json`, bytes: new TextEncoder().encode(JSON.stringify(manifest)) }];
}

/** Uploads one export run as Cost Management lays it out: part files, then the run's manifest.json. */
export async function uploadRun(client: ContainerClient, run: ExportRunSpec): Promise<void> {
  await client.createIfNotExists();
  for (const file of runFiles(run)) await client.getBlockBlobClient(file.path).uploadData(file.bytes);
}

/** Writes one export run into a folder on disk, laid out as in the container (an export synced or copied down). */
export function writeRun(root: string, run: ExportRunSpec): void {
  for (const file of runFiles(run)) {
    const target = path.join(root, ...file.path.split('/'));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.bytes);
  }
}
