/**
 * A FinOps hub (Azure Data Explorer or Microsoft Fabric Real-Time Intelligence) as a source: the
 * grain query (grain-kql.ts) runs in the hub's `Hub` database and only cost lines come back. This
 * part is the same for every host: which function to query, retrying while throttled, the errors
 * in the user's words, and the grain rows as cost lines. How a query reaches the hub is a runner:
 * azure-kusto-data on the command line (kusto-hub.ts), fetch against the v2 REST endpoint in the
 * task pane (kusto-rest.ts). Browser-safe: no Node built-ins.
 */
import { costLinesFromGrainRows, grainRowOfRecord } from '../core/grain';
import { grainKql, HUB_COST_FUNCTIONS, HubCostFunction, KQL_RESULT, KqlQuery, periodsKql } from '../core/grain-kql';
import type { IngestResult } from '../core/ingest';
import { EngineError } from './engine-error';

export const HUB_ENGINE = 'FinOps hub (Data Explorer)';

export interface HubLocation {
  /** `https://NAME.REGION.kusto.windows.net` or a Fabric eventhouse query URI. */
  clusterUrl: string;
  database: string;
}

/**
 * `kusto://CLUSTER/DATABASE` or `https://CLUSTER/DATABASE` (the database defaults to `Hub`);
 * undefined when the source is not a hub. Plain http only for this machine (a local emulator).
 */
export function hubLocationOf(source: string): HubLocation | undefined {
  const match = /^(kusto|https?):\/\/([^/?#]+)\/?([^/?#]*)$/i.exec(source.trim());
  if (!match) return undefined;
  const [, scheme, host, database] = match;
  const local = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i.test(host);
  if (scheme.toLowerCase() === 'http' && !local) return undefined;
  const protocol = scheme.toLowerCase() === 'http' ? 'http' : 'https';
  return { clusterUrl: `${protocol}://${host}`, database: decodeURIComponent(database) || 'Hub' };
}

export type HubRow = Record<string, unknown>;

/** Sends one query to a hub and gives back its primary result's rows; rejects as its client does. */
export interface KustoQueryRunner {
  run(database: string, query: KqlQuery, signal?: AbortSignal): Promise<HubRow[]>;
  close?(): void;
}

/** The query's parameters as Kusto's request properties take them: datetimes as `datetime(…)` literals. */
export function requestParameters(query: KqlQuery): Record<string, string> {
  return Object.fromEntries(Object.entries(query.parameters).map(([name, value]) => [name, query.parameterTypes[name] === 'datetime' ? `datetime(${value})` : value]));
}

export interface HubSessionOptions {
  runner: KustoQueryRunner;
  /** Told to the user as it happens: the function used, throttling and retries. */
  onNotice?: (message: string) => void;
  /** Attempts when the hub throttles, and the first wait (doubled each time). */
  attempts?: number;
  firstRetryMs?: number;
  /** Stops the query in flight and any wait before a retry; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** What to do when signing in fails, for this host. */
  signInAdvice?: string;
}

/** Waits `ms`, or rejects at once when `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', stop, { once: true });
  });
}

/** One connection to a hub: runs parameterised queries, retries when throttled, names every failure. */
export class HubSession {
  private costFunction: HubCostFunction | undefined;

  constructor(
    readonly location: HubLocation,
    private readonly options: HubSessionOptions,
  ) {}

  close(): void {
    this.options.runner.close?.();
  }

  /** Runs one query (its parameters sent beside the text), retrying with backoff while throttled. */
  async query(step: string, query: KqlQuery): Promise<HubRow[]> {
    const { signal } = this.options;
    const attempts = this.options.attempts ?? 5;
    let wait = this.options.firstRetryMs ?? 2000;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.options.runner.run(this.location.database, query, signal);
      } catch (error) {
        // A cancel is the user's, not the hub's failure: it is passed on as it is.
        if (signal?.aborted) throw signal.reason;
        if (isThrottled(error) && attempt < attempts) {
          this.options.onNotice?.(`${HUB_ENGINE} throttled the query (${step}); retrying in ${(wait / 1000).toFixed(wait < 1000 ? 1 : 0)} s (attempt ${attempt + 1} of ${attempts})`);
          await pause(wait, signal);
          wait *= 2;
          continue;
        }
        throw this.failure(step, error, attempt);
      }
    }
  }

  /** The hub's cost function: `Costs_v1_2()`, else `Costs()` (said), else an error that says the hub is too old. */
  async findCostFunction(run: (costFunction: HubCostFunction) => Promise<HubRow[]>): Promise<{ costFunction: HubCostFunction; rows: HubRow[] }> {
    const candidates = this.costFunction ? [this.costFunction] : HUB_COST_FUNCTIONS;
    for (const costFunction of candidates) {
      try {
        const rows = await run(costFunction);
        if (this.costFunction !== costFunction && costFunction !== HUB_COST_FUNCTIONS[0]) this.options.onNotice?.(`${HUB_ENGINE}: ${HUB_COST_FUNCTIONS[0]}() is missing in ${this.location.database}; used ${costFunction}() instead`);
        this.costFunction = costFunction;
        return { costFunction, rows };
      } catch (error) {
        if (!(error instanceof EngineError && unknownFunction(error.problem, costFunction))) throw error;
      }
    }
    throw new EngineError(
      HUB_ENGINE,
      'finding the cost function',
      `neither ${HUB_COST_FUNCTIONS.map((f) => `${f}()`).join(' nor ')} exists in database ${this.location.database} of ${this.location.clusterUrl}`,
      'The hub is older than FinOps hubs v12 (Costs_v1_2): upgrade the hub, or name its Hub database in the source (kusto://CLUSTER/Hub)',
    );
  }

  private failure(step: string, error: unknown, attempt: number): EngineError {
    const status = statusOf(error);
    const problem = serverMessage(error);
    if (isThrottled(error)) return new EngineError(HUB_ENGINE, step, `throttled ${attempt} times: ${problem}`, 'Try again later, or ask the hub admin to raise the request rate limit of your workload group');
    if (status === 401 || status === 403 || /Forbidden|Unauthorized|principal .* is not authorized/i.test(problem)) {
      return new EngineError(HUB_ENGINE, step, `no permission on database ${this.location.database}: ${problem}`, `Ask the hub admin for the Viewer role on the ${this.location.database} database (.add database ${this.location.database} viewers ('aaduser=YOU@DOMAIN'))`);
    }
    const name = (error as Error)?.name ?? '';
    if (/CredentialUnavailable|AuthenticationError|AggregateAuthenticationError|SignInError/.test(name)) {
      return new EngineError(HUB_ENGINE, 'signing in', problem, this.options.signInAdvice ?? 'Sign in with az login (or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET for a service principal)');
    }
    // Node's fetch puts the socket's code on the cause; browsers say only "Failed to fetch" (also when CORS refuses).
    const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code ?? '';
    if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|Failed to fetch|fetch failed|NetworkError|Load failed/.test(`${code} ${problem}`)) {
      return new EngineError(HUB_ENGINE, step, `cannot reach ${this.location.clusterUrl}: ${problem}`, "Check the cluster URL (the hub's Data Explorer or Fabric query URI) and your network");
    }
    return new EngineError(HUB_ENGINE, step, problem);
  }
}

/** The HTTP status of a failed request: azure-kusto-data's (axios) `response.status`, or the REST runner's `status`. */
function statusOf(error: unknown): number | undefined {
  return (error as { response?: { status?: number } }).response?.status ?? (error as { status?: number }).status;
}

function isThrottled(error: unknown): boolean {
  return (error as Error)?.name === 'ThrottlingError' || statusOf(error) === 429 || /throttl|E_QUERY_THROTTLED|TooManyRequests/i.test(serverMessage(error));
}

function unknownFunction(problem: string, costFunction: string): boolean {
  return problem.includes(costFunction) && /unknown function|failed to resolve|does not refer to any known|SEM0260/i.test(problem);
}

/** The most telling message of a Kusto failure: the server's `@message`, else its `message`, else the client's. */
function serverMessage(error: unknown): string {
  const body = (error as { response?: { data?: { error?: { message?: string; '@message'?: string } } } }).response?.data?.error;
  const text = body?.['@message'] ?? body?.message ?? (error as Error)?.message ?? String(error);
  return text.replace(/\s+/g, ' ').trim();
}

/** The grain rows of one period from the hub, as cost lines; the source is named with the function used. */
export async function ingestFromHub(hub: HubSession, dimensions: readonly string[], period: string, optionalDimensions: readonly string[] = []): Promise<IngestResult & { costFunction: HubCostFunction }> {
  const step = `summing ${period} to allocation grain`;
  const { costFunction, rows } = await hub.findCostFunction((f) => hub.query(step, grainKql(f, dimensions, period, optionalDimensions)));
  const missing = rows.reduce((a, r) => a + Number(r[KQL_RESULT.missing] ?? 0), 0);
  if (missing > 0) throw new EngineError(HUB_ENGINE, step, `${missing} cost rows of ${period} have no BilledCost or EffectiveCost`, 'Re-ingest the month into the hub, or ask the hub admin why the costs are empty');
  const grainRows = rows.map((r) => grainRowOfRecord(r, dimensions.length + 4, KQL_RESULT));
  let lines;
  try {
    lines = costLinesFromGrainRows(dimensions, grainRows, `${costFunction}()`);
  } catch (error) {
    throw new EngineError(HUB_ENGINE, 'reading the grain rows', (error as Error).message);
  }
  const rowsRead = grainRows.reduce((a, r) => a + r.sourceRows, 0);
  const name = `${hub.location.clusterUrl}/${hub.location.database} ${costFunction}()`;
  return { lines, rowsRead, files: [{ name, rows: rowsRead }], dimensions: [...dimensions], costFunction };
}

/** The periods a hub holds and their row counts, newest first. */
export async function hubPeriods(hub: HubSession): Promise<{ period: string; rows: number }[]> {
  const { rows } = await hub.findCostFunction((f) => hub.query('listing the billing periods', periodsKql(f)));
  return rows.map((r) => ({ period: String(r.BillingPeriod), rows: Number(r[KQL_RESULT.rows]) }));
}
