/**
 * The Cost Management budgets REST API (`{endpoint}{scope}/providers/Microsoft.CostManagement/
 * budgets/{name}?api-version=2025-03-01`) over `fetch`, so the same client runs in Node and in the
 * task pane. The npm SDK (@azure/arm-consumption) pins a 2021 api-version, hence REST.
 *
 * Throttling (429, and 503) is retried after the time the service asks for; 412 and 409 (someone
 * changed the budget since it was read) surface as a ConcurrencyError so the caller re-reads and
 * re-plans; 401 and 403 say what sign-in or role is missing, and at which scope.
 */
import { AzureBudget, BUDGETS_API_VERSION, BudgetProperties } from './budget';
import { BUDGET_ROLES, parseScope } from './scopes';

export const DEFAULT_ENDPOINT = 'https://management.azure.com';

export interface BudgetsApiOptions {
  /** Resource Manager, `https://management.azure.com` unless a sovereign cloud or a test server. */
  endpoint?: string;
  /** A bearer token for Resource Manager, asked for before each request (the credential caches). */
  token: () => Promise<string>;
  fetch?: typeof fetch;
  /** Waits, injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Tries per request while throttled. */
  attempts?: number;
}

/** Cost Management refused or failed a request; the message says what to do. */
export class BudgetsApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'BudgetsApiError';
  }
}

/** The budget changed since it was read (412 Precondition Failed, 409 Conflict): read it again. */
export class ConcurrencyError extends BudgetsApiError {}

const RETRY_HEADERS = ['x-ms-ratelimit-microsoft.consumption-retry-after', 'retry-after'];
const MAX_WAIT_MS = 120_000;

/** The wait a throttled response asks for: seconds, or an HTTP date (RFC 9110 Retry-After). */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  for (const name of RETRY_HEADERS) {
    const value = headers.get(name);
    if (!value) continue;
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_WAIT_MS);
    const date = Date.parse(value);
    if (!Number.isNaN(date)) return Math.min(Math.max(date - now, 0), MAX_WAIT_MS);
  }
  return undefined;
}

type Method = 'GET' | 'PUT' | 'DELETE';

export class BudgetsApi {
  readonly endpoint: string;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly attempts: number;
  /** Requests that changed something (PUT, DELETE answered with success), for "what did apply write". */
  writes = 0;

  constructor(private readonly options: BudgetsApiOptions) {
    this.endpoint = (options.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.attempts = options.attempts ?? 6;
  }

  private url(scope: string, name?: string): string {
    const path = `${scope}/providers/Microsoft.CostManagement/budgets${name === undefined ? '' : `/${name}`}`;
    return `${this.endpoint}${path.split('/').map(encodeURIComponent).join('/')}?api-version=${BUDGETS_API_VERSION}`;
  }

  /** Every budget at a scope (a subscription's listing includes its resource groups' budgets). */
  async list(scope: string): Promise<AzureBudget[]> {
    const budgets: AzureBudget[] = [];
    let url: string | undefined = this.url(scope);
    while (url) {
      const page = (await this.send('GET', url, scope)) as { value?: AzureBudget[]; nextLink?: string | null };
      budgets.push(...(page.value ?? []));
      url = page.nextLink || undefined;
    }
    return budgets;
  }

  /** The budget, or undefined when the scope has none of that name. */
  async get(scope: string, name: string): Promise<AzureBudget | undefined> {
    return (await this.send('GET', this.url(scope, name), scope, undefined, [404])) as AzureBudget | undefined;
  }

  /** Creates or replaces the budget; with the eTag of the budget as read, it fails if it changed since. */
  async put(scope: string, name: string, properties: BudgetProperties, eTag?: string): Promise<AzureBudget> {
    return (await this.send('PUT', this.url(scope, name), scope, { ...(eTag ? { eTag } : {}), properties })) as AzureBudget;
  }

  async delete(scope: string, name: string): Promise<void> {
    await this.send('DELETE', this.url(scope, name), scope, undefined, [404]);
  }

  private async send(method: Method, url: string, scope: string, body?: unknown, absentOk: number[] = []): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.options.token();
      const response = await this.fetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (response.ok) {
        if (method !== 'GET') this.writes++;
        const text = await response.text();
        return text ? JSON.parse(text) : undefined;
      }
      if (absentOk.includes(response.status)) return undefined;
      if ((response.status === 429 || response.status === 503) && attempt < this.attempts) {
        await response.arrayBuffer().catch(() => undefined);
        await this.sleep(retryAfterMs(response.headers) ?? Math.min(1000 * 2 ** attempt, MAX_WAIT_MS));
        continue;
      }
      throw await this.failure(method, scope, response, attempt);
    }
  }

  private async failure(method: Method, scope: string, response: Response, attempt: number): Promise<BudgetsApiError> {
    let code = '';
    let message = '';
    try {
      const error = ((await response.json()) as { error?: { code?: string; message?: string } }).error;
      code = error?.code ?? '';
      message = error?.message ?? '';
    } catch {
      // no error body
    }
    const said = [code, message].filter(Boolean).join(': ');
    const kind = parseScope(scope)?.kind;
    switch (response.status) {
      case 401:
        return new BudgetsApiError(`Azure did not accept the sign-in (401${said ? ` ${said}` : ''}) for budgets at ${scope}: sign in again (az login) or set a fresh token in AZURE_ACCESS_TOKEN`, 401);
      case 403: {
        const role = kind ? BUDGET_ROLES[kind][method === 'GET' ? 'read' : 'write'] : 'a role that can manage budgets';
        return new BudgetsApiError(`no permission to ${method === 'GET' ? 'read' : 'change'} budgets at ${scope} (403${said ? ` ${said}` : ''}): the signed-in identity needs ${role} at this scope`, 403);
      }
      case 409:
      case 412:
        return new ConcurrencyError(`the budget changed in Azure since it was read (${response.status}${said ? ` ${said}` : ''})`, response.status);
      case 429:
      case 503:
        return new BudgetsApiError(`Cost Management is still throttling after ${attempt} tries (${response.status}) at ${scope}: try again later`, response.status);
      default:
        return new BudgetsApiError(`Cost Management answered ${response.status}${said ? ` ${said}` : ''} to ${method} budgets at ${scope}`, response.status);
    }
  }
}
