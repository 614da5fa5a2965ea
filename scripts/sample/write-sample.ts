/** Writes the bundled sample: one FOCUS CSV per billing period, and the rules as XLSX and JSON. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { toCsv } from './focus-csv';
import { focusMonth } from './focus-month';
import { rulesJson, rulesWorkbook } from './sample-rules';

export const SAMPLE_PERIODS = ['2026-09', '2026-10'] as const;

export interface SampleFile {
  name: string;
  bytes: number;
  rows?: number;
}

export async function writeSample(outDir: string): Promise<SampleFile[]> {
  await mkdir(outDir, { recursive: true });
  const written: SampleFile[] = [];
  for (const period of SAMPLE_PERIODS) {
    const rows = focusMonth(period);
    const csv = toCsv(rows);
    const name = `focus-${period}.csv`;
    await writeFile(path.join(outDir, name), csv);
    written.push({ name, bytes: Buffer.byteLength(csv), rows: rows.length });
  }
  const json = rulesJson();
  await writeFile(path.join(outDir, 'rules.json'), json);
  written.push({ name: 'rules.json', bytes: Buffer.byteLength(json) });
  const xlsx = await rulesWorkbook();
  await writeFile(path.join(outDir, 'rules.xlsx'), xlsx);
  written.push({ name: 'rules.xlsx', bytes: xlsx.length });
  return written;
}
