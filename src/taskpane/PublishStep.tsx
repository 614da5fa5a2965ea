/**
 * Step 5, Publish: send the approved period to the finance share — a SharePoint / OneDrive folder
 * or an Azure Blob container — with a progress bar per file, then show where it went, the version
 * and each file's SHA-256. Publishing refuses a period that is not approved or changed since.
 */
import { Button, Field, Input, Link, makeStyles, ProgressBar, Radio, RadioGroup, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { GraphShareSettings } from '../shares/graph-share';
import type { FileProgress, PublishOutcome } from '../workbook/publish';
import { publishNotice, type Notice } from './notice';
import type { TaskPaneOperations } from './operations';
import type { ShareChoice } from './shares';

export interface PublishStepProps {
  ops: Pick<TaskPaneOperations, 'publish'>;
  sharePointSettings: GraphShareSettings;
  onSaveSettings: (settings: GraphShareSettings) => void;
  onNotice: (notice: Notice | undefined) => void;
  onPublished?: () => void;
  /** The id of what says why publishing is not possible yet (not approved): the button stays focusable. */
  blockedBy?: string;
}

const useStyles = makeStyles({
  step: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  hash: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase100, wordBreak: 'break-all' },
});

export function PublishStep({ ops, sharePointSettings, onSaveSettings, onNotice, onPublished, blockedBy }: PublishStepProps) {
  const styles = useStyles();
  const [kind, setKind] = useState<ShareChoice['kind']>('sharepoint');
  const [settings, setSettings] = useState(sharePointSettings);
  const [containerUrl, setContainerUrl] = useState('');
  const [progress, setProgress] = useState<Record<string, FileProgress>>({});
  const [outcome, setOutcome] = useState<PublishOutcome>();
  const [busy, setBusy] = useState(false);
  const set = (key: keyof GraphShareSettings) => (_: unknown, data: { value: string }) => setSettings({ ...settings, [key]: data.value });

  async function publish() {
    setBusy(true);
    setOutcome(undefined);
    setProgress({});
    onNotice(undefined);
    try {
      if (kind === 'sharepoint') onSaveSettings(settings);
      const choice: ShareChoice = kind === 'sharepoint' ? { kind, settings } : { kind, containerUrl };
      const result = await ops.publish(choice, (p) => setProgress((all) => ({ ...all, [p.file]: p })));
      // Nothing published: no version, files or links to show; the notice says why.
      setOutcome(result.unchanged ? undefined : result);
      onPublished?.();
      onNotice(publishNotice(result));
    } catch (error) {
      // Messages from the shares carry no SAS or token: they are redacted where they are made.
      onNotice({ intent: 'error', title: 'Not published', body: `${error instanceof Error ? error.message : String(error)}. A version without its manifest.json is never trusted, so nothing half-published will be read.` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={styles.step} aria-label="Publish">
      <Text>Publishes the approved chargeback: the statement and GL journal as CSV, a copy of this workbook, and manifest.json with each file's SHA-256. A published period is never overwritten; publishing again makes a new version.</Text>
      <RadioGroup value={kind} onChange={(_, data) => setKind(data.value as ShareChoice['kind'])} aria-label="Finance share">
        <Radio value="sharepoint" label="SharePoint or OneDrive folder" />
        <Radio value="blob" label="Azure Blob Storage container" />
      </RadioGroup>
      {kind === 'sharepoint' ? (
        <>
          <Field label="App registration client id"><Input value={settings.clientId ?? ''} onChange={set('clientId')} /></Field>
          <Field label="Site URL" hint="Leave empty for your OneDrive"><Input value={settings.siteUrl ?? ''} onChange={set('siteUrl')} placeholder="https://contoso.sharepoint.com/sites/Finance" /></Field>
          <Field label="Document library"><Input value={settings.library ?? ''} onChange={set('library')} placeholder="Documents" /></Field>
          <Field label="Folder"><Input value={settings.folder} onChange={set('folder')} /></Field>
        </>
      ) : (
        <Field label="Container URL with SAS" hint="Used for this publish only: never saved, logged or written to the workbook.">
          <Input type="password" value={containerUrl} onChange={(_, data) => setContainerUrl(data.value)} placeholder="https://account.blob.core.windows.net/finance?sv=…" />
        </Field>
      )}
      <div>
        <Button appearance="primary" disabled={busy || (kind === 'blob' && containerUrl === '')} disabledFocusable={Boolean(blockedBy)} aria-describedby={blockedBy} onClick={() => void publish()}>
          {busy ? 'Publishing…' : 'Publish'}
        </Button>
      </div>
      {Object.values(progress).map((p) => (
        <Field key={p.file} label={p.file} validationState={p.done ? 'success' : 'none'} validationMessage={p.done ? `${p.totalBytes.toLocaleString()} bytes` : undefined}>
          <ProgressBar value={p.totalBytes === 0 ? 1 : p.sentBytes / p.totalBytes} />
        </Field>
      ))}
      {outcome && (
        <div data-testid="publish-result">
          <Text weight="semibold">{`Version ${outcome.version} in ${outcome.location}/${outcome.folder}`}</Text>
          {[...outcome.files, { name: 'manifest.json', sha256: outcome.manifestSha256, link: outcome.manifestLink, bytes: 0 }].map((f) => (
            <div key={f.name}>
              {/^https?:/.test(f.link) ? <Link href={f.link} target="_blank">{f.name}</Link> : <Text>{f.link}</Text>}
              <div className={styles.hash}>{`SHA-256 ${f.sha256}`}</div>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
