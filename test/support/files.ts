import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CostFile } from '../../src/core/ingest';
import { costFileFromBlob } from '../../src/sources/browser-files';

/** A FOCUS file held in memory, read through the same Blob path the task pane uses. */
export function memoryFile(name: string, content: string | Uint8Array): CostFile {
  return costFileFromBlob(name, new Blob([content as BlobPart]));
}

const madeDirs = new Set<string>();
let exitHooked = false;

/** Removes the folders tempDir made: after each test file (test/support/after-each-file.ts), and at exit for any left. */
export function removeTempDirs(): void {
  for (const made of madeDirs) rmSync(made, { recursive: true, force: true });
  madeDirs.clear();
}

/**
 * A fresh folder under the system temp folder, removed when the test file ends. Jest keeps its
 * worker processes for many files, and a worker killed on a timeout never runs an exit handler, so
 * removing them only at exit left large folders behind.
 */
export function tempDir(prefix = 'chargeback-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  if (!exitHooked) process.once('exit', removeTempDirs);
  exitHooked = true;
  madeDirs.add(dir);
  return dir;
}

/** A FOCUS CSV from rows of values, with a header. Values are written as given (quote them yourself). */
export function focusCsv(header: string[], rows: (string | number)[][]): string {
  return [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

export const BASE_HEADER = ['BillingPeriodStart', 'BillingCurrency', 'ChargeCategory', 'CommitmentDiscountStatus', 'BilledCost', 'EffectiveCost', 'SubAccountName', 'ServiceCategory', 'ServiceName', 'ProviderName', 'Tags'];
