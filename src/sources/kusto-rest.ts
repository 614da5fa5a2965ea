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
  const names = primary.Columns.map((c) => c.ColumnName);
  return primary.Rows.map((row) => Object.fromEntries(names.map((name, i) => [name, row[i]])));
}

export interface RestRunnerOptions {
  /** A bearer token for the cluster (`https://CLUSTER/.default`), asked for before each request. */
  token: () => Promise<string>;
  /** Bytes received so far, as the answer streams in. */
  onReceived?: (bytes: number) => void;
  fetcher?: typeof fetch;
}

async function bodyText(response: Response, onReceived?: (bytes: number) => void): Promise<string> {
  if (!response.body || !onReceived) return response.text();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    onReceived(bytes);
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

export function kustoRestRunner(clusterUrl: string, options: RestRunnerOptions): KustoQueryRunner {
  const fetcher = options.fetcher ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  return {
    async run(database: string, query: KqlQuery, signal?: AbortSignal) {
      const token = await options.token();
      const response = await fetcher(`${clusterUrl}/v2/rest/query`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json', 'x-ms-app': 'Chargeback for Excel' },
        body: JSON.stringify({ db: database, csl: query.text, properties: { Parameters: requestParameters(query) } }),
        signal,
      });
      const text = await bodyText(response, options.onReceived);
      if (!response.ok) {
        let message = `${response.status} ${response.statusText}`.trim();
        try {
          const error = (JSON.parse(text) as { error?: { message?: string; '@message'?: string } }).error;
          message = error?.['@message'] ?? error?.message ?? message;
        } catch {
          // not Kusto's JSON error body (a proxy's page): the status says it
        }
        throw new KustoRequestError(response.status, message);
      }
      return primaryRows(JSON.parse(text) as Frame[]);
    },
  };
}
