/**
 * The finance share is not ours alone: a manifest another hand put there is trusted only when it
 * chains to what the book recorded, or when the user adopts it by its SHA-256. Figures as in
 * approved-book.ts: version 1 charges CC-A 180.00, CC-B 80.00, CC-C 30.00, UNALLOCATED 10.00.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../../src/core/digest';
import { checkVersion, PublicationManifest, unsafeSharePath } from '../../src/core/publication';
import { FolderShare } from '../../src/shares/folder-share';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { publishWorkbook, PublishOptions, unfitPaths } from '../../src/workbook/publish';
import { checkAgainstPublication } from '../../src/workbook/publication-check';
import { approvedBook, bookTables, clock, restatedBook, restatedOctoberLines } from '../support/approved-book';
import { tempDir } from '../support/files';
import { line } from '../core/helpers';

const publisher = { user: 'Sam Controller', now: clock('2026-11-04T09:00:00Z') };
const manifestPath = (share: FolderShare, folder = '2026-10') => path.join(share.location, folder, 'manifest.json');
const readManifest = (share: FolderShare, folder?: string) => JSON.parse(readFileSync(manifestPath(share, folder), 'utf8')) as PublicationManifest;
const fileSha = async (file: string) => sha256Hex(new Uint8Array(readFileSync(file)));

async function publish(gateway: ExcelJsGateway, share: FolderShare, options: Partial<PublishOptions> = {}) {
  return publishWorkbook(gateway, share, { ...publisher, workbookBytes: await gateway.toBytes(), ...options });
}

/** Rewrites a version's manifest as another hand would: whatever it likes, hashes made to fit. */
function forge(share: FolderShare, change: (manifest: PublicationManifest) => PublicationManifest, folder = '2026-10') {
  writeFileSync(manifestPath(share, folder), JSON.stringify(change(readManifest(share, folder)), null, 2) + '\n');
}

describe('a publication on the share that this book did not record', () => {
  it('refuses to restate against a forged ledger from a book built afresh, saying why and how to adopt deliberately', async () => {
    const share = new FolderShare(tempDir('share-'));
    await publish(await approvedBook(), share);
    // Another hand rewrites version 1's ledger: CC-A was "charged" 1,000.00 more.
    forge(share, (m) => ({ ...m, ledger: m.ledger!.map((l) => (l.costCenter === 'CC-A' ? { ...l, amount: '1180.00' } : l.costCenter === '' ? { ...l, amount: '-1300.00' } : l)) }));
    const forged = await fileSha(manifestPath(share));
    expect((await checkVersion(share, '2026-10', 1)).trusted).toBe(true); // every listed file still matches

    // A book built afresh for the restated month has no record of version 1.
    const fresh = await approvedBook(bookTables, restatedOctoberLines());
    const refused = await publish(fresh, share).catch((e: Error) => e);
    expect((refused as Error).message).toBe(
      `publishing 2026-10 refused: the share's latest version is 1 (manifest sha256 ${forged}), which this book did not publish: this book never published 2026-10, so nothing it recorded vouches for what that version says was posted. ` +
        `That version, at ${share.location}/2026-10/, was published by Sam Controller at 2026-11-04T09:00:00Z, approved by Dana Reviewer. ` +
        `To restate it from this book deliberately, check that version (its statement, journal and manifest) against the book that published it, then publish with --adopt ${forged}`,
    );
    expect(await share.listFolder('2026-10/')).toMatchObject({ folders: ['showback'] });
    expect((await fresh.readTable('Audit'))!.rows.map((r) => r[1])).toEqual(['Pull', 'Allocate', 'Approve']);
  });

  it('adopts a version another book published when told its manifest SHA-256, records the adoption, and verify follows the chain', async () => {
    const share = new FolderShare(tempDir('share-'));
    const first = await publish(await approvedBook(), share);
    const fresh = await approvedBook(bookTables, restatedOctoberLines());
    // A SHA-256 that names another manifest adopts nothing.
    await expect(publish(fresh, share, { adopt: '0'.repeat(64) })).rejects.toThrow(`(--adopt ${'0'.repeat(64)} names another manifest)`);
    const outcome = await publish(fresh, share, { adopt: first.manifestSha256 });
    expect(outcome).toMatchObject({ version: 2, restates: { version: 1, manifestSha256: first.manifestSha256 }, adopted: { version: 1, manifestSha256: first.manifestSha256 } });
    expect(outcome.restatement!.netChange.map((c) => [c.costCenter, c.change])).toEqual([
      ['CC-A', -900n],
      ['CC-B', 300n],
      ['CC-C', 300n],
      ['UNALLOCATED', 0n],
    ]);
    const audit = (await fresh.readTable('Audit'))!.rows;
    expect(String(audit[audit.length - 1][4])).toContain(`adopted version 1 (manifest sha256 ${first.manifestSha256}), which another book published`);
    expect(await checkAgainstPublication(fresh, share, '2026-10')).toEqual({
      problems: [],
      notes: [`2026-10 version 1 on ${share.location} was published by another book (Sam Controller at 2026-11-04T09:00:00Z); this book's restatement adopted it by its manifest's SHA-256`],
      version: 2,
      checked: 2,
    });
    // Adopting again, once the book has published the period itself, is refused as pointless.
    await expect(publish(await restatedBook(fresh), share, { adopt: first.manifestSha256 })).rejects.toThrow('nothing to adopt: this book published version 2 itself; publish without --adopt');
  });

  it('refuses, naming the file, to restate against an adopted manifest whose ledger is not a ledger', async () => {
    const share = new FolderShare(tempDir('share-'));
    await publish(await approvedBook(), share);
    forge(share, (m) => ({ ...m, ledger: [null, 5] as unknown as PublicationManifest['ledger'] }));
    const adopt = await fileSha(manifestPath(share));
    await expect(publish(await approvedBook(bookTables, restatedOctoberLines()), share, { adopt })).rejects.toThrow(
      'publishing 2026-10 refused: 2026-10/manifest.json: its ledger is not a list of lines with an account, a cost center and an amount',
    );
  });

  it('does not trust a manifest that lists no statement', async () => {
    const share = new FolderShare(tempDir('share-'));
    await publish(await approvedBook(), share);
    forge(share, (m) => ({ ...m, files: [], facts: [] }));
    expect(await checkVersion(share, '2026-10', 1)).toMatchObject({ trusted: false, reason: '2026-10/: manifest.json is not trusted: it lists no statement (chargeback-2026-10.csv)' });
  });
});

describe('a manifest listing paths outside its folder', () => {
  it.each([
    ['../../outside.csv', '"../../outside.csv" leaves its folder or has an empty part'],
    ['/etc/hostname', '"/etc/hostname" is an absolute path'],
    ['..\\..\\outside.csv', '"..\\..\\outside.csv" has a backslash'],
    ['C:/Windows/win.ini', '"C:/Windows/win.ini" names a drive'],
  ])('is untrusted and never followed (%s), is reported by verify, and does not block the period', async (name, why) => {
    const root = tempDir('share-');
    const share = new FolderShare(path.join(root, 'share'));
    writeFileSync(path.join(root, 'outside.csv'), 'not on the share');
    const book = await approvedBook();
    await publish(book, share);
    // Another hand adds a version 2 whose manifest points outside its folder.
    const v1 = readManifest(share);
    await share.createFile('2026-10/v2/manifest.json', new TextEncoder().encode(JSON.stringify({ ...v1, version: 2, folder: '2026-10/v2/', files: [...v1.files, { name, sha256: 'a'.repeat(64), bytes: 16 }] })));
    const reads: string[] = [];
    const watched = Object.assign(Object.create(share) as FolderShare, { readFile: (p: string) => (reads.push(p), share.readFile(p)) });
    expect(await checkVersion(watched, '2026-10', 2)).toMatchObject({ trusted: false, reason: `2026-10/v2/: manifest.json is not trusted: files entry ${v1.files.length + 1}: ${why}: not followed` });
    expect(reads).toEqual(['2026-10/v2/manifest.json']);

    const check = await checkAgainstPublication(book, share, '2026-10');
    expect(check).toMatchObject({ problems: [], version: 1, checked: 2 });
    expect(check.notes).toEqual([`2026-10 version 2 on ${share.location} is not trusted and was not followed: 2026-10/v2/: manifest.json is not trusted: files entry ${v1.files.length + 1}: ${why}: not followed`]);
    // The book's restatement still publishes, as version 3, restating the version it recorded.
    const outcome = await publish(await restatedBook(book), share);
    expect(outcome).toMatchObject({ version: 3, restates: { version: 1 } });
  });

  it('is untrusted when a fact it lists is not under facts/', async () => {
    const share = new FolderShare(tempDir('share-'));
    await publish(await approvedBook(), share);
    forge(share, (m) => ({ ...m, facts: [{ name: '2026-10/chargeback-2026-10.csv', sha256: m.files[0].sha256, bytes: m.files[0].bytes }] }));
    expect(await checkVersion(share, '2026-10', 1)).toMatchObject({ trusted: false, reason: '2026-10/: manifest.json is not trusted: facts entry 1: "2026-10/chargeback-2026-10.csv" is not under facts/: not followed' });
  });

  it('names what makes a path unfit for the share', () => {
    expect(unsafeSharePath('2026-10/showback/showback-2026-10-CC-A.html')).toBeUndefined();
    expect(unsafeSharePath('2026-10//x')).toBe('"2026-10//x" leaves its folder or has an empty part');
    expect(unsafeSharePath(`2026-10/${'x'.repeat(251)}.csv`)).toBe(`"${'x'.repeat(40)}…" is longer than 250 bytes, too long for a file name on the share`);
    expect(unsafeSharePath('a\u0000b')).toBe('"a\\u0000b" has a control character');
    expect(unsafeSharePath(42)).toBe('an empty name');
  });
});

describe('a version this book published, changed on the share', () => {
  it('refuses to restate an older version instead, which would post the newer one again', async () => {
    const share = new FolderShare(tempDir('share-'));
    const book = await approvedBook();
    await publish(book, share);
    const restated = await restatedBook(book);
    await publish(restated, share, { now: clock('2026-11-10T12:00:00Z') });
    writeFileSync(path.join(share.location, '2026-10', 'v2', 'journal-2026-10.csv'), 'edited after publication');
    const again = await restatedBook(restated, restatedOctoberLines().slice(0, 4));
    await expect(publish(again, share, { now: clock('2026-11-20T12:00:00Z') })).rejects.toThrow(
      `publishing 2026-10 refused: version 2 on ${share.location}, which this book published, no longer matches its manifest (2026-10/v2/: journal-2026-10.csv does not match its SHA-256 in manifest.json): a restatement against an older version would post what that version posted again; restore its files, then publish`,
    );
    expect(await share.listFolder('2026-10/')).toMatchObject({ folders: ['showback', 'v2'] });
  });

  it('passes over a folder another hand made at a manifest\'s name, without blocking the period', async () => {
    const share = new FolderShare(tempDir('share-'));
    mkdirSync(path.join(share.location, '2026-10', 'manifest.json'), { recursive: true });
    const book = await approvedBook();
    expect(await checkVersion(share, '2026-10', 1)).toMatchObject({ trusted: false, unfinished: true });
    expect(await publish(book, share)).toMatchObject({ version: 2, folder: '2026-10/v2/' });
  });
});

describe('verify --against checks every version on the share', () => {
  it('finds an edited file in an older version, and an edited Power BI fact', async () => {
    const share = new FolderShare(tempDir('share-'));
    const book = await approvedBook();
    await publish(book, share);
    const restated = await restatedBook(book);
    await publish(restated, share, { now: clock('2026-11-10T12:00:00Z') });
    expect(await checkAgainstPublication(restated, share, '2026-10')).toMatchObject({ problems: [], version: 2, checked: 2 });

    writeFileSync(path.join(share.location, '2026-10', 'journal-2026-10.csv'), 'edited after publication');
    expect((await checkAgainstPublication(restated, share, '2026-10')).problems).toEqual([
      `2026-10 version 1 on ${share.location}, which this book published, no longer matches its manifest: 2026-10/: journal-2026-10.csv does not match its SHA-256 in manifest.json`,
    ]);

    const other = new FolderShare(tempDir('share-'));
    const again = await approvedBook();
    const outcome = await publish(again, other);
    const fact = outcome.facts.find((f) => f.name.endsWith('.csv'))!;
    writeFileSync(path.join(other.location, fact.name), 'edited fact');
    expect((await checkAgainstPublication(again, other, '2026-10')).problems).toEqual([
      `2026-10 version 1 on ${other.location}, which this book published, no longer matches its manifest: 2026-10/: ${fact.name} does not match its SHA-256 in manifest.json`,
    ]);
  });

  it('reports a version another hand added that chains to nothing this book recorded', async () => {
    const share = new FolderShare(tempDir('share-'));
    const book = await approvedBook();
    await publish(book, share);
    // A complete, self-consistent version 2 from another book of the same month.
    const other = await approvedBook(bookTables, restatedOctoberLines());
    const otherShare = new FolderShare(tempDir('share-'));
    await publish(other, otherShare);
    const v1 = readManifest(otherShare);
    for (const file of v1.files) await share.createFile(`2026-10/v2/${file.name}`, (await otherShare.readFile(`2026-10/${file.name}`))!);
    await share.createFile('2026-10/v2/manifest.json', new TextEncoder().encode(JSON.stringify({ ...v1, version: 2, folder: '2026-10/v2/', facts: [] })));
    expect((await checkAgainstPublication(book, share, '2026-10')).problems).toEqual([
      `2026-10 version 2 on ${share.location} is not in the Audit log: its Publish entry was removed, or this is not the workbook that was published`,
    ]);
  });
});

describe('publish is all or nothing', () => {
  // A code too long for a file name stops at the rules (listed) or at the mapping ({value} from the
  // data) long before publish; publish still checks every path itself, whatever made it.
  it('never reaches the share with a code too long for its file names: refused at the rules, or at the {value} mapping', async () => {
    const code = `CC-${'A'.repeat(250)}`;
    const listed = { ...bookTables, CostCenters: [...bookTables.CostCenters!, { CostCenter: code, Name: 'Long', Owner: '', GLAccount: '6400', Budget: 1 }] };
    await expect(approvedBook(listed)).rejects.toThrow(/CostCenters row 5, CostCenter: cost center code "CC-AAAAAAAAAAAAAAAAA…" is 253 characters long, more than the 64 a code may have/);
    const fromData = { ...bookTables, Mappings: [{ Dimension: 'SubAccountName', Pattern: '*', CostCenter: '{value}' }] };
    const lines = [line({ SubAccountName: code }, '10.00')];
    await expect(approvedBook(fromData, lines)).rejects.toThrow(/Mappings row 2, CostCenter: \{value\} makes the code from SubAccountName: cost center code "CC-A+…" is 253 characters long/);
  });

  it('checks every path it is about to write against what the share can hold', () => {
    const tooLong = `showback/showback-2026-10-CC-${'A'.repeat(250)}.html`;
    expect(unfitPaths(['2026-10/chargeback-2026-10.csv', tooLong, '../escape.csv'])).toHaveLength(2);
    expect(unfitPaths(['2026-10/chargeback-2026-10.csv', 'facts/parquet/statement/period=2026-10/statement-2026-10-v1.parquet'])).toEqual([]);
  });
});
