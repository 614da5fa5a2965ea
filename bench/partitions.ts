/**
 * A large month as Parquet partitions, for `--engine duckdb --rows N` beyond what one generated
 * file holds: the seeded 1,000,000-row month (generate.ts, as Parquet) copied N / 1,000,000 times,
 * one partition file per copy, as a Cost Management export splits a month into parts. The
 * copies are byte for byte the same, so every group's sums are N / 1,000,000 times the base
 * month's; both engines still read and sum every row. Why not distinct rows: the row-by-row
 * generator takes hours for 100 M rows, a 100 M-row CSV would not fit on the disk, and having
 * DuckDB rewrite each copy with its own resource IDs and amounts measured 47 s a million rows on
 * the shared 2-core machine (78 minutes for 100 M); copying the files takes a minute or two.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { csvToParquet, generateFocusCsv } from './generate';

/** Rows of the seeded month each copy is made from. */
export const BASE_ROWS = 1_000_000;

export interface Partitions {
  folder: string;
  files: string[];
  bytes: number;
}

/**
 * The partitions of `rows` rows under `root`/rows-N (made once, reused while rows-N.complete is
 * there; `--fresh` remakes them). The base month is kept beside them for the next N.
 */
export async function parquetPartitions(root: string, rows: number, seed: number, log: (text: string) => void): Promise<Partitions> {
  if (rows % BASE_ROWS !== 0) throw new Error(`--rows above ${BASE_ROWS.toLocaleString('en-US')} must be a multiple of it (the month is made of copies of a ${BASE_ROWS.toLocaleString('en-US')}-row month)`);
  const folder = path.join(root, `rows-${rows}`);
  const done = `${folder}.complete`;
  const baseParquet = path.join(root, `base-${BASE_ROWS}-seed-${seed}.parquet`);
  if (!existsSync(done)) {
    mkdirSync(root, { recursive: true });
    if (!existsSync(baseParquet)) {
      const baseCsv = path.join(root, 'base.csv');
      log(`generating the ${BASE_ROWS.toLocaleString('en-US')}-row base month (seed ${seed}) in ${root} ...`);
      const t = performance.now();
      generateFocusCsv(baseCsv, { rows: BASE_ROWS, seed });
      await csvToParquet(baseCsv, `${baseParquet}.tmp`);
      renameSync(`${baseParquet}.tmp`, baseParquet);
      rmSync(baseCsv);
      log(`  base Parquet ${(statSync(baseParquet).size / 1e6).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder);
    const t = performance.now();
    const copies = rows / BASE_ROWS;
    for (let c = 0; c < copies; c++) copyFileSync(baseParquet, path.join(folder, `part-${String(c).padStart(5, '0')}.parquet`));
    log(`  ${copies} partitions (${rows.toLocaleString('en-US')} rows) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    writeFileSync(done, new Date().toISOString());
  }
  const files = readdirSync(folder)
    .filter((f) => f.endsWith('.parquet'))
    .sort()
    .map((f) => path.join(folder, f));
  return { folder, files, bytes: files.reduce((a, f) => a + statSync(f).size, 0) };
}
