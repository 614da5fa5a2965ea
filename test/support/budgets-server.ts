/**
 * A local stand-in for the Cost Management budgets API (Microsoft.CostManagement/budgets,
 * api-version 2025-03-01), answering as the published model (Budget.tsp and models.tsp in
 * Azure/azure-rest-api-specs) and examples (test/budgets/examples) say: list (a subscription's listing includes its resource groups'
 * budgets, SubscriptionBudgetsList.json), get, create-or-update (201 created, 200 updated, with an
 * eTag; a stale eTag is 412), delete (200). It refuses what the model says Azure refuses, so a
 * product bug shows here rather than in a tenant. Throttling, 401 and 403 can be switched on.
 */
import http from 'node:http';
import { LocalServer } from './local-server';

export const API_VERSION = '2025-03-01';

export interface StoredBudget {
  id: string;
  name: string;
  type: string;
  eTag: string;
  properties: Record<string, any>;
}

export interface BudgetRequest {
  method: string;
  path: string;
  eTag?: string;
  body?: any;
}

const SCOPE = /^\/(subscriptions\/[^/]+(\/resourceGroups\/[^/]+)?|providers\/Microsoft\.Management\/managementGroups\/[^/]+|providers\/Microsoft\.Billing\/billingAccounts\/[^/]+(\/(billingProfiles\/[^/]+(\/invoiceSections\/[^/]+)?|departments\/[^/]+|enrollmentAccounts\/[^/]+))?)$/i;
const BUDGET_PATH = /^(.*)\/providers\/Microsoft\.CostManagement\/budgets(?:\/([^/]+))?$/i;

export class FakeBudgets extends LocalServer {
  /** Budgets by `scope|name` in lower case. */
  readonly budgets = new Map<string, { scope: string; budget: StoredBudget }>();
  readonly requests: BudgetRequest[] = [];
  /** The bearer token it accepts; anything else is 401. */
  token = 'test-token';
  /** Scopes where the identity may not read or may not write: 403. */
  readonly forbidden = new Map<string, 'read' | 'write'>();
  /** The next `count` requests (of `method`, when given) are throttled with 429 and this header. */
  throttle?: { count: number; seconds: number; header: string; method?: string };
  /** What Cost Management reports as spent and forecast, by budget name. */
  readonly spend = new Map<string, { current: number; forecast: number }>();
  /** Runs before a PUT is handled: a test can change the budget as another person would. */
  beforePut?: (name: string) => void;
  /** "Today" as the service sees it, for its start-date rules. */
  now = new Date();
  /** List pages this long, with a nextLink (the model's `nextLink`). */
  pageSize?: number;
  private etags = 0;

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get writes(): BudgetRequest[] {
    return this.requests.filter((r) => r.method === 'PUT' || r.method === 'DELETE');
  }

  nextETag(): string {
    return `"1d34d0${(++this.etags).toString(16).padStart(9, '0')}"`;
  }

  /** Puts a budget in place as if made earlier (in the portal, or by a previous apply). */
  seed(scope: string, name: string, properties: Record<string, any>): StoredBudget {
    const budget = { id: `${scope.slice(1)}/providers/Microsoft.CostManagement/budgets/${name}`, name, type: 'Microsoft.CostManagement/budgets', eTag: this.nextETag(), properties };
    this.budgets.set(`${scope}|${name}`.toLowerCase(), { scope, budget });
    return budget;
  }

  find(scope: string, name: string): StoredBudget | undefined {
    return this.budgets.get(`${scope}|${name}`.toLowerCase())?.budget;
  }

  private withSpend(budget: StoredBudget): StoredBudget {
    const spend = this.spend.get(budget.name);
    const properties = { ...budget.properties };
    if (spend) {
      properties.currentSpend = { amount: spend.current, unit: 'USD' };
      // "only provided if the budget contains a forecast alert type" (ForecastSpend.amount)
      if (Object.values(properties.notifications ?? {}).some((n: any) => n.thresholdType === 'Forecasted')) properties.forecastSpend = { amount: spend.forecast, unit: 'USD' };
    }
    return { ...budget, properties };
  }

  protected handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // Resource Manager answers browsers' CORS preflight (single-page apps call it directly), so the pane can too.
      const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Retry-After, x-ms-ratelimit-microsoft.consumption-retry-after' };
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'GET, PUT, DELETE', 'Access-Control-Allow-Headers': 'authorization, content-type, accept', 'Access-Control-Max-Age': '600' });
        return void res.end();
      }
      const url = new URL(req.url!, this.endpoint);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: any;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      const path = decodeURIComponent(url.pathname);
      this.requests.push({ method: req.method!, path, eTag: body?.eTag, body });
      const send = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { ...cors, ...(json === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers });
        res.end(json === undefined ? undefined : JSON.stringify(json));
      };
      const error = (status: number, code: string, message: string, headers?: Record<string, string>) => send(status, { error: { code, message } }, headers);

      if (this.throttle && this.throttle.count > 0 && (!this.throttle.method || this.throttle.method === req.method)) {
        this.throttle.count--;
        return error(429, 'TooManyRequests', 'Too many requests. Please retry.', { [this.throttle.header]: String(this.throttle.seconds) });
      }
      if (req.headers.authorization !== `Bearer ${this.token}`) return error(401, 'AuthenticationFailed', 'Authentication failed. The Authorization header is missing or the token is invalid or expired.');
      if (url.searchParams.get('api-version') !== API_VERSION) return error(400, 'InvalidApiVersionParameter', `The api-version '${url.searchParams.get('api-version')}' is invalid.`);
      const match = BUDGET_PATH.exec(path);
      if (!match || !SCOPE.test(match[1])) return error(404, 'InvalidResourceType', `No route for ${path}`);
      const scope = match[1];
      const name = match[2];
      const denied = [...this.forbidden].find(([s]) => s.toLowerCase() === scope.toLowerCase())?.[1];
      const writing = req.method === 'PUT' || req.method === 'DELETE';
      if (denied === 'read' || (denied === 'write' && writing)) {
        return error(403, 'AuthorizationFailed', `The client does not have authorization to perform action 'Microsoft.CostManagement/budgets/${writing ? 'write' : 'read'}' over scope '${scope}'.`);
      }

      if (name === undefined) {
        if (req.method !== 'GET') return error(405, 'MethodNotAllowed', 'Only GET lists budgets');
        return this.list(scope, url, send);
      }
      if (!/^[a-zA-Z0-9_-]{1,63}$/.test(name)) return error(400, 'InvalidBudgetName', `Budget name '${name}' must match ^[a-zA-Z0-9_-]+$ and be 1 to 63 characters`);
      const key = `${scope}|${name}`.toLowerCase();
      const stored = this.budgets.get(key);
      if (req.method === 'GET') return stored ? send(200, this.withSpend(stored.budget)) : error(404, 'NotFound', `Budget ${name} not found at ${scope}`);
      if (req.method === 'DELETE') {
        if (!stored) return error(404, 'NotFound', `Budget ${name} not found at ${scope}`);
        this.budgets.delete(key);
        return send(200);
      }
      if (req.method !== 'PUT') return error(405, 'MethodNotAllowed', `${req.method} is not supported`);
      this.beforePut?.(name);
      const current = this.budgets.get(key);
      const problem = this.validate(scope, body, current?.budget);
      if (problem) return error(400, 'InvalidRequest', problem);
      // "You can optionally provide an eTag … for concurrency control" (createOrUpdate)
      if (body.eTag && current && body.eTag !== current.budget.eTag) return error(412, 'PreconditionFailed', 'The eTag does not match the latest version of the budget.');
      const properties = { ...body.properties, timePeriod: { ...body.properties.timePeriod } };
      delete properties.currentSpend;
      delete properties.forecastSpend;
      // "If not provided, we default this to 10 years from the start date" (BudgetTimePeriod.endDate)
      if (!properties.timePeriod.endDate) {
        const start = new Date(properties.timePeriod.startDate);
        properties.timePeriod.endDate = new Date(Date.UTC(start.getUTCFullYear() + 10, start.getUTCMonth(), start.getUTCDate())).toISOString().replace('.000Z', 'Z');
      }
      const budget: StoredBudget = { id: `${scope.slice(1)}/providers/Microsoft.CostManagement/budgets/${name}`, name, type: 'Microsoft.CostManagement/budgets', eTag: this.nextETag(), properties };
      this.budgets.set(key, { scope, budget });
      return send(current ? 200 : 201, this.withSpend(budget));
    });
  }

  private list(scope: string, url: URL, send: (status: number, json?: unknown) => void): void {
    const under = [...this.budgets.values()].filter((b) => b.scope.toLowerCase() === scope.toLowerCase() || (/^\/subscriptions\/[^/]+$/i.test(scope) && b.scope.toLowerCase().startsWith(`${scope.toLowerCase()}/resourcegroups/`)));
    // Listed ids carry a leading slash (SubscriptionBudgetsList.json); GET and PUT ids do not.
    const all = under.map((b) => ({ ...this.withSpend(b.budget), id: `/${b.budget.id}` }));
    const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
    const size = this.pageSize ?? all.length;
    const page = all.slice(skip, skip + size);
    const next = skip + size < all.length ? `${this.endpoint}${scope}/providers/Microsoft.CostManagement/budgets?api-version=${API_VERSION}&$skiptoken=${skip + size}` : undefined;
    send(200, { value: page, ...(next ? { nextLink: next } : {}) });
  }

  /** The model's rules for a Cost budget; the message of the first one broken. */
  private validate(scope: string, body: any, existing: StoredBudget | undefined): string | undefined {
    const p = body?.properties;
    if (!p) return 'properties is required';
    if (p.category !== 'Cost') return `category must be Cost, not ${p.category}`;
    if (typeof p.amount !== 'number' || !(p.amount > 0)) return 'amount is required for a Cost budget';
    if (!['Monthly', 'Quarterly', 'Annually', 'BillingMonth', 'BillingQuarter', 'BillingAnnual'].includes(p.timeGrain)) return `timeGrain ${p.timeGrain} is not supported for Cost`;
    const start = p.timePeriod?.startDate;
    if (typeof start !== 'string' || Number.isNaN(Date.parse(start))) return 'timePeriod.startDate is required';
    const startDate = new Date(start);
    if (startDate.getUTCDate() !== 1 || startDate.getUTCHours() !== 0) return 'Start date must be first of the month';
    if (startDate < new Date('2017-06-01T00:00:00Z')) return 'Budget start date must be on or after June 1, 2017';
    const month = (d: Date) => d.getUTCFullYear() * 12 + d.getUTCMonth();
    if (month(startDate) > month(this.now) + 12) return 'Future start date should not be more than twelve months';
    if (existing && existing.properties.timePeriod.startDate.slice(0, 10) !== start.slice(0, 10)) return 'Start date cannot be changed after the budget is created';
    if (!existing && month(startDate) < month(this.now)) return 'Past start date should be selected within the timegrain period';
    if (p.timePeriod.endDate && Date.parse(p.timePeriod.endDate) <= startDate.getTime()) return 'End date must be after the start date';
    const filterProblem = this.filterProblem(p.filter);
    if (filterProblem) return filterProblem;
    const groupsAllowed = /^\/subscriptions\/[^/]+(\/resourceGroups\/[^/]+)?$/i.test(scope);
    const notifications = Object.values(p.notifications ?? {}) as any[];
    for (const type of ['Actual', 'Forecasted']) {
      if (notifications.filter((n) => (n.thresholdType ?? 'Actual') === type).length > 5) return `Budget can have up to 5 notifications with thresholdType: ${type}`;
    }
    for (const n of notifications) {
      if (n.thresholdType !== undefined && !['Actual', 'Forecasted'].includes(n.thresholdType)) return `thresholdType ${n.thresholdType} is not Actual or Forecasted`;
      if (!['GreaterThan', 'GreaterThanOrEqualTo', 'EqualTo'].includes(n.operator)) return `operator ${n.operator} is not supported for Cost`;
      if (typeof n.threshold !== 'number' || n.threshold < 0 || n.threshold > 1000) return 'threshold must be between 0 and 1000';
      if (!Array.isArray(n.contactEmails) || n.contactEmails.length > 50) return 'contactEmails is required, at most 50';
      if ((n.contactGroups?.length || n.contactRoles?.length) && !groupsAllowed) return 'contactGroups and contactRoles are supported at Subscription or Resource Group scopes only';
      if (n.contactEmails.length === 0 && !(groupsAllowed && n.contactGroups?.length)) return 'at least one contact email (or, at subscription or resource group scope, contact group) is required';
    }
    return undefined;
  }

  private filterProblem(filter: any): string | undefined {
    if (!filter) return undefined;
    const expression = (e: any) => (e && (typeof e.name !== 'string' || e.operator !== 'In' || !Array.isArray(e.values)) ? 'a filter expression needs name, operator In and values' : undefined);
    if (filter.and !== undefined && (!Array.isArray(filter.and) || filter.and.length < 2)) return 'The logical "AND" expression must have at least 2 items';
    for (const part of [filter, ...(filter.and ?? [])]) {
      const problem = expression(part.dimensions) ?? expression(part.tags);
      if (problem) return problem;
    }
    return undefined;
  }
}
