/**
 * What the Data step's "From a FinOps hub" runs: the hub session the command line uses
 * (sources/finops-hub.ts: the cost function and its fallback, retries while throttled, errors in
 * the user's words), over fetch against the cluster's v2 REST endpoint (sources/kusto-rest.ts),
 * signed in by the host. The cluster URL is kept in the workbook (document settings), so the next
 * month starts from it; tokens stay in memory.
 */
import type { IngestResult } from '../core/ingest';
import { EngineError } from '../sources/engine-error';
import { HUB_ENGINE, HubSession, hubLocationOf, hubPeriods, ingestFromHub } from '../sources/finops-hub';
import { kustoRestRunner } from '../sources/kusto-rest';
import type { CostGrain } from '../workbook/steps';
import type { TaskPaneHost } from './host';

/** The document setting that keeps the cluster URL in the workbook. */
export const HUB_URL_SETTING = 'chargeback.hub.clusterUrl';

const SIGN_IN_ADVICE = 'Check that you are signed in to Office with your work account; the add-in needs your admin to grant it access to Azure Data Explorer (docs/sources.md)';

/** A URL the hub step can use: `https://CLUSTER[/DATABASE]`, `kusto://CLUSTER/DATABASE`, or plain http on this machine. */
export const isHubUrl = (text: string) => hubLocationOf(text) !== undefined;

export interface HubCall {
  signal: AbortSignal;
  /** Throttling, retries and the function used, as they happen. */
  onNotice: (message: string) => void;
  /** Bytes of the answer received so far. */
  onReceived?: (bytes: number) => void;
}

/** `registration`: the admin's app registration (chargeback.config.json), read when signing in. */
export function hubOperations(host: Pick<TaskPaneHost, 'hubToken' | 'hubFirstRetryMs' | 'documentSettings'>, registration: () => { clientId?: string; authority?: string }) {
  async function session(clusterUrl: string, call: HubCall): Promise<HubSession> {
    const location = hubLocationOf(clusterUrl);
    if (!location) throw new Error(`"${clusterUrl}" is not a hub's cluster URL: write it as https://NAME.REGION.kusto.windows.net or a Fabric eventhouse's query URI`);
    if (!host.hubToken) throw new Error('signing in to a FinOps hub is not available here');
    let tokens: () => Promise<string>;
    try {
      const { clientId, authority } = registration();
      tokens = await host.hubToken(location.clusterUrl, clientId, authority);
    } catch (error) {
      throw new EngineError(HUB_ENGINE, 'signing in', (error as Error).message, SIGN_IN_ADVICE);
    }
    const token = () =>
      tokens().catch((error: Error) => {
        // Named so the session tells it as a sign-in failure, not the hub's.
        throw Object.assign(new Error(error.message), { name: 'SignInError' });
      });
    const runner = kustoRestRunner(location.clusterUrl, { token, onReceived: call.onReceived });
    return new HubSession(location, { runner, onNotice: call.onNotice, signal: call.signal, firstRetryMs: host.hubFirstRetryMs, signInAdvice: SIGN_IN_ADVICE });
  }
  return {
    /** The cluster URL this workbook used last ('' if none). */
    rememberedUrl: () => host.documentSettings?.get(HUB_URL_SETTING) ?? '',
    remember: async (clusterUrl: string) => host.documentSettings?.set(HUB_URL_SETTING, clusterUrl.trim()),
    /** The periods the hub holds, newest first, with their FOCUS row counts. */
    periods: async (clusterUrl: string, call: HubCall) => hubPeriods(await session(clusterUrl, call)),
    /** One period summed to allocation grain at the hub: the cost lines, ready for the Costs table. */
    read: async (clusterUrl: string, period: string, grain: CostGrain, call: HubCall): Promise<IngestResult> =>
      ingestFromHub(await session(clusterUrl, call), grain.dimensions, period, grain.optionalDimensions),
  };
}

export type HubOperations = ReturnType<typeof hubOperations>;
