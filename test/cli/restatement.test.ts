/**
 * A restatement on the command line: run into the existing book (refused while approved), reopen
 * with a reason, run again with the restated month, approve, publish. Figures as in
 * test/workbook/restatement.test.ts: version 1 charges CC-A 180.00, CC-B 80.00, CC-C 30.00 and
 * 10.00 unallocated; the restated month (hub 90.00 → 99.00, a 12.00 credit for team-a) CC-A 171.00,
 * CC-B 83.00, CC-C 33.00: the difference CC-A −9.00, CC-B +3.00, CC-C +3.00, clearing +3.00.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PublicationManifest } from '../../src/core/publication';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { chargeback } from '../support/cli';
import { publishedThreeTeamsBook, threeTeamsRules } from '../support/three-teams';

const rules = threeTeamsRules;
const publishedBook = () => publishedThreeTeamsBook('chargeback-restate-');

const auditActions = async (book: string) => ((await ExcelJsGateway.fromBytes(readFileSync(book))).readTable('Audit')).then((t) => t!.rows.map((r) => String(r[1])));

describe('chargeback run --workbook and a restatement', () => {
  it('refuses to run into an approved book, then restates it after a reopen: a difference journal, the full statement, the manifest naming what it restates', async () => {
    const { file, book, share } = publishedBook();
    const before = readFileSync(book);

    const refused = chargeback(['run', '--workbook', book, '--costs', file('restated.csv')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: .*book\.xlsx: 2026-10 is approved \(by Dana Reviewer \(typed, not verified; OS user [^)]+\) at .*\): reopen it first, with a reason \(chargeback reopen --workbook .*book\.xlsx --by NAME --why REASON\), then run it again\n$/);
    expect(readFileSync(book).equals(before)).toBe(true);

    expect(chargeback(['reopen', '--workbook', book, '--by', 'Dana Reviewer', '--why', 'a 12.00 credit landed late']).code).toBe(0);
    const run = chargeback(['run', '--workbook', book, '--costs', file('restated.csv'), '--json']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const summary = JSON.parse(run.stdout);
    expect(summary.costCenters.map((c: { costCenter: string; total: string }) => [c.costCenter, c.total])).toEqual([
      ['CC-A', '171.00'],
      ['CC-B', '83.00'],
      ['CC-C', '33.00'],
      ['UNALLOCATED', '10.00'],
    ]);
    // The Audit log, approval history and publication record are kept; the new run is appended.
    expect(await auditActions(book)).toEqual(['Pull', 'Allocate', 'Approve', 'Publish', 'Reopen', 'Pull', 'Allocate']);
    const kept = await ExcelJsGateway.fromBytes(readFileSync(book));
    expect((await kept.readTable('ApprovalHistory'))!.rows.length).toBe(4);
    expect((await kept.readTable('PublishedVersions'))!.rows.filter((r) => r[1] === 1).length).toBeGreaterThan(0);

    expect(chargeback(['approve', '--workbook', book, '--by', 'Dana Reviewer']).code).toBe(0);
    const published = chargeback(['publish', '--workbook', book, '--to', share]);
    expect([published.code, published.stderr]).toEqual([0, '']);
    expect(published.stdout).toMatch(/^Published 2026-10 version 2 to .*\/2026-10\/v2\/ \(restates version 1\)\n  difference journal, posted in 2026-10; net change CC-A -9\.00, CC-B \+3\.00, CC-C \+3\.00\n/);

    const v2 = path.join(share, '2026-10', 'v2');
    expect(readdirSync(v2).sort()).toEqual(['chargeback-2026-10.csv', 'chargeback-2026-10.xlsx', 'journal-2026-10.csv', 'manifest.json', 'showback']);
    expect(readFileSync(path.join(v2, 'journal-2026-10.csv'), 'utf8').split('\r\n').slice(1, -1).map((l) => l.split(',').slice(4, 6).concat(l.split(',').slice(-3, -1)))).toEqual([
      ['6100', 'CC-A', '', '9.00'],
      ['6200', 'CC-B', '3.00', ''],
      ['6300', 'CC-C', '3.00', ''],
      ['2990', '', '3.00', ''],
    ]);
    expect(readFileSync(path.join(v2, 'chargeback-2026-10.csv'), 'utf8')).toContain('2026-10,CC-A,Team A,,6100,138.00,33.00,33.00,171.00,,,USD');
    const manifest = JSON.parse(readFileSync(path.join(v2, 'manifest.json'), 'utf8')) as PublicationManifest;
    expect(manifest.restates?.version).toBe(1);
    expect(manifest.restatement?.netChange.map((c) => [c.costCenter, c.change])).toEqual([
      ['CC-A', '-9.00'],
      ['CC-B', '3.00'],
      ['CC-C', '3.00'],
      ['UNALLOCATED', '0.00'],
    ]);
    expect(await auditActions(book)).toEqual(['Pull', 'Allocate', 'Approve', 'Publish', 'Reopen', 'Pull', 'Allocate', 'Approve', 'Restate']);
    const verified = chargeback(['verify', '--workbook', book, '--against', share]);
    expect([verified.code, verified.stderr]).toEqual([0, '']);
    expect(verified.stdout).toContain('it matches version 2 on the share');
  });

  it('publishes nothing, and says so, when the period is run again with nothing changed', () => {
    const { file, book, share } = publishedBook();
    expect(chargeback(['reopen', '--workbook', book, '--by', 'Dana Reviewer', '--why', 'check the October export again']).code).toBe(0);
    expect(chargeback(['run', '--workbook', book, '--costs', file('october.csv')]).code).toBe(0);
    expect(chargeback(['approve', '--workbook', book, '--by', 'Dana Reviewer']).code).toBe(0);
    const again = chargeback(['publish', '--workbook', book, '--to', share]);
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(again.stdout).toMatch(/^Nothing published: 2026-10 as it stands is what version 1 at .*\/2026-10\/ holds \(nothing to post, the statement reads the same\)\.\n$/);
    expect(readdirSync(path.join(share, '2026-10')).sort()).toEqual(['chargeback-2026-10.csv', 'chargeback-2026-10.xlsx', 'journal-2026-10.csv', 'manifest.json', 'showback']);
  });

  it('takes new rules with --rules, logged as loaded into the book', async () => {
    const { file, book } = publishedBook();
    expect(chargeback(['reopen', '--workbook', book, '--by', 'Dana Reviewer', '--why', 'Team C joins the Network split only']).code).toBe(0);
    writeFileSync(file('rules2.json'), JSON.stringify({ ...rules, sharedPools: [{ ...rules.sharedPools[0], targets: 'CC-A, CC-B' }] }));
    const run = chargeback(['run', '--workbook', book, '--costs', file('october.csv'), '--rules', file('rules2.json'), '--json']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(JSON.parse(run.stdout).costCenters.slice(0, 2).map((c: { total: string }) => c.total)).toEqual(['195.00', '95.00']);
    expect((await auditActions(book)).slice(-3)).toEqual(['Load rules', 'Pull', 'Allocate']);
  });

  it('never silently replaces an existing book with run --out, and points to --workbook', () => {
    const { file, book } = publishedBook();
    const mtime = statSync(book).mtimeMs;
    const refused = chargeback(['run', '--costs', file('restated.csv'), '--rules', file('rules.json'), '--out', book]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('exists already: it is not replaced (it may hold approvals, an Audit log or filled-in rules); to run a chargeback workbook again keeping its Audit log, use --workbook');
    expect(statSync(book).mtimeMs).toBe(mtime);
  });

  it('refuses bad usage: --workbook with --out, --force or --previous', () => {
    const { file, book } = publishedBook();
    const both = chargeback(['run', '--workbook', book, '--out', file('other.xlsx'), '--costs', file('october.csv')]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give either --workbook (run into an existing book, keeping its Audit log) or --out (a new book), not both');
    expect(chargeback(['run', '--workbook', book, '--force', '--costs', file('october.csv')]).code).toBe(2);
    const missing = chargeback(['run', '--workbook', file('nope.xlsx'), '--costs', file('october.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.xlsx: the workbook cannot be read (no such file?)');
  });
});
