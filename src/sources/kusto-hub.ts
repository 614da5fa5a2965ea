/**
 * A FinOps hub on the command line: the shared hub session (finops-hub.ts) with azure-kusto-data
 * as its client, signed in with an @azure/identity credential (DefaultAzureCredential on the
 * command line: `az login`, a managed identity or a service principal's environment variables).
 */
import type { TokenCredential } from '@azure/identity';
import { HubLocation, HubRow, HubSession, KustoQueryRunner, requestParameters } from './finops-hub';

export { HUB_ENGINE, hubLocationOf, hubPeriods, ingestFromHub } from './finops-hub';
export type { HubLocation } from './finops-hub';

export interface HubOptions {
  credential: TokenCredential;
  /** Told to the user as it happens: the function used, throttling and retries. */
  onNotice?: (message: string) => void;
  /** Attempts when the hub throttles, and the first wait (doubled each time). */
  attempts?: number;
  firstRetryMs?: number;
}

type KustoDataClient = { execute(db: string, query: string, properties: unknown): Promise<{ primaryResults: { toJSON(): { data: HubRow[] } }[] }>; close(): void };

/** azure-kusto-data as a runner: one client for the session, made on the first query. */
function kustoDataRunner(clusterUrl: string, credential: TokenCredential): KustoQueryRunner {
  let client: KustoDataClient | undefined;
  return {
    async run(database, query) {
      const { Client, ClientRequestProperties, KustoConnectionStringBuilder } = await import('azure-kusto-data');
      client ??= new Client(KustoConnectionStringBuilder.withTokenCredential(clusterUrl, credential)) as unknown as KustoDataClient;
      const properties = new ClientRequestProperties();
      for (const [name, value] of Object.entries(requestParameters(query))) properties.setParameter(name, value);
      const response = await client.execute(database, query.text, properties);
      return response.primaryResults[0]?.toJSON().data ?? [];
    },
    close: () => client?.close(),
  };
}

/** A hub reached through azure-kusto-data. */
export class FinOpsHub extends HubSession {
  constructor(location: HubLocation, options: HubOptions) {
    super(location, { ...options, runner: kustoDataRunner(location.clusterUrl, options.credential) });
  }
}
