import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ingestFocus } from '../../src/core/ingest';
import { formatExact } from '../../src/core/money';
import { localExportCosts } from '../../src/sources/node-files';
import { csvPart, focusRow as row, writeRun } from '../support/export-runs';
import { BASE_HEADER, focusCsv, tempDir } from '../support/files';

const total = async (files: Awaited<ReturnType<typeof localExportCosts>>['files']) => {
  const result = await ingestFocus(files, { dimensions: [] });
  return formatExact(result.lines.reduce((a, l) => a + l.effectiveCost, 0n));
};

describe('a folder of Cost Management export runs on disk', () => {
  it('reads only the newest run of each export and month, as from Blob storage, and says which it skipped', async () => {
    const root = tempDir();
    const spec = { folder: 'exports', exportName: 'focus-daily', period: '2026-10' };
    writeRun(root, { ...spec, runId: 'run-1', submittedTime: '2026-10-20T06:00:00Z', parts: [csvPart('part_0_0001.csv.gz', [row('2026-10-01', '100.00', 'team-a')])] });
    writeRun(root, { ...spec, runId: 'run-2', submittedTime: '2026-11-02T06:00:00Z', parts: [csvPart('part_0_0001.csv.gz', [row('2026-10-01', '120.00', 'team-a')])] });
    writeRun(root, { ...spec, period: '2026-09', runId: 'run-0', submittedTime: '2026-10-02T06:00:00Z', parts: [csvPart('part_0_0001.csv.gz', [row('2026-09-01', '7.00', 'team-a')])] });
    const source = await localExportCosts(root);
    expect(source.files.map((f) => path.relative(root, f.name))).toEqual([
      path.join('exports', 'focus-daily', '20260901-20260930', 'run-0', 'part_0_0001.csv.gz'),
      path.join('exports', 'focus-daily', '20261001-20261031', 'run-2', 'part_0_0001.csv.gz'),
    ]);
    expect(await total(source.files)).toBe('127');
    expect(source.notes).toEqual([`${path.join(root, 'exports', 'focus-daily', '20261001-20261031', 'run-1')}: skipped (an older run of export focus-daily for 2026-10; the newest is read)`]);
  });

  it('reads a plain folder of files (no manifests) whole', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'a.csv'), focusCsv(BASE_HEADER, [row('2026-10-01', '1.00', 'x')]));
    writeFileSync(path.join(root, 'b.csv'), focusCsv(BASE_HEADER, [row('2026-10-01', '2.00', 'x')]));
    const source = await localExportCosts(root);
    expect(await total(source.files)).toBe('3');
    expect(source.notes).toEqual([]);
  });

  it('passes over hidden files (macOS ._ metadata, dot folders, stale .tmp files) with a note', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'costs.csv'), focusCsv(BASE_HEADER, [row('2026-10-01', '1.00', 'x')]));
    writeFileSync(path.join(root, '._costs.csv'), Buffer.from([0, 5, 22, 7, 0, 2, 0, 0, 77, 97, 99]));
    mkdirSync(path.join(root, '.cache'));
    writeFileSync(path.join(root, '.cache', 'old.csv'), 'junk');
    writeFileSync(path.join(root, '.costs.csv.1234.tmp'), 'half a file');
    const source = await localExportCosts(root);
    expect(source.files.map((f) => path.basename(f.name))).toEqual(['costs.csv']);
    expect(source.notes).toEqual([`${path.join(root, '._costs.csv')}: skipped (a hidden file or folder)`, `${path.join(root, '.cache')}: skipped (a hidden file or folder)`]);
  });
});
