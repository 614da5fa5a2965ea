/**
 * `npm run bench`: ours against DuckDB on the same FOCUS files, in the same run.
 *
 * Generates (seeded, into a temp folder, reused while it exists) a FOCUS 1.2 CSV of --rows rows
 * and the same data as Parquet; then runs, each as its own process and --runs times, our ingest +
 * allocate and DuckDB's GROUP BY (single-threaded and default threads) on both files; checks that
 * every group's totals agree to the cent; prints medians, rows/s, MB/s, peak RSS, ratios and the
 * Office.js write plan for the Costs table. With --json the last line is one JSON object.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { csvToParquet, generateFocusCsv } from './generate';
import { groupDifferences, GroupTotals } from './groups';
import { BASE_ROWS, parquetPartitions } from './partitions';
import { loadBenchRules } from './rules';
import { costsWritePlan } from './write-plan';

interface ChildResult {
  engine: string;
  wallMs: number;
  peakRssMb: number;
  rows: number;
  groups: number;
  digest: string;
  ingestMs?: number;
  allocateMs?: number;
  aggregateMs?: number;
  bytesTouched?: number;
  processMs: number;
  grainBytes?: number;
  /** The 1-minute load average when the run ended. */
  loadAverage?: number;
}

interface Variant {
  label: string;
  script: string;
  file: 'csv' | 'parquet';
  args: string[];
  /** Read this (a folder or a glob of partitions) instead of the generated file. */
  location?: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function runChild(script: string, args: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(__dirname, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const processMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`${script} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`));
      const last = stdout.trim().split('\n').pop() ?? '';
      resolve({ ...JSON.parse(last), processMs });
    });
  });
}

/** A child's `--dump` file: every group's totals. */
const readDump = (file: string): GroupTotals => new Map(JSON.parse(readFileSync(file, 'utf8')));

async function main() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      runs: { type: 'string', default: '3' },
      seed: { type: 'string', default: '42' },
      dir: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      engine: { type: 'string' },
      clean: { type: 'boolean', default: false },
    },
  });
  if (values.engine !== undefined && values.engine !== 'duckdb') throw new Error('--engine takes duckdb');
  const rows = Number(values.rows);
  const runs = Number(values.runs);
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(rows) || rows < 1 || !Number.isSafeInteger(runs) || runs < 1) throw new Error('--rows and --runs must be positive integers');
  const log = (text: string) => process.stderr.write(text + '\n');

  if (values.engine === 'duckdb' && rows > BASE_ROWS) return partitionsBench(rows, runs, seed, values, log);
  const dir = values.dir ?? path.join(tmpdir(), `chargeback-bench-${rows}-${seed}`);
  const csv = path.join(dir, 'focus.csv');
  const parquet = path.join(dir, 'focus.parquet');
  const done = path.join(dir, '.complete');
  if (values.fresh) rmSync(dir, { recursive: true, force: true });
  if (!existsSync(done)) {
    mkdirSync(dir, { recursive: true });
    log(`generating ${rows.toLocaleString('en-US')} FOCUS rows (seed ${seed}) in ${dir} ...`);
    let t = performance.now();
    generateFocusCsv(csv, { rows, seed });
    log(`  CSV ${(statSync(csv).size / 1e6).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    await csvToParquet(csv, parquet);
    log(`  Parquet ${(statSync(parquet).size / 1e6).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    writeFileSync(done, new Date().toISOString());
  }
  const sizes = { csv: statSync(csv).size, parquet: statSync(parquet).size };
  const files = { csv, parquet };
  const { dimensions, source } = loadBenchRules();
  log(`rules: ${source}; grain: BillingPeriod, BillingCurrency, ChargeCategory, CommitmentDiscountStatus, ${dimensions.join(', ')}`);

  const variants: Variant[] = values.engine === 'duckdb' ? ENGINE_VARIANTS : [
    { label: 'ours CSV', script: 'bench-ours.cjs', file: 'csv', args: [] },
    { label: 'DuckDB 1 thread CSV', script: 'bench-duckdb.cjs', file: 'csv', args: ['--threads', '1'] },
    { label: `DuckDB default CSV`, script: 'bench-duckdb.cjs', file: 'csv', args: [] },
    { label: 'ours Parquet', script: 'bench-ours.cjs', file: 'parquet', args: [] },
    { label: 'DuckDB 1 thread Parquet', script: 'bench-duckdb.cjs', file: 'parquet', args: ['--threads', '1'] },
    { label: `DuckDB default Parquet`, script: 'bench-duckdb.cjs', file: 'parquet', args: [] },
    // the same ingest with each file split across one worker thread per core (src/core/ingest-split.ts)
    ...(WORKERS > 1
      ? ([
          { label: 'ours CSV workers', script: 'bench-ours.cjs', file: 'csv', args: ['--workers', String(WORKERS)] },
          { label: 'ours Parquet workers', script: 'bench-ours.cjs', file: 'parquet', args: ['--workers', String(WORKERS)] },
        ] as Variant[])
      : []),
    // the memory-bandwidth floor: each file's bytes read and looked at once
    { label: 'floor CSV', script: 'bench-ours.cjs', file: 'csv', args: ['--floor'] },
    { label: 'floor Parquet', script: 'bench-ours.cjs', file: 'parquet', args: ['--floor'] },
  ];
  if (values.engine === 'duckdb') return engineReport(await runVariants(variants, runs, files, dir, log), rows, sizes, values.json);
  const { results, dumps } = await runVariants(variants, runs, files, dir, log);

  // Correctness: every group's billed and effective totals agree to the cent.
  const problems: string[] = [];
  for (const variant of variants.filter((v) => v.label.startsWith('DuckDB'))) {
    const oursLabel = `ours ${variant.file === 'csv' ? 'CSV' : 'Parquet'}`;
    const { differing, examples } = groupDifferences(readDump(dumps.get(oursLabel)!), readDump(dumps.get(variant.label)!), 5);
    if (differing > 0) problems.push(`${oursLabel} vs ${variant.label}: ${differing} groups differ\n    ${examples.join('\n    ')}`);
    if (WORKERS > 1 && variant.label.startsWith('DuckDB default')) {
      const workersLabel = `${oursLabel} workers`;
      const split = groupDifferences(readDump(dumps.get(workersLabel)!), readDump(dumps.get(variant.label)!), 5);
      if (split.differing > 0) problems.push(`${workersLabel} vs ${variant.label}: ${split.differing} groups differ\n    ${split.examples.join('\n    ')}`);
      if (results.get(workersLabel)![0].rows !== results.get(variant.label)![0].rows) problems.push(`${workersLabel} read ${results.get(workersLabel)![0].rows} rows`);
    }
    const rowsOurs = results.get(oursLabel)![0].rows;
    const rowsDuck = results.get(variant.label)![0].rows;
    if (rowsOurs !== rowsDuck) problems.push(`${oursLabel} read ${rowsOurs} rows, ${variant.label} ${rowsDuck}`);
  }

  const summary = variants.map((v) => {
    const rs = results.get(v.label)!;
    const wallMs = median(rs.map((r) => r.wallMs));
    return {
      label: v.label,
      wallMs,
      processMs: median(rs.map((r) => r.processMs)),
      peakRssMb: Math.max(...rs.map((r) => r.peakRssMb)),
      rowsPerSecond: rows / (wallMs / 1000),
      mbPerSecond: sizes[v.file] / 1e6 / (wallMs / 1000),
      groups: rs[0].groups,
      ingestMs: rs[0].ingestMs === undefined ? undefined : median(rs.map((r) => r.ingestMs!)),
      allocateMs: rs[0].allocateMs === undefined ? undefined : median(rs.map((r) => r.allocateMs!)),
      aggregateMs: rs[0].aggregateMs === undefined ? undefined : median(rs.map((r) => r.aggregateMs!)),
      bytesTouched: rs[0].bytesTouched,
    };
  });
  const by = (label: string) => summary.find((s) => s.label === label)!;
  const csvRatio = by('ours CSV').wallMs / by('DuckDB 1 thread CSV').wallMs;
  const parquetRatio = by('ours Parquet').wallMs / by('DuckDB 1 thread Parquet').wallMs;
  const plan10k = costsWritePlan(10_000, dimensions);
  const plan100k = costsWritePlan(100_000, dimensions);

  const out = (text: string) => process.stdout.write(text + '\n');
  out('');
  out(`FOCUS rows: ${rows.toLocaleString('en-US')}; CSV ${(sizes.csv / 1e6).toFixed(1)} MB, Parquet ${(sizes.parquet / 1e6).toFixed(1)} MB; ${by('ours CSV').groups.toLocaleString('en-US')} cost lines at allocation grain; median of ${runs} runs`);
  out(`machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, ${process.platform}, Node ${process.versions.node}`);
  out('');
  out(`${'variant'.padEnd(26)}${'wall s'.padStart(9)}${'process s'.padStart(11)}${'rows/s'.padStart(12)}${'MB/s'.padStart(9)}${'peak RSS MB'.padStart(13)}`);
  for (const s of summary) {
    out(`${s.label.padEnd(26)}${(s.wallMs / 1000).toFixed(2).padStart(9)}${(s.processMs / 1000).toFixed(2).padStart(11)}${Math.round(s.rowsPerSecond).toLocaleString('en-US').padStart(12)}${s.mbPerSecond.toFixed(1).padStart(9)}${s.peakRssMb.toFixed(0).padStart(13)}`);
  }
  const phases = (format: 'CSV' | 'Parquet') => {
    const s = by(`ours ${format}`);
    const floor = by(`floor ${format}`);
    // read: the floor's time to stream the same bytes; decode: the rest of the ingest outside summing
    const read = Math.min(floor.wallMs, s.ingestMs! - s.aggregateMs!);
    return {
      readMs: round(read, 0),
      decodeMs: round(s.ingestMs! - s.aggregateMs! - read, 0),
      aggregateMs: round(s.aggregateMs!, 0),
      allocateMs: round(s.allocateMs!, 0),
      bytesPerRow: round(s.bytesTouched! / rows, 1),
      floorMs: round(floor.wallMs, 0),
      floorRatio: round(s.wallMs / floor.wallMs, 2),
    };
  };
  const phaseOf = { csv: phases('CSV'), parquet: phases('Parquet') };
  for (const [label, p] of [['ours CSV', phaseOf.csv], ['ours Parquet', phaseOf.parquet]] as const) {
    out(
      `${label}: read ${(p.readMs / 1000).toFixed(2)} s, decode ${(p.decodeMs / 1000).toFixed(2)} s, aggregate ${(p.aggregateMs / 1000).toFixed(2)} s, allocate ${(p.allocateMs / 1000).toFixed(3)} s; ` +
        `${p.bytesPerRow} bytes touched per row; ${p.floorRatio}× the floor (${(p.floorMs / 1000).toFixed(2)} s to read the file's bytes once)`,
    );
  }
  out('');
  const csvRatioDefault = by('ours CSV').wallMs / by('DuckDB default CSV').wallMs;
  out(`ours / DuckDB single-threaded (wall, median): CSV ${csvRatio.toFixed(2)}× (goal ≤ 1.0×), Parquet ${parquetRatio.toFixed(2)}× (goal ≤ 1.0×)`);
  out(`ours / DuckDB default threads: CSV ${csvRatioDefault.toFixed(2)}× (goal ≤ 1.3×), Parquet ${(by('ours Parquet').wallMs / by('DuckDB default Parquet').wallMs).toFixed(2)}×`);
  const withWorkers = WORKERS > 1 ? workerRatios(by) : undefined;
  if (withWorkers) {
    out(
      `ours with ${WORKERS} workers / DuckDB: CSV ${withWorkers.csvRatioWorkers.toFixed(2)}× single-threaded, ${withWorkers.csvRatioWorkersDefaultThreads.toFixed(2)}× default threads (goal ≤ 1.3×); ` +
        `Parquet ${withWorkers.parquetRatioWorkers.toFixed(2)}× single-threaded, ${withWorkers.parquetRatioWorkersDefaultThreads.toFixed(2)}× default threads; peak RSS CSV ${withWorkers.peakRssMbCsvWorkers} MB, Parquet ${withWorkers.peakRssMbParquetWorkers} MB`,
    );
  }
  out(`peak RSS, ours: CSV ${by('ours CSV').peakRssMb.toFixed(0)} MB, Parquet ${by('ours Parquet').peakRssMb.toFixed(0)} MB (goal ≤ 250 MB at 1M rows, flat to 10M)`);
  out(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(', ')} (${cpus().length} cores; other work on the machine slows every variant)`);
  out(`Costs table write plan (Office.js): 10k lines ${plan10k.syncs} syncs, largest request ${(plan10k.largestRequestBytes / 1e6).toFixed(2)} MB; 100k lines ${plan100k.syncs} syncs, largest request ${(plan100k.largestRequestBytes / 1e6).toFixed(2)} MB (limit 5 MB)`);
  out(problems.length === 0 ? 'totals: every group agrees with DuckDB to the cent (billed and effective), CSV and Parquet' : `totals DIFFER:\n  ${problems.join('\n  ')}`);
  if (values.json) {
    out(
      JSON.stringify({
        rows,
        runs,
        csvRatio: round(csvRatio, 3),
        csvRatioDefaultThreads: round(csvRatioDefault, 3),
        parquetRatio: round(parquetRatio, 3),
        peakRssMb: Math.round(Math.max(by('ours CSV').peakRssMb, by('ours Parquet').peakRssMb)),
        rowsPerSecond: Math.round(by('ours CSV').rowsPerSecond),
        rowsPerSecondParquet: Math.round(by('ours Parquet').rowsPerSecond),
        csvMbPerSecond: round(by('ours CSV').mbPerSecond, 1),
        syncs10k: plan10k.syncs,
        maxRequestBytes10k: plan10k.largestRequestBytes,
        syncs100k: plan100k.syncs,
        maxRequestBytes100k: plan100k.largestRequestBytes,
        totalsMatch: problems.length === 0,
        phases: phaseOf,
        peakRssMbCsv: Math.round(by('ours CSV').peakRssMb),
        peakRssMbParquet: Math.round(by('ours Parquet').peakRssMb),
        ...(withWorkers ? { workers: WORKERS, ...withWorkers } : {}),
        loadAverage: loadavg().map((l) => round(l, 2)),
      }),
    );
  }
  if (problems.length > 0) process.exitCode = 1;
}


/** Worker threads the split variants use: one per core. */
const WORKERS = cpus().length;

/** Ours with files split across workers against DuckDB, in the same run. */
function workerRatios(by: (label: string) => { wallMs: number; peakRssMb: number }) {
  const ratio = (ours: string, duck: string) => round(by(ours).wallMs / by(duck).wallMs, 3);
  return {
    csvRatioWorkers: ratio('ours CSV workers', 'DuckDB 1 thread CSV'),
    csvRatioWorkersDefaultThreads: ratio('ours CSV workers', 'DuckDB default CSV'),
    parquetRatioWorkers: ratio('ours Parquet workers', 'DuckDB 1 thread Parquet'),
    parquetRatioWorkersDefaultThreads: ratio('ours Parquet workers', 'DuckDB default Parquet'),
    peakRssMbCsvWorkers: Math.round(by('ours CSV workers').peakRssMb),
    peakRssMbParquetWorkers: Math.round(by('ours Parquet workers').peakRssMb),
  };
}

/** Runs every variant `runs` times, in interleaved rounds; the first round also dumps every group's totals. */
async function runVariants(variants: Variant[], runs: number, files: Record<'csv' | 'parquet', string>, dir: string, log: (text: string) => void) {
  const results = new Map<string, ChildResult[]>(variants.map((v) => [v.label, []]));
  const dumps = new Map<string, string>();
  // Interleaved rounds, so a slow moment of the machine does not land on one variant only.
  for (let run = 0; run < runs; run++) {
    for (const variant of variants) {
      const args = [variant.location ?? files[variant.file], ...variant.args];
      if (run === 0) {
        const dump = path.join(dir, `groups-${variant.label.replace(/\W+/g, '-')}.json`);
        dumps.set(variant.label, dump);
        args.push('--dump', dump);
      }
      const result = await runChild(variant.script, args);
      results.get(variant.label)!.push(result);
      result.loadAverage = loadavg()[0];
      log(`  run ${run + 1}/${runs} ${variant.label.padEnd(24)} ${(result.wallMs / 1000).toFixed(2)} s, ${result.peakRssMb.toFixed(0)} MB, load average ${result.loadAverage.toFixed(2)}`);
    }
  }

  return { results, dumps };
}

/** `--engine duckdb`: the grain query generated from the grain definition against a plain DuckDB GROUP BY, both at default threads. */
const ENGINE_VARIANTS: Variant[] = [
  { label: 'engine duckdb CSV', script: 'bench-engine.cjs', file: 'csv', args: [] },
  { label: 'DuckDB default CSV', script: 'bench-duckdb.cjs', file: 'csv', args: [] },
  { label: 'engine duckdb Parquet', script: 'bench-engine.cjs', file: 'parquet', args: [] },
  { label: 'DuckDB default Parquet', script: 'bench-duckdb.cjs', file: 'parquet', args: [] },
];

/**
 * `--engine duckdb --rows N` past one generated file (100 M rows): Parquet partitions
 * (bench/partitions.ts), the engine on the folder against a plain GROUP BY on the same files.
 */
async function partitionsBench(rows: number, runs: number, seed: number, values: { dir?: string; fresh?: boolean; clean?: boolean; json?: boolean }, log: (text: string) => void) {
  const dir = values.dir ?? path.join(tmpdir(), `chargeback-bench-partitions-${seed}`);
  if (values.fresh) rmSync(dir, { recursive: true, force: true });
  const partitions = await parquetPartitions(dir, rows, seed, log);
  const { dimensions, source } = loadBenchRules();
  log(`rules: ${source}; grain: BillingPeriod, BillingCurrency, ChargeCategory, CommitmentDiscountStatus, ${dimensions.join(', ')}`);
  log(`${partitions.files.length} Parquet partitions, ${(partitions.bytes / 1e9).toFixed(2)} GB, in ${partitions.folder}`);
  const variants: Variant[] = [
    { label: 'engine duckdb Parquet', script: 'bench-engine.cjs', file: 'parquet', args: [], location: partitions.folder },
    { label: 'DuckDB default Parquet', script: 'bench-duckdb.cjs', file: 'parquet', args: [], location: path.join(partitions.folder, '*.parquet') },
  ];
  try {
    engineReport(await runVariants(variants, runs, { csv: '', parquet: partitions.folder }, dir, log), rows, { csv: 0, parquet: partitions.bytes }, values.json === true);
  } finally {
    if (values.clean) rmSync(dir, { recursive: true, force: true });
  }
}

function engineReport({ results, dumps }: Awaited<ReturnType<typeof runVariants>>, rows: number, sizes: Record<'csv' | 'parquet', number>, json = false) {
  const out = (text: string) => process.stdout.write(text + '\n');
  const problems: string[] = [];
  const figures: Record<string, unknown>[] = [];
  out('');
  out(`FOCUS rows: ${rows.toLocaleString('en-US')}; ${sizes.csv ? `CSV ${(sizes.csv / 1e6).toFixed(1)} MB, ` : ''}Parquet ${(sizes.parquet / 1e6).toFixed(1)} MB; machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}`);
  for (const format of ['CSV', 'Parquet'].filter((f) => results.has(`engine duckdb ${f}`))) {
    const engine = results.get(`engine duckdb ${format}`)!;
    const plain = results.get(`DuckDB default ${format}`)!;
    const { differing, examples } = groupDifferences(readDump(dumps.get(`engine duckdb ${format}`)!), readDump(dumps.get(`DuckDB default ${format}`)!), 5);
    if (differing > 0) problems.push(`${format}: ${differing} groups differ\n    ${examples.join('\n    ')}`);
    if (engine[0].rows !== plain[0].rows) problems.push(`${format}: the engine read ${engine[0].rows} rows, DuckDB ${plain[0].rows}`);
    const ratio = median(engine.map((r) => r.wallMs)) / median(plain.map((r) => r.wallMs));
    out(
      `${format}: engine ${(median(engine.map((r) => r.wallMs)) / 1000).toFixed(2)} s (peak RSS ${Math.max(...engine.map((r) => r.peakRssMb)).toFixed(0)} MB), ` +
        `plain DuckDB GROUP BY ${(median(plain.map((r) => r.wallMs)) / 1000).toFixed(2)} s (peak RSS ${Math.max(...plain.map((r) => r.peakRssMb)).toFixed(0)} MB): ${ratio.toFixed(2)}× (goal ≤ 1.2×)`,
    );
    out(`  pushed-down result: ${engine[0].groups.toLocaleString('en-US')} grain rows, ${(engine[0].grainBytes! / 1e6).toFixed(2)} MB as JSON, for ${engine[0].rows.toLocaleString('en-US')} raw rows (${(engine[0].rows / engine[0].groups).toFixed(0)}× fewer)`);
    figures.push({
      format,
      engineWallMs: Math.round(median(engine.map((r) => r.wallMs))),
      plainWallMs: Math.round(median(plain.map((r) => r.wallMs))),
      ratio: round(ratio, 3),
      enginePeakRssMb: Math.round(Math.max(...engine.map((r) => r.peakRssMb))),
      plainPeakRssMb: Math.round(Math.max(...plain.map((r) => r.peakRssMb))),
      rawRows: engine[0].rows,
      grainRows: engine[0].groups,
      grainBytes: engine[0].grainBytes,
    });
  }
  const loads = [...results.values()].flat().map((r) => r.loadAverage ?? 0);
  out(`load average (1 min) at the end of each run: ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}, now ${loadavg().map((l) => l.toFixed(2)).join(', ')} (${cpus().length} cores; other work on the machine slows every variant)`);
  out(problems.length === 0 ? 'grain rows: identical to DuckDB\'s own GROUP BY on the same files, group by group to the cent' : `grain rows DIFFER:\n  ${problems.join('\n  ')}`);
  if (json) out(JSON.stringify({ rows, figures, identical: problems.length === 0, loadAverages: loads.map((l) => round(l, 2)) }));
  if (problems.length > 0) process.exitCode = 1;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

main().catch((error) => {
  process.stderr.write(`error: ${(error as Error).message ?? error}\n`);
  process.exit(1);
});
