/**
 * The Data step's "From a FinOps hub": the cluster URL (kept in the workbook), the periods the hub
 * holds, and one period summed to allocation grain where the data lives, with progress and a Cancel
 * that stops the request itself. Only cost lines come back; the Data step puts them in the Costs
 * table as it does a file's.
 */
import { Button, Caption1, Field, Input, makeStyles, MessageBar, MessageBarBody, ProgressBar, Text, tokens } from '@fluentui/react-components';
import { useRef, useState } from 'react';
import type { IngestResult } from '../core/ingest';
import type { CostGrain } from '../workbook/steps';
import type { PeriodChoice } from './operations';
import { IngestCancelled } from './host';
import { HubOperations, isHubUrl } from './hub';
import { PeriodPicker } from './PeriodPicker';

export interface HubSourceProps {
  hub: HubOperations;
  grain: () => Promise<CostGrain>;
  /** Another read or a write is under way. */
  busy: boolean;
  locked: { disabledFocusable: boolean; 'aria-describedby'?: string };
  onStart: () => void;
  onRead: (result: IngestResult, period: string) => void;
  onError: (error: unknown) => void;
}

const useStyles = makeStyles({
  source: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, marginTop: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'center' },
  notes: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

const MB = 1024 * 1024;

export function HubSource({ hub, grain, busy, locked, onStart, onRead, onError }: HubSourceProps) {
  const styles = useStyles();
  const [clusterUrl, setClusterUrl] = useState(hub.rememberedUrl);
  const [periods, setPeriods] = useState<PeriodChoice[]>();
  const [period, setPeriod] = useState<string>();
  const [working, setWorking] = useState<{ what: string; received: number; cancel: AbortController }>();
  const [notes, setNotes] = useState<string[]>([]);
  const [done, setDone] = useState<string>();
  const cancelled = useRef(false);
  const urlValid = clusterUrl.trim() === '' || isHubUrl(clusterUrl);

  /** Runs one call to the hub with progress and Cancel; undefined when it failed or was cancelled (said by onError). */
  async function call<T>(what: string, run: (call: Parameters<HubOperations['periods']>[1]) => Promise<T>): Promise<T | undefined> {
    const cancel = new AbortController();
    cancelled.current = false;
    setNotes([]);
    setDone(undefined);
    setWorking({ what, received: 0, cancel });
    try {
      return await run({
        signal: cancel.signal,
        onNotice: (note) => setNotes((shown) => [...shown, note]),
        onReceived: (received) => setWorking((w) => (w ? { ...w, received } : w)),
      });
    } catch (error) {
      onError(cancelled.current ? new IngestCancelled() : error);
      return undefined;
    } finally {
      setWorking(undefined);
    }
  }

  async function listPeriods() {
    onStart();
    setPeriods(undefined);
    const url = clusterUrl.trim();
    const listed = await call('Listing the billing periods in the hub', (c) => hub.periods(url, c));
    if (!listed) return;
    setPeriods(listed);
    setPeriod(listed[0]?.period);
    setDone(listed.length ? `The hub holds ${listed.length} billing period${listed.length === 1 ? '' : 's'}.` : 'The hub holds no cost data yet.');
    // Kept once it worked, so a typo is not remembered. Not keeping it stops nothing: it is said beside the hub.
    await hub.remember(url).catch((error: Error) => setNotes((shown) => [...shown, `The cluster URL was not kept in this workbook: ${error.message}`]));
  }

  async function read() {
    if (!period) return;
    onStart();
    const dimensions = await grain().catch((error) => void onError(error));
    if (!dimensions) return;
    const result = await call(`Summing ${period} to allocation grain in the hub`, (c) => hub.read(clusterUrl.trim(), period, dimensions, c));
    if (!result) return;
    // The Data step's summary says what was read, as it does for files.
    onRead(result, period);
  }

  const disabled = busy || Boolean(working);
  return (
    <section className={styles.source} aria-labelledby="hub-source-heading">
      <Text id="hub-source-heading" as="h3" weight="semibold" size={300} block>
        From a FinOps hub
      </Text>
      <Text>Large months stay where they are: the hub (Azure Data Explorer or Fabric) sums them and sends only the cost lines.</Text>
      <Field
        label="Cluster URL"
        hint="The hub's Data Explorer or Fabric query URI; its Hub database is read unless the URL names another. Kept in this workbook for next month."
        validationState={urlValid ? 'none' : 'error'}
        validationMessage={urlValid ? undefined : 'Write it as https://NAME.REGION.kusto.windows.net, or kusto://CLUSTER/DATABASE.'}
      >
        <Input value={clusterUrl} onChange={(_, data) => setClusterUrl(data.value.trim())} placeholder="https://myhub.westeurope.kusto.windows.net" input={{ spellCheck: false, autoComplete: 'off' }} />
      </Field>
      <div className={styles.row}>
        <Button disabled={disabled || clusterUrl === '' || !urlValid} onClick={() => void listPeriods()} {...locked}>
          List the hub's periods
        </Button>
      </div>
      {periods && periods.length > 0 && (
        <PeriodPicker label="Billing period in the hub" periods={periods} period={period} onChange={setPeriod} />
      )}
      {periods && periods.length > 0 && (
        <div className={styles.row}>
          <Button disabled={disabled || !period} onClick={() => void read()} {...locked}>
            {period ? `Read ${period} from the hub` : 'Read from the hub'}
          </Button>
        </div>
      )}
      {working && (
        <Field label={working.what} validationState="none">
          <ProgressBar thickness="large" aria-label="Hub query progress" />
          <div className={styles.row}>
            <Caption1 data-testid="hub-progress">{working.received > 0 ? `${(working.received / MB).toFixed(2)} MB of cost lines received` : 'Waiting for the hub…'}</Caption1>
            <Button
              size="small"
              onClick={() => {
                cancelled.current = true;
                working.cancel.abort(new IngestCancelled());
              }}
            >
              Cancel
            </Button>
          </div>
        </Field>
      )}
      {done && <Caption1 data-testid="hub-done">{done}</Caption1>}
      {notes.length > 0 && (
        <MessageBar intent="warning" layout="multiline" data-testid="hub-notes">
          <MessageBarBody>
            <ul className={styles.notes}>
              {notes.map((note, i) => (
                <li key={i}>{note}</li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
