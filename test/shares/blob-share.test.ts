import { checkVersion } from '../../src/core/publication';
import { BlobShare } from '../../src/shares/blob-share';
import { Share, ShareConflictError, ShareError } from '../../src/shares/share';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { FileProgress, publishWorkbook } from '../../src/workbook/publish';
import { approvedBook, clock, restatedBook } from '../support/approved-book';
import { Azurite, CuttableRelay } from '../support/azurite';

const publisher = { user: 'Sam Controller', now: clock('2026-11-04T09:00:00Z') };
// Fail fast in tests; a real network gets the SDK's default retries.
const quick = { retryOptions: { maxTries: 2, retryDelayInMs: 50, maxRetryDelayInMs: 100, tryTimeoutInMs: 10_000 } };
const sasOf = (url: string) => url.split('?')[1];

let azurite: Azurite;
beforeAll(async () => {
  azurite = await Azurite.start();
});
afterAll(async () => {
  await azurite?.stop();
});

async function blobNames(container: string, prefix = ''): Promise<string[]> {
  const names: string[] = [];
  for await (const blob of azurite.service().getContainerClient(container).listBlobsFlat({ prefix })) names.push(blob.name);
  return names.sort();
}

async function publish(gateway: ExcelJsGateway, share: Share, workbookBytes?: Uint8Array, onProgress?: (p: FileProgress) => void) {
  return publishWorkbook(gateway, share, { ...publisher, workbookBytes: workbookBytes ?? (await gateway.toBytes()), onProgress });
}

describe('publishing to Azure Blob Storage with a SAS', () => {
  it('publishes v1, then a restatement as v2 superseding it, each trusted, and logs the place without the SAS', async () => {
    const url = await azurite.containerWithSas('finance', 'chargeback');
    const share = new BlobShare(url, quick);
    const book = await approvedBook();
    const first = await publish(book, share);
    const gateway = await restatedBook(book);
    const second = await publish(gateway, share);
    expect([first.folder, second.folder]).toEqual(['2026-10/', '2026-10/v2/']);
    expect(second.supersedes).toMatchObject({ version: 1, manifestSha256: first.manifestSha256 });
    // (the showback statements and facts have their own test, test/shares/reporting-shares.test.ts)
    expect((await blobNames('finance')).filter((name) => !/\/(showback|facts)\//.test(name))).toEqual([
      'chargeback/2026-10/chargeback-2026-10.csv',
      'chargeback/2026-10/chargeback-2026-10.xlsx',
      'chargeback/2026-10/journal-2026-10.csv',
      'chargeback/2026-10/manifest.json',
      'chargeback/2026-10/v2/chargeback-2026-10.csv',
      'chargeback/2026-10/v2/chargeback-2026-10.xlsx',
      'chargeback/2026-10/v2/journal-2026-10.csv',
      'chargeback/2026-10/v2/manifest.json',
    ]);
    expect((await checkVersion(share, '2026-10', 1)).trusted).toBe(true);
    expect((await checkVersion(share, '2026-10', 2)).trusted).toBe(true);
    const properties = await azurite.service().getContainerClient('finance').getBlobClient('chargeback/2026-10/journal-2026-10.csv').getProperties();
    expect(properties.contentType).toBe('text/csv; charset=utf-8');
    expect(second.files[1].link).toBe(`${azurite.serviceUrl}/finance/chargeback/2026-10/v2/journal-2026-10.csv`);
    const audit = JSON.stringify(await gateway.readTable('Audit'));
    expect(audit).toContain(`version 2 at ${azurite.serviceUrl}/finance/chargeback/2026-10/v2/`);
    expect(audit).not.toContain('sig=');
    expect(audit).not.toContain(sasOf(url));
  });

  it('creates a blob only when none of that name exists', async () => {
    const share = new BlobShare(await azurite.containerWithSas('conditional'), quick);
    await share.createFile('2026-10/a.csv', new TextEncoder().encode('first'));
    await expect(share.createFile('2026-10/a.csv', new TextEncoder().encode('second'))).rejects.toBeInstanceOf(ShareConflictError);
    expect(new TextDecoder().decode(await share.readFile('2026-10/a.csv'))).toBe('first');
    expect(await share.readFile('2026-10/missing.csv')).toBeUndefined();
  });

  it('never shows the SAS in an error', async () => {
    const readOnly = azurite.sasUrl('finance', 'readonly', 'rl');
    const failure = await publish(await approvedBook(), new BlobShare(readOnly, quick)).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(ShareError);
    expect((failure as Error).message).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/finance\/readonly\/2026-10\/chargeback-2026-10\.csv cannot be written: /);
    expect((failure as Error).message).not.toContain('sig=');
    expect((failure as Error).message).not.toContain(sasOf(readOnly).slice(0, 40));
  });

  it('leaves no complete-looking version when the connection is lost mid-publish', async () => {
    const url = await azurite.containerWithSas('outage');
    const relay = await CuttableRelay.start(azurite.port);
    try {
      const share = new BlobShare(url.replace(`:${azurite.port}/`, `:${relay.port}/`), quick);
      const gateway = await approvedBook();
      const bigWorkbook = new Uint8Array(24 * 1024 * 1024).map((_, i) => (i * 7919) % 251); // six 4 MB blocks
      const failure = await publish(gateway, share, bigWorkbook, (p) => {
        if (p.file === 'chargeback-2026-10.xlsx' && p.sentBytes > 0 && !p.done) relay.cut();
      }).catch((e: Error) => e);
      expect(failure).toBeInstanceOf(ShareError);
      expect((failure as Error).message).toContain('chargeback-2026-10.xlsx cannot be written');
      expect((failure as Error).message).not.toContain('sig=');
      // What the storage holds after the outage: the two CSVs, no workbook (its blocks were never committed), no manifest.
      expect(await blobNames('outage')).toEqual(['2026-10/chargeback-2026-10.csv', '2026-10/journal-2026-10.csv']);
      const direct = new BlobShare(url, quick);
      expect(await checkVersion(direct, '2026-10', 1)).toMatchObject({ trusted: false, reason: '2026-10/: no manifest.json (an unfinished publish)' });
      // The next publish does not write over the unfinished one.
      const retry = await publish(gateway, direct);
      expect(retry.folder).toBe('2026-10/v2/');
      expect(retry.supersedes).toBeUndefined();
      expect(await blobNames('outage', '2026-10/chargeback')).toEqual(['2026-10/chargeback-2026-10.csv']);
    } finally {
      await relay.close();
    }
  });

  it('leaves no complete-looking version when Azurite stops mid-publish', async () => {
    const doomed = await Azurite.start();
    try {
      const url = await doomed.containerWithSas('finance');
      const blobShare = new BlobShare(url, quick);
      const created: string[] = [];
      const attempted: string[] = [];
      const recording: Share = {
        location: blobShare.location,
        listFolder: (f) => blobShare.listFolder(f),
        readFile: (p) => blobShare.readFile(p),
        removeFile: (p) => blobShare.removeFile(p),
        createFile: async (p, b, o) => {
          attempted.push(p);
          const result = await blobShare.createFile(p, b, o);
          created.push(p);
          return result;
        },
      };
      const bigWorkbook = new Uint8Array(24 * 1024 * 1024).fill(7);
      const failure = await publish(await approvedBook(), recording, bigWorkbook, (p) => {
        if (p.file === 'chargeback-2026-10.xlsx' && p.sentBytes > 0 && !p.done) doomed.kill();
      }).catch((e: Error) => e);
      expect(failure).toBeInstanceOf(ShareError);
      expect((failure as Error).message).not.toContain('sig=');
      // The emulator died with its in-memory store; what matters is that the manifest — the one
      // file a reader trusts a version by — was never even attempted.
      expect(created).toEqual(['2026-10/chargeback-2026-10.csv', '2026-10/journal-2026-10.csv']);
      expect(attempted).not.toContain('2026-10/manifest.json');
    } finally {
      await doomed.stop();
    }
  });
});
