/**
 * A Kusto query over the v2 REST endpoint with fetch, for the task pane: POST
 * `CLUSTER/v2/rest/query` with a bearer token and `{db, csl, properties: {Parameters}}`, and the
 * answer's frames read as azure-kusto-data reads them. The pane uses this rather than
 * azure-kusto-data because a Cancel must reach the request itself (fetch takes an AbortSignal; the
 * client can only cancel all its requests at once), and it needs no cloud-metadata round trip, axios
 * or @azure/identity in the pane's bundle. Browser-safe; also runs in Node 20 (tests run both clients
 * against the same local hub).
 */
import type { KqlQuery } from '../core/grain-kql';
import { HubRow, KustoQueryRunner, requestParameters } from './finops-hub';
import { describeRequest, readAnswerText, refuseRedirect, serverText, trustedEndpoint, UntrustedAnswerError } from '../shares/untrusted-http';

/**
 * The most a query's answer may be. Kusto truncates a result at 64 MB unless told not to; the JSON
 * of the v2 frames is larger than the data, so this leaves room, and still stops a runaway answer
 * before it fills the pane's memory.
 */
export const KUSTO_ANSWER_LIMIT = 256 * 1024 * 1024;

/** A refusal from the service: the HTTP status and the message of Kusto's error body. */
export class KustoRequestError extends Error {
  constructor(
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'KustoRequestError';
  }
}

interface Frame {
  FrameType: string;
  TableKind?: string;
  Columns?: { ColumnName: string; ColumnType: string }[];
  Rows?: unknown[][];
  HasErrors?: boolean;
  OneApiErrors?: { error?: { message?: string; '@message'?: string } }[];
}

/** Error-level rows of the QueryCompletionInformation table (Level 2 or less: critical, error). */
function completionErrors(frames: Frame[]): string[] {
  const info = frames.find((f) => f.TableKind === 'QueryCompletionInformation');
  if (!info?.Columns || !info.Rows) return [];
  const at = (name: string) => info.Columns!.findIndex((c) => c.ColumnName === name);
  const [level, payload] = [at('Level'), at('Payload')];
  return info.Rows.filter((row) => Number(row[level]) <= 2).map((row) => String(row[payload]));
}

/** The primary result's rows as objects by column name; an error when the answer reports one. */
export function primaryRows(frames: Frame[]): HubRow[] {
  const completion = frames.find((f) => f.FrameType === 'DataSetCompletion');
  const errors = [...(completion?.OneApiErrors ?? []).map((e) => e.error?.['@message'] ?? e.error?.message ?? ''), ...completionErrors(frames)];
  // The same wording as azure-kusto-data, so both clients fail alike.
  if (completion?.HasErrors || errors.length > 0) throw new KustoRequestError(undefined, `Kusto request had errors. ${errors.join('; ')}`.trim());
  const primary = frames.find((f) => f.FrameType === 'DataTable' && f.TableKind === 'PrimaryResult');
  if (!primary?.Columns || !primary.Rows) return [];
  // The frames are the server's: a column without a name or a row that is not a list is refused, not read as blanks.
  if (!Array.isArray(primary.Columns) || !primary.Columns.every((c) => typeof c?.ColumnName === 'string')) throw new KustoRequestError(undefined, "the hub's primary result has a column without a name");
  if (!Array.isArray(primary.Rows) || !primary.Rows.every((row) => Array.isArray(row) && row.length === primary.Columns!.length)) {
    throw new KustoRequestError(undefined, `the hub's primary result has a row that is not a list of ${primary.Columns.length} values`);
  }
  const names = primary.Columns.map((c) => c.ColumnName);
  return primary.Rows.map((row) => Object.fromEntries(names.map((name, i) => [name, row[i]])));
}

export interface RestRunnerOptions {
  /** A bearer token for the cluster (`https://CLUSTER/.default`), asked for before each request. */
  token: () => Promise<string>;
  /** Bytes received so far, as the answer streams in. */
  onReceived?: (bytes: number) => void;
  fetcher?: typeof fetch;
  /** The most bytes an answer may have (KUSTO_ANSWER_LIMIT unless a test says otherwise). */
  answerLimit?: number;
}

export function kustoRestRunner(clusterUrl: string, options: RestRunnerOptions): KustoQueryRunner {
  const fetcher = options.fetcher ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  return {
    async run(database: string, query: KqlQuery, signal?: AbortSignal) {
      const url = `${clusterUrl}/v2/rest/query`;
      const request = describeRequest('POST', url);
      const untrusted = (error: unknown) => (error instanceof UntrustedAnswerError ? new KustoRequestError(undefined, error.message) : error);
      try {
        // The token goes only to the cluster, over https (plain http only on this machine).
        trustedEndpoint(clusterUrl, 'the hub');
      } catch (error) {
        throw untrusted(error);
      }
      const token = await options.token();
      const response = await fetcher(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json', 'x-ms-app': 'Chargeback for Excel' },
        body: JSON.stringify({ db: database, csl: query.text, properties: { Parameters: requestParameters(query) } }),
        redirect: 'manual',
        signal,
      });
      let text: string;
      try {
        refuseRedirect(response, request, false);
        text = await readAnswerText(response, request, { limit: options.answerLimit ?? KUSTO_ANSWER_LIMIT, onReceived: options.onReceived });
      } catch (error) {
        throw untrusted(error);
      }
      if (!response.ok) {
        let message = `${response.status} ${response.statusText}`.trim();
        try {
          const error = (JSON.parse(text) as { error?: { message?: unknown; '@message'?: unknown } } | null)?.error;
          const said = error?.['@message'] ?? error?.message;
          if (typeof said === 'string' && said) message = said;
        } catch {
          // not Kusto's JSON error body (a proxy's page): the status says it
        }
        throw new KustoRequestError(response.status, serverText(message, [token]));
      }
      let frames: unknown;
      try {
        frames = JSON.parse(text);
      } catch {
        throw new KustoRequestError(undefined, `the answer to ${request} is not valid JSON (${text.length.toLocaleString('en-US')} characters): ${serverText(text.slice(0, 80), [token])}`);
      }
      if (!Array.isArray(frames) || frames.some((f) => typeof f !== 'object' || f === null)) throw new KustoRequestError(undefined, `the answer to ${request} is not a list of Kusto frames`);
      return primaryRows(frames as Frame[]);
    },
  };
}
