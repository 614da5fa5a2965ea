/**
 * The Cost Management budgets REST API (`{endpoint}{scope}/providers/Microsoft.CostManagement/
 * budgets/{name}?api-version=2025-03-01`) over `fetch`, so the same client runs in Node and in the
 * task pane. The npm SDK (@azure/arm-consumption) pins a 2021 api-version, hence REST.
 *
 * Throttling (429, and 503) is retried after the time the service asks for; 412 and 409 (someone
 * changed the budget since it was read) surface as a ConcurrencyError so the caller re-reads and
 * re-plans; 401 and 403 say what sign-in or role is missing, and at which scope.
 *
 * Answers are untrusted (src/shares/untrusted-http.ts): the token goes only to the endpoint's origin
 * over https, a redirect is an error (a write is never counted on one), listings stop at a page
 * limit or a loop, bodies are limited to 16 MB, and a malformed answer or entry names the request.
 */
import { AzureBudget, BUDGETS_API_VERSION, BudgetProperties } from './budget';
import { BUDGET_ROLES, parseScope } from './scopes';
import { describeRequest, isJsonObject, PageWalk, readAnswerJson, refuseRedirect, serverText, trustedEndpoint, UntrustedAnswerError } from '../shares/untrusted-http';

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
  /** The most pages a listing may take (1,000 unless a test says otherwise). */
  pageLimit?: number;
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
  private readonly origin: URL;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly attempts: number;
  /** Requests that changed something (PUT, DELETE answered with success), for "what did apply write". */
  writes = 0;

  constructor(private readonly options: BudgetsApiOptions) {
    this.endpoint = (options.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
    try {
      this.origin = trustedEndpoint(this.endpoint, 'the budgets endpoint');
    } catch (error) {
      throw new BudgetsApiError((error as Error).message, 0);
    }
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
    const walk = new PageWalk(this.origin, describeRequest('GET', url), this.options.pageLimit);
    while (url) {
      const request = describeRequest('GET', url);
      const page = await this.send('GET', url, scope);
      if (!isJsonObject(page) || (page.value !== undefined && !Array.isArray(page.value))) throw this.malformed(request, 'is not a list of budgets');
      (page.value ?? []).forEach((entry: unknown, i: number) => budgets.push(this.budgetOf(entry, request, `entry ${i + 1} of the list`)));
      url = await this.guard(() => walk.next(page.nextLink, url!));
    }
    return budgets;
  }

  /** A budget from an answer: an object with a name and properties, else an error naming the request. */
  private budgetOf(entry: unknown, request: string, what = 'the answer'): AzureBudget {
    if (!isJsonObject(entry) || typeof entry.name !== 'string' || !isJsonObject(entry.properties)) throw this.malformed(request, `${what} is not a budget (${entry === null ? 'null' : typeof entry})`);
    return entry as unknown as AzureBudget;
  }

  private malformed(request: string, what: string): BudgetsApiError {
    return new BudgetsApiError(`Cost Management's answer to ${request}: ${what}; nothing was changed because of it`, 0);
  }

  /** Runs a check of the answer, turning its refusal into a BudgetsApiError (which the command line reports as input). */
  private async guard<T>(check: () => T | Promise<T>): Promise<T> {
    try {
      return await check();
    } catch (error) {
      if (error instanceof UntrustedAnswerError) throw new BudgetsApiError(`Cost Management: ${error.message}`, 0);
      throw error;
    }
  }

  /** The budget, or undefined when the scope has none of that name. */
  async get(scope: string, name: string): Promise<AzureBudget | undefined> {
    const url = this.url(scope, name);
    const budget = await this.send('GET', url, scope, undefined, [404]);
    return budget === undefined ? undefined : this.budgetOf(budget, describeRequest('GET', url));
  }

  /** Creates or replaces the budget; with the eTag of the budget as read, it fails if it changed since. */
  async put(scope: string, name: string, properties: BudgetProperties, eTag?: string): Promise<AzureBudget> {
    const url = this.url(scope, name);
    return this.budgetOf(await this.send('PUT', url, scope, { ...(eTag ? { eTag } : {}), properties }), describeRequest('PUT', url));
  }

  async delete(scope: string, name: string): Promise<void> {
    await this.send('DELETE', this.url(scope, name), scope, undefined, [404]);
  }

  private async send(method: Method, url: string, scope: string, body?: unknown, absentOk: number[] = []): Promise<unknown> {
    const request = describeRequest(method, url);
    // Only to the endpoint's origin: a URL built here, or a nextLink checked by PageWalk.
    if (new URL(url).origin !== this.origin.origin) throw new BudgetsApiError(`Cost Management: ${request} is not at ${this.origin.origin}: not sent`, 0);
    for (let attempt = 1; ; attempt++) {
      const token = await this.options.token();
      let response: Response;
      try {
        response = await this.fetch(url, {
          method,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
          redirect: 'manual',
        });
      } catch (error) {
        throw new BudgetsApiError(`Cost Management cannot be reached for ${request}: ${serverText(String((error as Error).message ?? error), [token])}`, 0);
      }
      await this.guard(() => refuseRedirect(response, request, method !== 'GET'));
      if (response.ok) {
        // A write answered with success happened, whatever its body says.
        if (method !== 'GET') this.writes++;
        return this.guard(() => readAnswerJson(response, request));
      }
      if (absentOk.includes(response.status)) {
        await response.body?.cancel().catch(() => undefined);
        return undefined;
      }
      if ((response.status === 429 || response.status === 503) && attempt < this.attempts) {
        await response.body?.cancel().catch(() => undefined);
        await this.sleep(retryAfterMs(response.headers) ?? Math.min(1000 * 2 ** attempt, MAX_WAIT_MS));
        continue;
      }
      throw await this.failure(method, scope, response, attempt, token);
    }
  }

  private async failure(method: Method, scope: string, response: Response, attempt: number, token: string): Promise<BudgetsApiError> {
    let code = '';
    let message = '';
    try {
      const error = (await readAnswerJson(response, describeRequest(method, scope), { limit: 64 * 1024 })) as { error?: { code?: unknown; message?: unknown } } | undefined;
      code = typeof error?.error?.code === 'string' ? error.error.code : '';
      message = typeof error?.error?.message === 'string' ? error.error.message : '';
    } catch {
      // no error body, or one too large or malformed: the status says it
    }
    // The server's own words, shown only with secrets (the token, SAS, passwords, keys) taken out.
    const said = serverText([code, message].filter(Boolean).join(': '), [token]);
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
