/**
 * The hub session (finops-hub.ts) with each of its clients against the same local hub:
 * azure-kusto-data (the command line) and fetch against the v2 REST endpoint (kusto-rest.ts, the
 * task pane). Both give the same cost lines, the same retries and the same errors; the pane's
 * Cancel reaches the request itself.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { CostLine } from '../../src/core/costs';
import { ingestFocus } from '../../src/core/ingest';
import { parseRules, ruleTablesFromJson } from '../../src/core/rules';
import { HubSession, hubPeriods, ingestFromHub } from '../../src/sources/finops-hub';
import { FinOpsHub } from '../../src/sources/kusto-hub';
import { kustoRestRunner, primaryRows } from '../../src/sources/kusto-rest';
import { costFilesAt } from '../../src/sources/node-files';
import { grainDimensions } from '../../src/workbook/steps';
import { hubAnswer } from '../support/hub-answer';
import { LocalHub } from '../support/kusto-server';

const sample = path.resolve('assets/sample');
const rules = parseRules(ruleTablesFromJson(JSON.parse(readFileSync(path.join(sample, 'rules.json'), 'utf8'))));
const dimensions = grainDimensions(rules);
const TOKEN = 'token-for-tests';

describe('the hub session with each client, against the local hub', () => {
  let hub: LocalHub;
  let lines: CostLine[];

  beforeAll(async () => {
    lines = (await ingestFocus(await costFilesAt(sample), { dimensions })).lines;
    hub = await LocalHub.start({ token: TOKEN, answer: hubAnswer(lines, dimensions) });
  });
  afterAll(() => hub.stop());
  beforeEach(() => {
    hub.received.length = 0;
    Object.assign(hub, { throttleNext: 0, forbidden: false, completionError: false, holdNext: false, abandoned: 0 });
  });

  const session = (options: { notices?: string[]; signal?: AbortSignal; received?: number[]; url?: string } = {}) =>
    new HubSession(
      { clusterUrl: options.url ?? hub.url, database: 'Hub' },
      { runner: kustoRestRunner(options.url ?? hub.url, { token: async () => TOKEN, onReceived: (b) => options.received?.push(b) }), onNotice: (m) => options.notices?.push(m), firstRetryMs: 10, signal: options.signal },
    );
  const credential = { getToken: async () => ({ token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }) };
  const clients: [string, (options?: { notices?: string[]; url?: string }) => HubSession][] = [
    ['azure-kusto-data (command line)', (options = {}) => new FinOpsHub({ clusterUrl: options.url ?? hub.url, database: 'Hub' }, { credential, onNotice: (m) => options.notices?.push(m), firstRetryMs: 10 })],
    ['fetch, v2 REST (task pane)', session],
  ];

  it('gives the same cost lines as azure-kusto-data does, from the same parameterised query', async () => {
    const received: number[] = [];
    const rest = await ingestFromHub(session({ received }), dimensions, '2026-10');
    const client = await ingestFromHub(clients[0][1](), dimensions, '2026-10');
    expect(rest).toEqual(client);
    expect(rest.lines).toEqual(lines.filter((l) => l.billingPeriod === '2026-10'));
    expect(hub.received[0]).toEqual(hub.received[1]);
    // progress: the bytes of the answer, as they came
    expect(received.length).toBeGreaterThan(0);
    expect(received[received.length - 1]).toBeGreaterThan(1000);
  });

  it('lists the periods the hub holds, newest first', async () => {
    const rows = (p: string) => lines.filter((l) => l.billingPeriod === p).reduce((a, l) => a + l.sourceRows, 0);
    await expect(hubPeriods(session())).resolves.toEqual([
      { period: '2026-10', rows: rows('2026-10') },
      { period: '2026-09', rows: rows('2026-09') },
    ]);
  });

  describe.each(clients.map(([name, connect]) => ({ name, connect })))('through $name', ({ connect }) => {
    it('retries with backoff when throttled, and says so', async () => {
      hub.throttleNext = 2;
      const notices: string[] = [];
      await ingestFromHub(connect({ notices }), dimensions, '2026-10');
      expect(hub.received).toHaveLength(3);
      expect(notices).toEqual([
        'FinOps hub (Data Explorer) throttled the query (summing 2026-10 to allocation grain); retrying in 0.0 s (attempt 2 of 5)',
        'FinOps hub (Data Explorer) throttled the query (summing 2026-10 to allocation grain); retrying in 0.0 s (attempt 3 of 5)',
      ]);
    });

    it('gives up after five throttled attempts, saying what to do', async () => {
      hub.throttleNext = 5;
      await expect(ingestFromHub(connect(), dimensions, '2026-10')).rejects.toThrow(/^FinOps hub \(Data Explorer\), summing 2026-10 to allocation grain: throttled 5 times: .*Try again later/);
    });

    it('says when the caller has no permission on the database and how to get it', async () => {
      hub.forbidden = true;
      await expect(ingestFromHub(connect(), dimensions, '2026-10')).rejects.toThrow(/no permission on database Hub: Principal 'aaduser=test' is not authorized to read database 'Hub'\. Ask the hub admin for the Viewer role/);
    });

    it('reports an error-level completion row, as azure-kusto-data does', async () => {
      hub.completionError = true;
      await expect(ingestFromHub(connect(), dimensions, '2026-10')).rejects.toThrow(/^FinOps hub \(Data Explorer\), summing 2026-10 to allocation grain: Kusto request had errors/);
    });

    it('falls back to Costs() on a hub without Costs_v1_2(), and says so', async () => {
      const older = await LocalHub.start({ token: TOKEN, version: 'only-costs', answer: hubAnswer(lines, dimensions) });
      try {
        const notices: string[] = [];
        const result = await ingestFromHub(connect({ notices, url: older.url }), dimensions, '2026-10');
        expect(result.costFunction).toBe('Costs');
        expect(result.files[0].name).toBe(`${older.url}/Hub Costs()`);
        expect(notices).toEqual(['FinOps hub (Data Explorer): Costs_v1_2() is missing in Hub; used Costs() instead']);
      } finally {
        await older.stop();
      }
    });
  });

  it('stops the request in flight on cancel: the hub sees the caller go, and no retry follows', async () => {
    hub.holdNext = true;
    const cancel = new AbortController();
    const reading = ingestFromHub(session({ signal: cancel.signal }), dimensions, '2026-10');
    while (hub.received.length === 0) await new Promise((r) => setTimeout(r, 5));
    cancel.abort(new Error('cancelled by the test'));
    await expect(reading).rejects.toThrow('cancelled by the test');
    while (hub.abandoned === 0) await new Promise((r) => setTimeout(r, 5));
    expect(hub.received).toHaveLength(1);
  });

  it('stops waiting to retry on cancel', async () => {
    hub.throttleNext = 1;
    const cancel = new AbortController();
    const hubSession = new HubSession({ clusterUrl: hub.url, database: 'Hub' }, { runner: kustoRestRunner(hub.url, { token: async () => TOKEN }), firstRetryMs: 60_000, signal: cancel.signal, onNotice: () => cancel.abort(new Error('cancelled while waiting')) });
    await expect(ingestFromHub(hubSession, dimensions, '2026-10')).rejects.toThrow('cancelled while waiting');
    expect(hub.received).toHaveLength(1);
  });

  it('says which cluster it cannot reach', async () => {
    // a port that was free a moment ago: nothing listens there
    const gone = await LocalHub.start({ token: TOKEN, answer: hubAnswer(lines, dimensions) });
    const url = gone.url;
    await gone.stop();
    await expect(ingestFromHub(session({ url }), dimensions, '2026-10')).rejects.toThrow(new RegExp(`summing 2026-10 to allocation grain: cannot reach ${url.replace(/[.]/g, '\\.')}: .*Check the cluster URL`));
  });
});

describe('reading v2 frames', () => {
  const fixture = (name: string) => JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/kusto', name), 'utf8'));
  it("reads the primary result's rows by column name, nulls kept", () => {
    const rows = primaryRows(fixture('v2-response-example.json'));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ Name: 'foo', Altitude: 101, Temperature: 3.14, IsFlying: false });
    expect(rows[2]).toMatchObject({ Timestamp: null, Name: '' });
  });
  it('refuses an answer with an error-level completion row', () => {
    expect(() => primaryRows(fixture('v2-error-response-example.json'))).toThrow(/^Kusto request had errors/);
  });
});
