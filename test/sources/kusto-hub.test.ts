import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { TokenCredential } from '@azure/identity';
import { runChargeback } from '../../src/cli/commands';
import { testSource } from '../../src/cli/sources';
import { CostLine } from '../../src/core/costs';
import { grainKql } from '../../src/core/grain-kql';
import { ingestFocus } from '../../src/core/ingest';
import { formatExact } from '../../src/core/money';
import { optionalGrainDimensions } from '../../src/core/focus';
import { parseRules, ruleDimensions, ruleTablesFromJson } from '../../src/core/rules';
import { FinOpsHub, hubLocationOf, ingestFromHub } from '../../src/sources/kusto-hub';
import { costFilesAt } from '../../src/sources/node-files';
import { grainDimensions } from '../../src/workbook/steps';
import { tempDir } from '../support/files';
import { LocalHub } from '../support/kusto-server';
import { hubAnswer } from '../support/hub-answer';

const sample = path.resolve('assets/sample');
const rulesFile = path.join(sample, 'rules.json');
const rules = parseRules(ruleTablesFromJson(JSON.parse(readFileSync(rulesFile, 'utf8'))));
const dimensions = grainDimensions(rules);
const credential: TokenCredential = { getToken: async () => ({ token: 'token-for-tests', expiresOnTimestamp: Date.now() + 3_600_000 }) };

describe('a FinOps hub as a source, through azure-kusto-data against a local hub', () => {
  let hub: LocalHub;
  let lines: CostLine[];
  const dir = tempDir('chargeback-hub-');

  beforeAll(async () => {
    lines = (await ingestFocus(await costFilesAt(sample), { dimensions })).lines;
    hub = await LocalHub.start({ token: 'token-for-tests', answer: hubAnswer(lines, dimensions) });
  });
  afterAll(() => hub.stop());
  beforeEach(() => {
    hub.received.length = 0;
    hub.throttleNext = 0;
    hub.forbidden = false;
    hub.completionError = false;
  });

  const connect = (notices: string[] = [], database = 'Hub') => new FinOpsHub({ clusterUrl: hub.url, database }, { credential, onNotice: (m) => notices.push(m), firstRetryMs: 10 });

  it('charges back the same month as the files do, to the cent, from one parameterised query', async () => {
    const fromHub = await runChargeback({ costs: [], source: `${hub.url}/Hub`, credential, period: '2026-10', rules: rulesFile, out: path.join(dir, 'hub.xlsx'), quiet: true });
    const fromFiles = await runChargeback({ costs: [path.join(sample, 'focus-2026-10.csv')], period: '2026-10', rules: rulesFile, out: path.join(dir, 'files.xlsx'), quiet: true });
    expect(fromHub.summary).toEqual(fromFiles.summary);
    expect(hub.received).toHaveLength(1);
    // the default dimensions no rule names are read with column_ifexists (a hub's older Costs() may lack them)
    const expected = grainKql('Costs_v1_2', dimensions, '2026-10', optionalGrainDimensions(ruleDimensions(rules)));
    expect(expected.text).toContain("column_ifexists('ProviderName', '')");
    expect(hub.received[0]).toEqual({ db: 'Hub', csl: expected.text, parameters: { periodStart: 'datetime(2026-10-01T00:00:00Z)', periodEnd: 'datetime(2026-11-01T00:00:00Z)', tagKey0: 'costcenter', tagFolded0: 'costcenter' } });
  });

  it('gives the cost lines of the period exactly as the in-process reader does', async () => {
    const result = await ingestFromHub(connect(), dimensions, '2026-09');
    expect(result.lines).toEqual(lines.filter((l) => l.billingPeriod === '2026-09'));
    expect(result.files).toEqual([{ name: `${hub.url}/Hub Costs_v1_2()`, rows: result.rowsRead }]);
  });

  // Retries, refusals, completion errors and the Costs() fallback: test/sources/kusto-rest.test.ts, for both clients.

  it('says the hub is too old when neither function exists', async () => {
    const oldest = await LocalHub.start({ token: 'token-for-tests', version: 'older', answer: hubAnswer(lines, dimensions) });
    try {
      await expect(ingestFromHub(new FinOpsHub({ clusterUrl: oldest.url, database: 'Hub' }, { credential }), dimensions, '2026-10')).rejects.toThrow(
        /^FinOps hub \(Data Explorer\), finding the cost function: neither Costs_v1_2\(\) nor Costs\(\) exists in database Hub .*older than FinOps hubs v12/,
      );
    } finally {
      await oldest.stop();
    }
  });

  it('tests a connection: the function used, the periods held, rows and totals of the period', async () => {
    const report = await testSource(`${hub.url}/Hub`, '2026-10', { credential });
    const october = lines.filter((l) => l.billingPeriod === '2026-10');
    const sum = (currency: string, f: (l: CostLine) => bigint) => formatExact(october.filter((l) => l.currency === currency).reduce((a, l) => a + f(l), 0n));
    const rows = (period: string) => lines.filter((l) => l.billingPeriod === period).reduce((a, l) => a + l.sourceRows, 0).toLocaleString('en-US');
    expect(report).toBe(
      `FinOps hub (Data Explorer) ${hub.url}, database Hub: connected, using Costs_v1_2()\n` +
        `periods held: 2026-10 (${rows('2026-10')} rows), 2026-09 (${rows('2026-09')} rows)\n` +
        `2026-10: ${rows('2026-10')} FOCUS rows, ${new Set(october.map((l) => `${l.currency}|${l.chargeCategory}|${l.commitmentDiscountStatus}`)).size} cost lines at allocation grain\n` +
        // the sample's euro billing account, then the dollars: a total per billing currency
        `  EUR BilledCost ${sum('EUR', (l) => l.billedCost)}, EffectiveCost ${sum('EUR', (l) => l.effectiveCost)}\n` +
        `  USD BilledCost ${sum('USD', (l) => l.billedCost)}, EffectiveCost ${sum('USD', (l) => l.effectiveCost)}\n`,
    );
  });

  it('names a database that is not there', async () => {
    await expect(ingestFromHub(connect([], 'Ingestion2'), dimensions, '2026-10')).rejects.toThrow(/summing 2026-10 to allocation grain: Database 'Ingestion2' was not found/);
  });
});

describe('hub addresses', () => {
  it.each([
    ['kusto://myhub.westeurope.kusto.windows.net/Hub', { clusterUrl: 'https://myhub.westeurope.kusto.windows.net', database: 'Hub' }],
    ['https://myhub.westeurope.kusto.windows.net/Hub', { clusterUrl: 'https://myhub.westeurope.kusto.windows.net', database: 'Hub' }],
    ['https://trd-abc.z0.kusto.fabric.microsoft.com', { clusterUrl: 'https://trd-abc.z0.kusto.fabric.microsoft.com', database: 'Hub' }],
    ['http://127.0.0.1:8080/Hub', { clusterUrl: 'http://127.0.0.1:8080', database: 'Hub' }],
  ])('reads %s', (source, location) => expect(hubLocationOf(source)).toEqual(location));

  it.each(['http://myhub.westeurope.kusto.windows.net/Hub', 'databricks://host/warehouse', '/data/focus', 'kusto://host/Hub/extra'])('does not take %s for a hub', (source) => expect(hubLocationOf(source)).toBeUndefined());
});
