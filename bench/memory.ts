/**
 * `npm run bench:memory -- --lines N[,N...] [--keep]`: peak memory (max RSS) of the command line's run,
 * approve and publish on a chargeback of N cost lines at grain (one line per resource: a rule
 * names ResourceId), each command in its own process, measured by GNU time (`/usr/bin/time -f %M`).
 * The goal (issue 13) is 500,000 lines with each command under 1.5 GB; docs/performance.md has the
 * figures.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isWorksheetPart, XLSX_LIMITS, xlsxSize } from '../src/workbook/xlsx-size';

const HEADER = ['BillingPeriodStart', 'BillingCurrency', 'ChargeCategory', 'CommitmentDiscountStatus', 'BilledCost', 'EffectiveCost', 'SubAccountName', 'ServiceCategory', 'ServiceName', 'ProviderName', 'ResourceId', 'Tags'];

function writeCosts(file: string, lines: number): void {
  const fd = openSync(file, 'w');
  let chunk = HEADER.join(',') + '\n';
  for (let i = 0; i < lines; i++) {
    const cents = 100 + ((i * 7919) % 100_000);
    const cost = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    chunk += `2026-10-01T00:00:00Z,USD,Usage,,${cost},${cost},sub-${i % 40},Compute,Virtual Machines,Microsoft,/subscriptions/sub-${i % 40}/resourceGroups/rg-${i % 300}/providers/Microsoft.Compute/virtualMachines/vm-${i},\n`;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
}

const rules = {
  settings: { clearingAccount: '2990', unallocatedAccount: '6190', unallocatedThreshold: 100 },
  costCenters: Array.from({ length: 10 }, (_, i) => ({ costCenter: `CC-${i}`, name: `Team ${i}`, glAccount: `61${i}0` })),
  mappings: [
    ...Array.from({ length: 10 }, (_, i) => ({ dimension: 'ResourceId', pattern: `*/rg-${i}*`, costCenter: `CC-${i}` })),
    { dimension: 'SubAccountName', pattern: 'sub-*', costCenter: 'CC-0' },
  ],
};

/**
 * The book's size on disk and unpacked, against the limits it is reopened under (XLSX_LIMITS): the
 * cost detail sheets (the two largest worksheets here) against the streamed limit, the rest against
 * the limit for what is held whole. A book near Excel's 1,048,576 rows must still reopen.
 */
function bookSize(book: string): string {
  const bytes = readFileSync(book);
  const size = xlsxSize(bytes);
  if (!size) return 'not a zip file';
  const sheets = [...size.parts].filter(([part]) => isWorksheetPart(part)).map(([, n]) => n).sort((a, b) => b - a);
  const detail = (sheets[0] ?? 0) + (sheets[1] ?? 0);
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  const share = (n: number, limit: number) => `${((100 * n) / limit).toFixed(1)}%`;
  const { unpackedBytes, streamedBytes } = XLSX_LIMITS.chargeback;
  return `book ${mb(bytes.byteLength)}; unpacked: cost detail ${mb(detail)} (${share(detail, streamedBytes)} of its limit), the rest ${mb(size.unpackedBytes - detail)} (${share(size.unpackedBytes - detail, unpackedBytes)})`;
}

/** Runs the command line under GNU time; returns its exit code, seconds and peak RSS in MB. */
function measure(args: string[]): { code: number | null; seconds: number; peakMb: number; stderr: string } {
  const started = Date.now();
  const result = spawnSync('/usr/bin/time', ['-f', 'maxrss_kb=%M', process.execPath, path.resolve('bin/chargeback.js'), ...args], { encoding: 'utf8', env: { ...process.env, CHARGEBACK_USER: 'bench' } });
  const kb = Number(/maxrss_kb=(\d+)/.exec(result.stderr)?.[1] ?? NaN);
  return { code: result.status, seconds: (Date.now() - started) / 1000, peakMb: Math.round(kb / 1024), stderr: result.stderr.replace(/maxrss_kb=\d+\n?/, '').trim() };
}

function main(): void {
  const at = process.argv.indexOf('--lines');
  const sizes = (at >= 0 ? process.argv[at + 1] : '50000,100000').split(',').map(Number);
  // --keep: leave each size's folder (costs, rules, book, share) for a closer look, and say where.
  const keep = process.argv.includes('--keep');
  const rows: string[] = [];
  for (const lines of sizes) {
    const dir = mkdtempSync(path.join(tmpdir(), 'chargeback-memory-'));
    try {
      const costs = path.join(dir, 'costs.csv');
      writeCosts(costs, lines);
      writeFileSync(path.join(dir, 'rules.json'), JSON.stringify(rules));
      const book = path.join(dir, 'book.xlsx');
      const steps: [string, string[]][] = [
        ['run', ['run', '--costs', costs, '--rules', path.join(dir, 'rules.json'), '--out', book, '--json']],
        ['approve', ['approve', '--workbook', book, '--by', 'Bench Reviewer']],
        ['verify', ['verify', '--workbook', book]],
        ['publish', ['publish', '--workbook', book, '--to', path.join(dir, 'share')]],
      ];
      for (const [name, args] of steps) {
        const m = measure(args);
        const size = name === 'run' && m.code === 0 ? ` (${bookSize(book)})` : '';
        rows.push(`| ${lines.toLocaleString('en-US')} | ${name} | ${m.code === 0 ? 'ok' : `exit ${m.code}`} | ${m.seconds.toFixed(1)} s | ${m.peakMb.toLocaleString('en-US')} MB${size} |`);
        process.stderr.write(rows[rows.length - 1] + (m.code === 0 ? '' : `  ${m.stderr.split('\n').pop()}`) + '\n');
        if (m.code !== 0) break;
      }
    } finally {
      if (keep) process.stderr.write(`kept ${dir}\n`);
      else rmSync(dir, { recursive: true, force: true });
    }
  }
  process.stdout.write(['| cost lines | command | result | time | peak RSS |', '|---:|---|---|---:|---:|', ...rows].join('\n') + '\n');
}

main();
