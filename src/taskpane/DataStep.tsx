/**
 * Step 1, Data: pick FOCUS files (or the sample), or give the Azure Blob URL where Cost Management
 * exports land, and read them off the UI thread; or have a FinOps hub sum a period where the data
 * lives (HubSource.tsx). Then pull one period into Costs. The URL's SAS stays in
 * this component's memory and the worker: never in the workbook, the Audit log or storage.
 */
import { Button, Caption1, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, makeStyles, ProgressBar, Text, tokens } from '@fluentui/react-components';
import { useMemo, useRef, useState } from 'react';
import type { IngestProgress, IngestResult } from '../core/ingest';
import { isBillingPeriod } from '../core/period';
import type { RuleTables } from '../core/rules';
import type { IngestJob, TaskPaneHost } from './host';
import type { IngestSource } from './ingest-messages';
import { ControlTotals } from './ControlTotals';
import { SasUrlField } from './SasUrlField';
import { HubSource } from './HubSource';
import { PeriodPicker } from './PeriodPicker';
import type { HubOperations } from './hub';
import { errorNotice, Notice } from './notice';
import { periodChoices, TaskPaneOperations } from './operations';

export interface DataStepProps {
  ops: Pick<TaskPaneOperations, 'dimensionsFor' | 'pull'>;
  ingest: TaskPaneHost['ingest'];
  loadSample: TaskPaneHost['loadSample'];
  onNotice: (notice: Notice | undefined) => void;
  /** While the period is approved: the id of what says why reading and pulling are not possible (the buttons stay focusable). */
  lockedBy?: string;
  /** The period now in the Costs table, and the sample's rules when the sample was pulled. */
  onPulled: (period: string | undefined, sampleRules: RuleTables | undefined) => void;
  /** "From a FinOps hub", where the host can sign in to one. */
  hub?: HubOperations;
  /** The period the workbook holds allocated figures for: putting data in place of its costs asks first. */
  allocatedPeriod?: string;
}

const useStyles = makeStyles({
  step: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'center' },
});

const MB = 1024 * 1024;

export function progressText(progress: IngestProgress, done: boolean): { text: string; fraction: number | undefined } {
  const fraction = done ? 1 : progress.totalBytes ? Math.min(1, progress.bytesRead / progress.totalBytes) : undefined;
  const mb = (progress.totalBytes && done ? progress.totalBytes : progress.bytesRead) / MB;
  const percent = fraction === undefined ? '' : ` · ${Math.round(fraction * 100)}%`;
  return { text: `${progress.rowsRead.toLocaleString('en-US')} rows · ${mb.toFixed(1)} MB${percent}`, fraction };
}

/** A URL as it may be shown: without its query (where a SAS lives) or fragment. */
export function withoutQuery(url: string): string {
  return url.trim().split(/[?#]/)[0];
}

export function DataStep({ ops, ingest, loadSample, onNotice, onPulled, lockedBy, hub, allocatedPeriod }: DataStepProps) {
  const locked = { disabledFocusable: Boolean(lockedBy), 'aria-describedby': lockedBy };
  const styles = useStyles();
  const picker = useRef<HTMLInputElement>(null);
  const [job, setJob] = useState<IngestJob>();
  const [progress, setProgress] = useState<IngestProgress>();
  const [result, setResult] = useState<IngestResult>();
  const [confirming, setConfirming] = useState<{ answer: (yes: boolean) => void }>();
  const periods = useMemo(() => (result ? periodChoices(result) : []), [result]);
  const [period, setPeriod] = useState<string>();
  const [sampleRules, setSampleRules] = useState<RuleTables>();
  const [writing, setWriting] = useState(false);
  const [azureUrl, setAzureUrl] = useState('');
  const [azurePeriod, setAzurePeriod] = useState('');
  const azurePeriodValid = azurePeriod.trim() === '' || isBillingPeriod(azurePeriod.trim());

  async function read(source: IngestSource, rules: RuleTables | undefined) {
    onNotice(undefined);
    setResult(undefined);
    if (source.kind === 'files') {
      const { files } = source;
      setProgress({ file: files[0]?.name ?? '', fileIndex: 0, fileCount: files.length, rowsRead: 0, bytesRead: 0, totalBytes: files.reduce((a, f) => a + f.size, 0) });
    } else {
      // Until the export runs are listed, neither the files nor their sizes are known.
      setProgress({ file: withoutQuery(source.url), fileIndex: 0, fileCount: 1, rowsRead: 0, bytesRead: 0 });
    }
    try {
      const grain = await ops.dimensionsFor(rules);
      const started = ingest(source, grain, setProgress);
      setJob(started);
      const read = await started.result;
      const choices = periodChoices(read);
      setResult(read);
      setPeriod(choices[choices.length - 1]?.period);
      setProgress((p) => (p ? { ...p, rowsRead: read.rowsRead } : p));
    } catch (error) {
      setProgress(undefined);
      onNotice(errorNotice(error, 'data'));
    } finally {
      setJob(undefined);
    }
  }

  async function pickSample() {
    try {
      const sample = await loadSample();
      setSampleRules(sample.rules);
      await read({ kind: 'files', files: sample.files }, sample.rules);
    } catch (error) {
      onNotice(errorNotice(error, 'data'));
    }
  }

  async function pull(mode: 'replace' | 'add') {
    if (!result) return;
    // Allocated figures are the month's work: replacing the costs under them is asked first.
    if (mode === 'replace' && allocatedPeriod && !(await new Promise<boolean>((answer) => setConfirming({ answer })))) {
      onNotice({ intent: 'info', title: 'Nothing written', body: `The Costs table still holds the cost lines ${allocatedPeriod} was allocated from.` });
      return;
    }
    setWriting(true);
    try {
      const { lines, changes } = await ops.pull(result, periods.length > 1 ? period : undefined, mode);
      const one = lines === 1;
      const what = `${lines.toLocaleString('en-US')} cost line${one ? '' : 's'}${period ? ` of ${period}` : ''}`;
      onNotice(
        mode === 'add'
          ? { intent: 'success', title: 'Cost lines added', body: `${what} ${one ? 'was' : 'were'} added to the Costs table${changes ? `: ${changes}` : ''}. Next: Allocate again.` }
          : { intent: 'success', title: 'Costs pulled', body: `${what} ${one ? 'is' : 'are'} in the Costs table${changes ? ` (${changes})` : ''}. Next: Rules.` },
      );
      onPulled(period, sampleRules);
    } catch (error) {
      onNotice(errorNotice(error, 'data'));
    } finally {
      setWriting(false);
    }
  }

  const shown = progress ? progressText(progress, Boolean(result)) : undefined;
  return (
    <section className={styles.step} aria-label="Data">
      <Text>Pick the month's FOCUS cost exports (CSV, .csv.gz or Parquet; several files at once) or try the bundled sample.</Text>
      <div className={styles.row}>
        <input
          ref={picker}
          type="file"
          multiple
          accept=".csv,.gz,.parquet"
          hidden
          data-testid="file-picker"
          onChange={(event) => {
            const files = [...(event.target.files ?? [])];
            event.target.value = '';
            setSampleRules(undefined);
            if (files.length > 0) void read({ kind: 'files', files }, undefined);
          }}
        />
        <Button appearance="primary" disabled={Boolean(job) || writing} onClick={() => picker.current?.click()} {...locked}>
          Pick FOCUS files…
        </Button>
        <Button disabled={Boolean(job) || writing} onClick={() => void pickSample()} {...locked}>
          Use the sample data
        </Button>
      </div>
      <SasUrlField
        label="Or the Azure Blob Storage folder where Cost Management exports land"
        hint="A container or folder URL with a SAS that allows read and list. The newest export run of each period is read and checked against its manifest.json. The URL is used for this read only: never saved, logged or written to the workbook."
        value={azureUrl}
        onChange={setAzureUrl}
        placeholder="https://account.blob.core.windows.net/exports/focus?sv=…"
        ariaLabel="Export folder URL with SAS"
      />
      <Field
        label="Billing period (optional)"
        hint="YYYY-MM: read only that month's newest export run. Leave empty to read every month in the folder and choose after."
        validationState={azurePeriodValid ? 'none' : 'error'}
        validationMessage={azurePeriodValid ? undefined : 'Write the period as YYYY-MM, for example 2026-10.'}
      >
        <Input value={azurePeriod} onChange={(_, data) => setAzurePeriod(data.value)} placeholder="2026-10" aria-label="Billing period to read from Azure" />
      </Field>
      <div className={styles.row}>
        <Button
          disabled={Boolean(job) || writing || azureUrl.trim() === '' || !azurePeriodValid}
          {...locked}
          onClick={() => {
            setSampleRules(undefined);
            void read({ kind: 'azure', url: azureUrl.trim(), period: azurePeriod.trim() || undefined }, undefined);
          }}
        >
          Read from Azure Storage
        </Button>
      </div>
      {hub && (
        <HubSource
          hub={hub}
          grain={() => ops.dimensionsFor(undefined)}
          busy={Boolean(job) || writing}
          locked={locked}
          onStart={() => {
            onNotice(undefined);
            setResult(undefined);
            setProgress(undefined);
            setSampleRules(undefined);
          }}
          onRead={(read, hubPeriod) => {
            setResult(read);
            setPeriod(hubPeriod);
          }}
          onError={(error) => onNotice(errorNotice(error, 'data'))}
        />
      )}
      {progress && shown && (
        <Field label={result ? 'Read' : `Reading ${progress.file}${progress.fileCount > 1 ? ` (file ${progress.fileIndex + 1} of ${progress.fileCount})` : ''}`} validationState="none">
          <ProgressBar value={shown.fraction} thickness="large" aria-label="Reading progress" />
          <div className={styles.row}>
            <Caption1 data-testid="progress-text">{shown.text}</Caption1>
            {job && (
              <Button size="small" onClick={() => job.cancel()}>
                Cancel
              </Button>
            )}
          </div>
        </Field>
      )}
      {result && (
        <>
          <Text data-testid="read-summary">
            {result.rowsRead.toLocaleString('en-US')} FOCUS rows from {result.files.map((f) => f.name).join(', ')} → {result.lines.length.toLocaleString('en-US')} cost lines.
          </Text>
          <ControlTotals lines={result.lines} />
          {periods.length > 1 && (
            <PeriodPicker label="Billing period to close" hint="The data covers several periods; the Costs table holds one." periods={periods} period={period} onChange={setPeriod} />
          )}
          <div className={styles.row}>
            <Button appearance="primary" disabled={writing} onClick={() => void pull('replace')} {...locked}>
              {writing ? 'Writing…' : 'Put in the Costs table'}
            </Button>
            {/* A late credit or an adjustment file is added to the month's lines, not put in their place. */}
            <Button appearance="secondary" disabled={writing} onClick={() => void pull('add')} {...locked}>
              Add to the Costs table
            </Button>
          </div>
        </>
      )}
      {confirming && allocatedPeriod && (
        <Dialog open modalType="alert" onOpenChange={(_, data) => !data.open && (confirming.answer(false), setConfirming(undefined))}>
          <DialogSurface>
            <DialogBody>
              <DialogTitle>{`Replace the costs ${allocatedPeriod} was allocated from?`}</DialogTitle>
              <DialogContent>
                {`The workbook holds ${allocatedPeriod} allocated. Putting this data in the Costs table replaces its cost lines, and the statement must be allocated again. To add a late credit or an adjustment to ${allocatedPeriod} instead, choose Add to the Costs table.`}
              </DialogContent>
              <DialogActions>
                <Button appearance="primary" onClick={() => (confirming.answer(true), setConfirming(undefined))}>
                  Replace the costs
                </Button>
                <Button onClick={() => (confirming.answer(false), setConfirming(undefined))}>Cancel</Button>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      )}
    </section>
  );
}
