/**
 * Faults between two writes, on a folder share and on Azure Blob Storage (Azurite): a publish that
 * fails at any write leaves nothing on the share that no manifest vouches for; a publish whose
 * share writes all succeeded but whose book could not be saved is recognised by the next publish,
 * which records it and writes nothing more, and verify says what happened meanwhile.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { checkVersion } from '../../src/core/publication';
import { BlobShare } from '../../src/shares/blob-share';
import { FolderShare } from '../../src/shares/folder-share';
import { Share, ShareError } from '../../src/shares/share';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { publishWorkbook } from '../../src/workbook/publish';
import { checkAgainstPublication } from '../../src/workbook/publication-check';
import { approvedBook, clock, restatedBook } from '../support/approved-book';
import { Azurite } from '../support/azurite';
import { tempDir } from '../support/files';

const publisher = { user: 'Sam Controller', now: clock('2026-11-04T09:00:00Z') };
const quick = { retryOptions: { maxTries: 2, retryDelayInMs: 50, maxRetryDelayInMs: 100, tryTimeoutInMs: 10_000 } };

let azurite: Azurite;
beforeAll(async () => {
  azurite = await Azurite.start();
});
afterAll(async () => {
  await azurite?.stop();
});

interface Place {
  share: Share;
  /** Every file on the share, by its path from the share's root. */
  files(): Promise<string[]>;
}

function folderPlace(): Place {
  const root = tempDir('share-');
  return { share: new FolderShare(root), files: async () => readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name))).sort() };
}

/** A container reached with a SAS that may create, read, list and delete (`racwdl`): delete lets a failed publish remove what it wrote. */
async function blobPlace(permissions = 'racwdl'): Promise<Place> {
  const container = `faults${Math.random().toString(36).slice(2, 10)}`;
  const share = new BlobShare(await azurite.containerWithSas(container, 'chargeback', permissions), quick);
  return {
    share,
    files: async () => {
      const names: string[] = [];
      for await (const blob of azurite.service().getContainerClient(container).listBlobsFlat({ prefix: 'chargeback/' })) names.push(blob.name.slice('chargeback/'.length));
      return names.sort();
    },
  };
}

/** The share, with the write numbered `failAt` (0 first) failing as a full disk would. */
function failingAt(share: Share, failAt: number): Share & { writes: string[] } {
  const writes: string[] = [];
  return {
    location: share.location,
    writes,
    listFolder: (f) => share.listFolder(f),
    readFile: (p) => share.readFile(p),
    removeFile: (p) => share.removeFile(p),
    createFile: async (p, b, o) => {
      if (writes.length === failAt) throw new ShareError(`${share.location}/${p}: cannot be written (ENOSPC: no space left on device)`);
      writes.push(p);
      return share.createFile(p, b, o);
    },
  };
}

const publish = async (gateway: ExcelJsGateway, share: Share, at = '2026-11-04T09:00:00Z') => publishWorkbook(gateway, share, { ...publisher, now: clock(at), workbookBytes: await gateway.toBytes() });

/** The book whose save fails after the share received the version: its commit throws, as a full disk would. */
async function publishWithoutSaving(gateway: ExcelJsGateway, share: Share, at?: string) {
  const commit = gateway.commit;
  gateway.commit = async () => {
    throw new Error('ENOSPC: no space left on device');
  };
  try {
    return await publish(gateway, share, at).catch((e: Error) => e);
  } finally {
    gateway.commit = commit;
  }
}

describe.each([
  ['a folder', async () => folderPlace()],
  ['Azure Blob Storage', () => blobPlace()],
])('faults while publishing to %s', (_, place) => {
  it('leaves nothing on the share, whichever write fails, and then publishes version 1 whole', async () => {
    const book = await approvedBook();
    const { share, files } = await place();
    // How many writes a whole publish makes: the statement, journal, workbook, showback, facts, then the manifest.
    const counting = failingAt(share, Number.POSITIVE_INFINITY);
    const probe = await approvedBook();
    const probePlace = await place();
    await publish(probe, failingAt(probePlace.share, Number.POSITIVE_INFINITY));
    const writes = (await probePlace.files()).length;
    expect(writes).toBeGreaterThan(20);
    for (let failAt = 0; failAt < writes; failAt++) {
      const failure = await publish(book, failingAt(share, failAt)).catch((e: Error) => e);
      expect([failAt, failure]).toEqual([failAt, expect.any(ShareError)]);
      expect([failAt, await files()]).toEqual([failAt, []]);
    }
    expect((await book.readTable('Audit'))!.rows.map((r) => r[1])).toEqual(['Pull', 'Allocate', 'Approve']);
    const outcome = await publish(book, counting);
    expect(outcome.version).toBe(1);
    expect(counting.writes[counting.writes.length - 1]).toBe('2026-10/manifest.json');
    expect((await checkVersion(share, '2026-10', 1, { facts: true })).trusted).toBe(true);
    expect(await checkAgainstPublication(book, share, '2026-10')).toMatchObject({ problems: [], notes: [], version: 1 });
  });

  it('recognises its own version when the book could not be saved after the share received it, and records it', async () => {
    const book = await approvedBook();
    const { share, files } = await place();
    const failure = await publishWithoutSaving(book, share);
    expect(failure).toEqual(new Error('ENOSPC: no space left on device'));
    const onShare = await files();
    expect(onShare).toContain('2026-10/manifest.json');
    expect((await book.readTable('Audit'))!.rows.map((r) => r[1])).toEqual(['Pull', 'Allocate', 'Approve']);
    // verify says what happened, not that the book was tampered with.
    expect((await checkAgainstPublication(book, share, '2026-10')).problems).toEqual([
      `2026-10 version 1 on ${share.location} is not in the Audit log, yet it was published from this book (approved by Dana Reviewer at 2026-11-03T10:00:00Z, with the Audit log as it stood then): either the publish stopped before the workbook was saved (run the same publish again: it records the version and writes nothing more to the share) or its Publish entry was removed`,
    ]);
    // The next publish records it, and writes nothing to the share.
    const recovered = await publish(book, share, '2026-11-04T09:30:00Z');
    expect(recovered).toMatchObject({ recovered: true, version: 1, folder: '2026-10/' });
    expect(await files()).toEqual(onShare);
    const audit = (await book.readTable('Audit'))!.rows;
    expect(audit.map((r) => r[1])).toEqual(['Pull', 'Allocate', 'Approve', 'Publish']);
    expect(String(audit[3][4])).toContain('recorded after the fact: a publish from this book by Sam Controller at 2026-11-04T09:00:00Z put it on the share but the book was not saved after it');
    expect(audit[3][5]).toBe(recovered.manifestSha256);
    expect(await checkAgainstPublication(book, share, '2026-10')).toMatchObject({ problems: [], version: 1 });
    // And publishing once more finds nothing new.
    expect(await publish(book, share, '2026-11-04T10:00:00Z')).toMatchObject({ unchanged: true, version: 1 });
  });

  it('recognises its own unrecorded restatement too, and restates from it next time', async () => {
    const book = await approvedBook();
    const { share } = await place();
    await publish(book, share);
    const restated = await restatedBook(book);
    expect(await publishWithoutSaving(restated, share, '2026-11-10T12:00:00Z')).toBeInstanceOf(Error);
    const recovered = await publish(restated, share, '2026-11-10T12:30:00Z');
    expect(recovered).toMatchObject({ recovered: true, version: 2, restates: { version: 1 } });
    expect((await restated.readTable('Audit'))!.rows.map((r) => r[1]).slice(-2)).toEqual(['Approve', 'Restate']);
    expect(await checkAgainstPublication(restated, share, '2026-10')).toMatchObject({ problems: [], version: 2, checked: 2 });
    // Review compares with version 2 now: the same month published again publishes nothing.
    expect(await publish(restated, share, '2026-11-10T13:00:00Z')).toMatchObject({ unchanged: true, version: 2 });
  });
});

describe('a failed publish with a SAS that may not delete', () => {
  it('says what it left, which no reader trusts and verify reports, and the next publish passes over it', async () => {
    const book = await approvedBook();
    const { share, files } = await blobPlace('racwl');
    const failure = await publish(book, failingAt(share, 3)).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(ShareError);
    expect((failure as Error).message).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/faults\w+\/chargeback\/2026-10\/showback\/\S+: cannot be written \(ENOSPC: no space left on device\) \(and 3 files it wrote could not be removed: 2026-10\/chargeback-2026-10\.xlsx, 2026-10\/journal-2026-10\.csv, 2026-10\/chargeback-2026-10\.csv; without a manifest no reader trusts them\)$/,
    );
    expect((failure as Error).message).not.toContain('sig=');
    expect(await files()).toEqual(['2026-10/chargeback-2026-10.csv', '2026-10/chargeback-2026-10.xlsx', '2026-10/journal-2026-10.csv']);
    expect(await checkAgainstPublication(book, share, '2026-10')).toMatchObject({
      problems: [],
      notes: ['2026-10/ has no manifest.json: an unfinished publish, which no reader trusts and every publish passes over'],
    });
    expect(await publish(book, share)).toMatchObject({ version: 2, folder: '2026-10/v2/' });
    expect((await book.readTable('Audit'))!.rows.map((r) => r[1])).toEqual(['Pull', 'Allocate', 'Approve', 'Publish']);
  });
});
