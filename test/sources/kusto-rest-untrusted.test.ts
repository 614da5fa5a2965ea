/**
 * The pane's Kusto client (kusto-rest.ts) against a hub that answers what it likes: the token goes
 * only to the cluster over https (http on this machine), a redirect is not followed, the answer is
 * limited as it streams, and a malformed answer or error text is a clear, redacted message.
 */
import { KqlQuery } from '../../src/core/grain-kql';
import { KUSTO_ANSWER_LIMIT, kustoRestRunner } from '../../src/sources/kusto-rest';
import { answerHuge, answerJson, ScriptedServer } from '../support/scripted-server';

const TOKEN = 'eyJ0eXAiOiJKV1QifQ.kusto-secret-token';
const query: KqlQuery = { text: 'Costs() | take 1', parameters: {}, parameterTypes: {} } as unknown as KqlQuery;

let hub: ScriptedServer;
beforeAll(async () => {
  hub = await new ScriptedServer().start();
});
afterAll(() => hub.stop());
beforeEach(() => (hub.requests.length = 0));

const run = (url = hub.origin) => kustoRestRunner(url, { token: async () => TOKEN }).run('Hub', query);
const request = () => `POST ${hub.origin}/v2/rest/query`;

describe('the pane hub client, given an answer it cannot trust', () => {
  it('sends no token over plain http to another machine', async () => {
    await expect(run('http://hub.example.com')).rejects.toThrow('the hub http://hub.example.com is refused: a sign-in token is sent only over https (plain http only to this machine)');
  });

  it('does not follow a redirect', async () => {
    hub.answer = (_, res) => {
      res.writeHead(307, { location: 'https://elsewhere.example.com/v2/rest/query' });
      res.end();
    };
    await expect(run()).rejects.toThrow(`${request()} was answered with a redirect (307 to https://elsewhere.example.com/v2/rest/query), which is not followed`);
  });

  it('refuses an answer larger than its limit (256 MB unless set) as it streams', async () => {
    expect(KUSTO_ANSWER_LIMIT).toBe(256 * 1024 * 1024);
    hub.answer = (_, res) => answerHuge(res, '[', 8);
    const limited = kustoRestRunner(hub.origin, { token: async () => TOKEN, answerLimit: 4 * 1024 * 1024 });
    await expect(limited.run('Hub', query)).rejects.toThrow(`the answer to ${request()} is larger than 4 MB: refused`);
  });

  it('names the request when the answer is not JSON', async () => {
    hub.answer = (_, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>captive portal</html>');
    };
    await expect(run()).rejects.toThrow(`the answer to ${request()} is not valid JSON (27 characters): <html>captive portal</html>`);
  });

  it('refuses frames that are null or rows that are not lists', async () => {
    hub.answer = (_, res) => answerJson(res, [null]);
    await expect(run()).rejects.toThrow(`the answer to ${request()} is not a list of Kusto frames`);
    hub.answer = (_, res) => answerJson(res, [{ FrameType: 'DataTable', TableKind: 'PrimaryResult', Columns: [{ ColumnName: 'x', ColumnType: 'string' }], Rows: [null] }]);
    await expect(run()).rejects.toThrow("the hub's primary result has a row that is not a list of 1 values");
  });

  it("shows the server's error text without secrets", async () => {
    hub.answer = (_, res) => answerJson(res, { error: { '@message': `denied for Bearer ${TOKEN} at https://a.blob.core.windows.net/x?sig=SIGSECRET1 password=hunter2hunter` } }, 403);
    const failure = (await run().catch((error: Error) => error)) as Error;
    expect(failure.message).toMatch(/^denied for Bearer <redacted>/);
    for (const secret of ['kusto-secret-token', 'SIGSECRET1', 'hunter2hunter']) expect(failure.message).not.toContain(secret);
  });
});
