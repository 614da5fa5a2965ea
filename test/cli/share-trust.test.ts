/**
 * The share's trust model on the command line: a period on the share that this book never
 * published is refused with the reason and adopted only by `--adopt SHA256`; a book that could not
 * be saved after the share received its version is told so, verify says what happened, and the
 * next publish records the version. Figures as in test/cli/restatement.test.ts.
 */
import { promises as fs, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../../src/core/digest';
import { publishFile } from '../../src/cli/commands';
import { FolderShare } from '../../src/shares/folder-share';
import { PublishError } from '../../src/workbook/publish';
import { chargeback } from '../support/cli';
import { BASE_HEADER, focusCsv, tempDir } from '../support/files';

const rules = {
  settings: { clearingAccount: '2990', unallocatedAccount: '6190' },
  costCenters: [
    { costCenter: 'CC-A', name: 'Team A', glAccount: '6100' },
    { costCenter: 'CC-B', name: 'Team B', glAccount: '6200' },
  ],
  mappings: [
    { dimension: 'SubAccountName', pattern: 'team-a', costCenter: 'CC-A' },
    { dimension: 'SubAccountName', pattern: 'team-b', costCenter: 'CC-B' },
  ],
};
const row = (amount: string, account: string) => ['2026-10-01T00:00:00Z', 'USD', 'Usage', '', amount, amount, account, 'Compute', 'svc', 'Azure', ''];

/** A folder with the rules, October (CC-A 150.00, CC-B 50.00) and October restated (CC-A 140.00), and an approved book of each. */
function approvedBooks() {
  const dir = tempDir('chargeback-trust-');
  const file = (name: string) => path.join(dir, name);
  writeFileSync(file('rules.json'), JSON.stringify(rules));
  writeFileSync(file('october.csv'), focusCsv(BASE_HEADER, [row('150.00', 'team-a'), row('50.00', 'team-b')]));
  writeFileSync(file('restated.csv'), focusCsv(BASE_HEADER, [row('140.00', 'team-a'), row('50.00', 'team-b')]));
  for (const [book, costs] of [
    ['book.xlsx', 'october.csv'],
    ['fresh.xlsx', 'restated.csv'],
  ]) {
    expect(chargeback(['run', '--costs', file(costs), '--rules', file('rules.json'), '--out', file(book)]).code).toBe(0);
    expect(chargeback(['approve', '--workbook', file(book), '--by', 'Dana Reviewer']).code).toBe(0);
  }
  return { file, share: file('share') };
}

const noStack = (text: string) => expect(text).not.toMatch(/unexpected|\n\s+at |Error:/);

describe('publish and verify against a share this book did not publish to', () => {
  it('refuses a period another book published, then restates it when adopted by its manifest SHA-256', async () => {
    const { file, share } = approvedBooks();
    expect(chargeback(['publish', '--workbook', file('book.xlsx'), '--to', share]).code).toBe(0);
    const sha = await sha256Hex(new Uint8Array(readFileSync(path.join(share, '2026-10', 'manifest.json'))));

    const refused = chargeback(['publish', '--workbook', file('fresh.xlsx'), '--to', share]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^error: publishing 2026-10 refused: the share's latest version is 1 \\(manifest sha256 ${sha}\\), which this book did not publish: .* then publish with --adopt ${sha}\\n$`));
    noStack(refused.stderr);

    const bad = chargeback(['publish', '--workbook', file('fresh.xlsx'), '--to', share, '--adopt', 'version-1']);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('--adopt takes the SHA-256 of the manifest.json to adopt (64 hexadecimal digits), not "version-1"') });

    const adopted = chargeback(['publish', '--workbook', file('fresh.xlsx'), '--to', share, '--adopt', sha.toUpperCase()]);
    expect([adopted.code, adopted.stderr]).toEqual([0, '']);
    expect(adopted.stdout).toMatch(new RegExp(`^Published 2026-10 version 2 to .*/2026-10/v2/ \\(restates version 1\\)\\n  adopted version 1 \\(manifest sha256 ${sha}\\), published by another book\\n  difference journal, posted in 2026-10; net change CC-A -10\\.00\\n`));

    const verified = chargeback(['verify', '--workbook', file('fresh.xlsx'), '--against', share]);
    expect([verified.code, verified.stderr]).toEqual([0, '']);
    expect(verified.stdout).toMatch(/^note: 2026-10 version 1 on .* was published by another book \(test runner \(typed, not verified; OS user [^)]*\) at .*\); this book's restatement adopted it by its manifest's SHA-256\n.*it matches version 2 on the share \(2 versions checked, every file and fact\)\.\n( {2}.*\n)*$/);
  });

  it('tells the user when the book cannot be saved after the share received the version; verify says what happened; publishing again records it', async () => {
    const { file, share } = approvedBooks();
    const book = file('book.xlsx');
    const before = readFileSync(book);
    const rename = fs.rename;
    const spy = jest.spyOn(fs, 'rename').mockImplementation(async (from, to) => {
      if (to === book) throw Object.assign(new Error('ENOSPC: no space left on device, rename'), { code: 'ENOSPC' });
      return rename(from, to);
    });
    let failure: unknown;
    try {
      failure = await publishFile(book, new FolderShare(share), 'test runner').catch((e: unknown) => e);
    } finally {
      spy.mockRestore();
    }
    expect(failure).toBeInstanceOf(PublishError);
    expect((failure as Error).message).toBe(
      `2026-10 version 1 is on ${share}/2026-10/, but ${book} could not be saved (ENOSPC: no space left on device, rename): the publish is not recorded in its Audit log. ` +
        'Make the workbook writable (free some space) and run the same publish again: it recognises the version as this book\'s and records it, writing nothing more to the share',
    );
    expect(readFileSync(book).equals(before)).toBe(true);

    // The unsaved book is, byte for byte, the workbook copy version 1 published: verify recognises it
    // as that copy (an auditor's archive reads the same) and says what to do if it is the working book.
    const told = chargeback(['verify', '--workbook', book, '--against', share]);
    expect([told.code, told.stderr]).toEqual([0, '']);
    expect(told.stdout).toContain('; it is the copy published as version 1 on the share.');
    expect(told.stdout).toContain('note: this workbook is, byte for byte, the copy 2026-10 version 1 published, which holds no Publish entry of its own; if it is your working book (its save failed after publishing), run the same publish again: it records version 1 and writes nothing more to the share');
    noStack(told.stdout);

    const again = chargeback(['publish', '--workbook', book, '--to', share]);
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(again.stdout).toMatch(/^Recorded 2026-10 version 1 at .*\/2026-10\/ in the Audit log: an earlier publish from this book put it on the share but the book was not saved after it; nothing new was written to the share \(manifest sha256 [0-9a-f]{64}\)\.\n$/);
    const verified = chargeback(['verify', '--workbook', book, '--against', share]);
    expect([verified.code, verified.stderr]).toEqual([0, '']);
    expect(verified.stdout).toContain('it matches version 1 on the share.');
    expect(chargeback(['publish', '--workbook', book, '--to', share]).stdout).toMatch(/^Nothing published: 2026-10 as it stands is what version 1/);
  });

  it('reports a manifest naming a path outside its folder, never follows it, and still publishes the period', async () => {
    const { file, share } = approvedBooks();
    const book = file('book.xlsx');
    expect(chargeback(['publish', '--workbook', book, '--to', share]).code).toBe(0);
    const v1 = JSON.parse(readFileSync(path.join(share, '2026-10', 'manifest.json'), 'utf8'));
    await fs.mkdir(path.join(share, '2026-10', 'v2'));
    writeFileSync(path.join(share, '2026-10', 'v2', 'manifest.json'), JSON.stringify({ ...v1, version: 2, folder: '2026-10/v2/', files: [...v1.files, { name: '../../rules.json', sha256: 'a'.repeat(64), bytes: 10 }] }));
    const verified = chargeback(['verify', '--workbook', book, '--against', share]);
    expect([verified.code, verified.stderr]).toEqual([0, '']);
    expect(verified.stdout).toMatch(/^note: 2026-10 version 2 on .* is not trusted and was not followed: 2026-10\/v2\/: manifest.json is not trusted: files entry \d+: "\.\.\/\.\.\/rules\.json" leaves its folder or has an empty part: not followed\n.*it matches version 1 on the share \(2 versions checked, every file and fact\)\.\n( {2}.*\n)*$/);
    const again = chargeback(['publish', '--workbook', book, '--to', share]);
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(again.stdout).toMatch(/^Nothing published: 2026-10 as it stands is what version 1 /);
  });
});
