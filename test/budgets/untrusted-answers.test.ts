/**
 * The budgets client against a server that answers what it likes: the token never leaves the
 * endpoint's origin, a redirected write is not "created", paging ends, bodies are limited, and a
 * malformed answer or a server's error text reaches the user as a clear, redacted message.
 */
import { BudgetsApi, BudgetsApiError } from '../../src/budgets/budgets-api';
import { answerHuge, answerJson, ScriptedServer as Scripted } from '../support/scripted-server';

const SCOPE = '/subscriptions/00000000-0000-0000-0000-000000000001';
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.secret-token-body';
const budget = (name: string) => ({ id: `${SCOPE}/providers/Microsoft.CostManagement/budgets/${name}`, name, properties: { category: 'Cost', amount: 100, timeGrain: 'Monthly' } });

const json = answerJson;

let server: Scripted;
let elsewhere: Scripted;
beforeAll(async () => {
  server = await new Scripted().start();
  elsewhere = await new Scripted().start();
});
afterAll(async () => {
  await server.stop();
  await elsewhere.stop();
});
beforeEach(() => {
  server.requests.length = 0;
  elsewhere.requests.length = 0;
});

const api = () => new BudgetsApi({ endpoint: server.origin, token: async () => TOKEN, sleep: async () => undefined });
const listRequest = () => `GET ${server.origin}${SCOPE}/providers/Microsoft.CostManagement/budgets`;

describe('the bearer token', () => {
  it('is not sent to a nextLink on another host', async () => {
    server.answer = (_, res) => json(res, { value: [budget('a')], nextLink: `${elsewhere.origin}/steal?page=2` });
    await expect(api().list(SCOPE)).rejects.toThrow(`the answer to ${listRequest()} sends the next page to ${elsewhere.origin}/steal, not to ${server.origin}: not followed`);
    expect(elsewhere.requests).toEqual([]);
  });

  it('is sent over plain http only to this machine', () => {
    expect(() => new BudgetsApi({ endpoint: 'http://management.example.com', token: async () => TOKEN })).toThrow(
      new BudgetsApiError('the budgets endpoint http://management.example.com is refused: a sign-in token is sent only over https (plain http only to this machine)', 0),
    );
    expect(() => new BudgetsApi({ endpoint: 'http://127.0.0.1:1', token: async () => TOKEN })).not.toThrow();
    expect(() => new BudgetsApi({ endpoint: 'https://management.azure.com', token: async () => TOKEN })).not.toThrow();
  });
});

describe('a redirect', () => {
  it('on a write is an error, never a budget created', async () => {
    server.answer = (req, res) => {
      if (req.method === 'PUT') {
        res.writeHead(303, { location: '/created' });
        res.end();
      } else json(res, budget('team-a'));
    };
    const client = api();
    await expect(client.put(SCOPE, 'team-a', budget('team-a').properties as never)).rejects.toThrow(/was answered with a redirect \(303 to .*\/created\), which is not followed: nothing is reported as written/);
    expect(client.writes).toBe(0);
    expect(server.requests.map((r) => r.method)).toEqual(['PUT']);
  });
});

describe('paging by nextLink', () => {
  it('stops when a page links back to one already read', async () => {
    server.answer = (req, res) => json(res, { value: [budget(`b${server.requests.length}`)], nextLink: `${server.origin}${req.url}` });
    await expect(api().list(SCOPE)).rejects.toThrow(/page 2 links back to a page already read: stopped/);
    expect(server.requests).toHaveLength(1);
  });

  it('stops at the page limit (1,000 unless set)', async () => {
    server.answer = (req, res, n) => json(res, { value: [], nextLink: `${server.origin}${SCOPE}/providers/Microsoft.CostManagement/budgets?page=${n + 1}` });
    const client = new BudgetsApi({ endpoint: server.origin, token: async () => TOKEN, pageLimit: 50 });
    await expect(client.list(SCOPE)).rejects.toThrow(/is still paging after 50 pages: stopped/);
    expect(server.requests).toHaveLength(50);
  });
});

describe('an answer that is not what the service sends', () => {
  it('larger than 16 MB is refused as it streams, whatever its headers say', async () => {
    server.answer = (_, res) => answerHuge(res, '{"value":[', 64);
    await expect(api().list(SCOPE)).rejects.toThrow(`Cost Management: the answer to ${listRequest()} is larger than 16 MB: refused (not what this service sends)`);
  });

  it('that is not JSON names the request', async () => {
    server.answer = (_, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>proxy login</html>');
    };
    await expect(api().list(SCOPE)).rejects.toThrow(`Cost Management: the answer to ${listRequest()} is not valid JSON (text/html, 24 characters): <html>proxy login</html>`);
  });

  it('with a null entry names the request and the entry', async () => {
    server.answer = (_, res) => json(res, { value: [budget('a'), null] });
    await expect(api().list(SCOPE)).rejects.toThrow(`Cost Management's answer to ${listRequest()}: entry 2 of the list is not a budget (null); nothing was changed because of it`);
  });

  it('that is null for a budget names the request', async () => {
    server.answer = (_, res) => json(res, null);
    await expect(api().get(SCOPE, 'team-a')).rejects.toThrow(`Cost Management's answer to ${listRequest()}/team-a: the answer is not a budget (null)`);
  });
});

describe("a server's error text", () => {
  it('is shown only with secrets redacted', async () => {
    server.answer = (_, res) =>
      json(res, { error: { code: 'BadRequest', message: `echo: Authorization: Bearer ${TOKEN}; https://acct.blob.core.windows.net/c?sv=1&sig=SIGNATURE123; password=hunter2hunter AccountKey=a2V5a2V5a2V5` } }, 400);
    const failure = await api().list(SCOPE).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(BudgetsApiError);
    const message = (failure as Error).message;
    expect(message).toMatch(/^Cost Management answered 400 BadRequest: echo: Authorization: Bearer <redacted>/);
    for (const secret of ['secret-token-body', 'eyJ0eXAi', 'SIGNATURE123', 'hunter2hunter', 'a2V5a2V5']) expect(message).not.toContain(secret);
  });
});
