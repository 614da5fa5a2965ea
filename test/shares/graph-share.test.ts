import { checkVersion } from '../../src/core/publication';
import { graphClient, GraphShare, resolveDrive } from '../../src/shares/graph-share';
import { ShareConflictError, ShareError } from '../../src/shares/share';
import { publishWorkbook } from '../../src/workbook/publish';
import { approvedBook, clock, restatedBook } from '../support/approved-book';
import { FakeGraph } from '../support/graph-server';

let graph: FakeGraph;
beforeEach(async () => {
  graph = await new FakeGraph().start();
});
afterEach(async () => {
  await graph.stop();
});

const client = () => graphClient(async () => 'test-token', graph.baseUrl);
const share = (options = {}) => new GraphShare(client(), 'drive-1', 'Chargeback', { displayName: 'Finance Share', ...options });
const bytes = (size: number) => new Uint8Array(size).map((_, i) => i % 253);

describe('publishing to SharePoint through Microsoft Graph', () => {
  it('finds the document library of the configured site', async () => {
    expect(await resolveDrive(client(), { siteUrl: 'https://contoso.sharepoint.com/sites/Finance', library: 'Finance Share' })).toBe('drive-1');
    await expect(resolveDrive(client(), { siteUrl: 'https://contoso.sharepoint.com/sites/Finance', library: 'Ledger' })).rejects.toThrow('has no document library "Ledger"; it has Documents, Finance Share');
  });

  it('uploads small files in one PUT and a workbook over 4 MB in an upload session, then republishes as v2', async () => {
    const gateway = await approvedBook();
    const workbook = bytes(5 * 1024 * 1024 + 17);
    const progress: number[] = [];
    const first = await publishWorkbook(gateway, share(), {
      user: 'Sam Controller',
      now: clock('2026-11-04T09:00:00Z'),
      workbookBytes: workbook,
      onProgress: (p) => p.file === 'chargeback-2026-10.xlsx' && progress.push(p.sentBytes),
    });
    // (the showback statements and facts have their own test, test/shares/reporting-shares.test.ts)
    const reporting = (url: string) => /\/(showback|facts)\//.test(decodeURIComponent(url));
    expect(first.files.map((f) => f.link).filter((link) => !reporting(link))).toEqual([
      'https://contoso.sharepoint.com/sites/Finance/Finance%20Share/Chargeback/2026-10/chargeback-2026-10.csv',
      'https://contoso.sharepoint.com/sites/Finance/Finance%20Share/Chargeback/2026-10/journal-2026-10.csv',
      'https://contoso.sharepoint.com/sites/Finance/Finance%20Share/Chargeback/2026-10/chargeback-2026-10.xlsx',
    ]);
    expect(Buffer.compare(graph.files.get('Chargeback/2026-10/chargeback-2026-10.xlsx')!, Buffer.from(workbook))).toBe(0);
    const sessionPuts = graph.requests.filter((r) => r.url.startsWith('/upload/') && r.method === 'PUT');
    expect(sessionPuts.map((r) => r.contentRange)).toEqual(['bytes 0-3276799/5242897', 'bytes 3276800-5242896/5242897']);
    expect(sessionPuts.every((r) => r.authorization === undefined)).toBe(true); // the upload URL is pre-authorized
    expect(progress).toEqual([0, 3276800, 5242897, 5242897]);
    const simple = graph.requests.filter((r) => r.method === 'PUT' && r.url.includes(':/content'));
    expect(simple.filter((r) => !reporting(r.url)).map((r) => decodeURIComponent(r.url))).toEqual([
      '/v1.0/drives/drive-1/root:/Chargeback/2026-10/chargeback-2026-10.csv:/content?@microsoft.graph.conflictBehavior=fail',
      '/v1.0/drives/drive-1/root:/Chargeback/2026-10/journal-2026-10.csv:/content?@microsoft.graph.conflictBehavior=fail',
      '/v1.0/drives/drive-1/root:/Chargeback/2026-10/manifest.json:/content?@microsoft.graph.conflictBehavior=fail',
    ]);
    expect((await checkVersion(share(), '2026-10', 1)).trusted).toBe(true);

    // The period restated (a late credit, a revised hub): a second version.
    const second = await publishWorkbook(await restatedBook(gateway), share(), { user: 'Sam Controller', workbookBytes: workbook });
    expect(second.folder).toBe('2026-10/v2/');
    expect(second.supersedes).toMatchObject({ version: 1, manifestSha256: first.manifestSha256 });
    expect(second.location).toBe('Finance Share/Chargeback');
  });

  it('never replaces an existing file, small or large', async () => {
    await share().createFile('2026-10/a.csv', bytes(10));
    await expect(share().createFile('2026-10/a.csv', bytes(10))).rejects.toBeInstanceOf(ShareConflictError);
    await share({ largeFileBytes: 100 }).createFile('2026-10/big.xlsx', bytes(400_000));
    await expect(share({ largeFileBytes: 100 }).createFile('2026-10/big.xlsx', bytes(400_000))).rejects.toBeInstanceOf(ShareConflictError);
  });

  it('cancels the upload session when a chunk fails, leaving no file', async () => {
    graph.failSessionPut = 2;
    await expect(share({ largeFileBytes: 100, chunkBytes: 320 * 1024 }).createFile('2026-10/big.xlsx', bytes(700_000))).rejects.toThrow(ShareError);
    expect(graph.requests.some((r) => r.method === 'DELETE' && r.url.startsWith('/upload/'))).toBe(true);
    expect(graph.files.has('Chargeback/2026-10/big.xlsx')).toBe(false);
    expect(await share().listFolder('2026-10/')).toBeUndefined();
  });
});
