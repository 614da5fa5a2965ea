/**
 * The Graph share against a Graph that answers what it likes: its token never leaves Graph's
 * origin, a listing's paging ends, a redirected upload is not "created", and an upload session
 * address over plain http to another machine is refused.
 */
import http from 'node:http';
import { graphClient, GraphShare } from '../../src/shares/graph-share';
import { FakeGraph } from '../support/graph-server';
import { ScriptedServer } from '../support/scripted-server';

let graph: FakeGraph;
let elsewhere: ScriptedServer;
beforeEach(async () => {
  graph = await new FakeGraph().start();
  elsewhere = await new ScriptedServer().start();
});
afterEach(async () => {
  await graph.stop();
  await elsewhere.stop();
});

const share = (options = {}) => new GraphShare(graphClient(async () => 'test-token', graph.baseUrl), 'drive-1', 'Chargeback', { displayName: 'Finance Share', ...options });
const listing = (res: http.ServerResponse, nextLink: string) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ value: [{ name: 'a.csv', file: {} }], '@odata.nextLink': nextLink }));
};

describe('the Graph share, given answers it cannot trust', () => {
  it('does not send its token to a nextLink on another host', async () => {
    graph.intercept = (req, path, res) => path.endsWith('/children') && (listing(res, `${elsewhere.origin}/v1.0/steal`), true);
    await expect(share().listFolder('2026-10')).rejects.toThrow(`sends the next page to ${elsewhere.origin}/v1.0/steal, not to ${graph.baseUrl.replace(/\/$/, '')}: not followed`);
    expect(elsewhere.requests).toEqual([]);
  });

  it('stops a listing whose next page links back to itself', async () => {
    graph.intercept = (req, path, res) => path.endsWith('/children') && (listing(res, `${graph.baseUrl}v1.0/drives/drive-1/root:/Chargeback/2026-10:/children?page=1`), true);
    await expect(share().listFolder('2026-10')).rejects.toThrow(/links back to a page already read: stopped/);
    expect(graph.requests.length).toBeLessThanOrEqual(3);
  });

  it('refuses a listing with a null entry', async () => {
    graph.intercept = (req, path, res) => path.endsWith('/children') && (res.writeHead(200, { 'content-type': 'application/json' }), res.end('{"value":[null]}'), true);
    await expect(share().listFolder('2026-10')).rejects.toThrow('Finance Share/Chargeback/2026-10 cannot be listed: the listing of 2026-10 has an entry without a name');
  });

  it('reports an upload answered with a redirect as not written', async () => {
    graph.intercept = (req, path, res) => req.method === 'PUT' && path.endsWith(':/content') && (res.writeHead(303, { location: '/v1.0/elsewhere' }), res.end(), true);
    await expect(share().createFile('2026-10/journal-2026-10.csv', new Uint8Array([1, 2, 3]))).rejects.toThrow(/journal-2026-10.csv cannot be written: PUT .* was answered with a redirect \(303 to .*\/v1.0\/elsewhere\), which is not followed: nothing is reported as written/);
    expect(graph.files.size).toBe(0);
  });

  it('sends no bytes to an upload session address over plain http to another machine', async () => {
    graph.intercept = (req, path, res) =>
      path.endsWith(':/createUploadSession') && (res.writeHead(200, { 'content-type': 'application/json' }), res.end(JSON.stringify({ uploadUrl: 'http://uploads.example.com/session/1' })), true);
    await expect(share({ largeFileBytes: 10 }).createFile('2026-10/book.xlsx', new Uint8Array(100))).rejects.toThrow(
      'the upload session address http://uploads.example.com/session/1 is refused: the chargeback files are sent only over https (plain http only to this machine)',
    );
  });
});
