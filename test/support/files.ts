import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CostFile } from '../../src/core/ingest';
import { costFileFromBlob } from '../../src/sources/browser-files';

/** A FOCUS file held in memory, read through the same Blob path the task pane uses. */
export function memoryFile(name: string, content: string | Uint8Array): CostFile {
  return costFileFromBlob(name, new Blob([content as BlobPart]));
}

/** A fresh folder under the system temp folder, removed after the test file (or when the worker exits). */
export function tempDir(prefix = 'chargeback-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    afterAll(remove); // made while the tests are collected
  } catch {
    process.once('exit', remove); // made inside a test, where hooks cannot be added
  }
  return dir;
}

/** A FOCUS CSV from rows of values, with a header. Values are written as given (quote them yourself). */
export function focusCsv(header: string[], rows: (string | number)[][]): string {
  return [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

export const BASE_HEADER = ['BillingPeriodStart', 'BillingCurrency', 'ChargeCategory', 'CommitmentDiscountStatus', 'BilledCost', 'EffectiveCost', 'SubAccountName', 'ServiceCategory', 'ServiceName', 'ProviderName', 'Tags'];
