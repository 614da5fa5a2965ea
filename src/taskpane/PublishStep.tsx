/**
 * Step 5, Publish: send the approved period to the finance share — a SharePoint / OneDrive folder
 * or an Azure Blob container — with a progress bar per file, then show where it went, the version
 * and each file's SHA-256. Publishing refuses a period that is not approved or changed since.
 */
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, Link, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, ProgressBar, Radio, RadioGroup, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { GraphShareSettings } from '../shares/graph-share';
import type { FileProgress, PublishOutcome } from '../workbook/publish';
import { publishNotice, type Notice } from './notice';
import type { NewVersion, TaskPaneOperations } from './operations';
import { authorityFor, LoadedPaneConfig, PANE_CONFIG_FILE } from './pane-config';
import { SasUrlField } from './SasUrlField';
import type { ShareChoice } from './shares';

export interface PublishStepProps {
  ops: Pick<TaskPaneOperations, 'publish'>;
  /** The admin's configuration (undefined while it is read): client id, tenant, default share. */
  config?: LoadedPaneConfig;
  /** What the user chose last time on this computer. */
  sharePointSettings: Partial<GraphShareSettings>;
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

const given = <T extends object>(settings: T | undefined): Partial<T> => Object.fromEntries(Object.entries(settings ?? {}).filter(([, value]) => typeof value === 'string' && value.trim() !== '')) as Partial<T>;

export function PublishStep({ ops, config: loaded, sharePointSettings, onSaveSettings, onNotice, onPublished, blockedBy }: PublishStepProps) {
  const styles = useStyles();
  const config = loaded?.config ?? {};
  // The admin's client id always wins; for the place, what this user chose last wins over the admin's default.
  const [kind, setKind] = useState<ShareChoice['kind']>(config.blobContainerUrl && !config.clientId && !config.sharePoint ? 'blob' : 'sharepoint');
  const [settings, setSettings] = useState<GraphShareSettings>({ folder: 'Chargeback', ...given(config.sharePoint), ...given(sharePointSettings), ...(config.clientId ? { clientId: config.clientId } : {}) });
  const [containerUrl, setContainerUrl] = useState(config.blobContainerUrl ?? '');
  const [confirming, setConfirming] = useState<{ next: NewVersion; answer: (yes: boolean) => void }>();
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
      // Kept for next time: what this user chose, not the admin's defaults (which may change for everyone).
      const defaults: Partial<GraphShareSettings> = { folder: 'Chargeback', ...config.sharePoint, clientId: config.clientId };
      if (kind === 'sharepoint') onSaveSettings({ folder: settings.folder, ...Object.fromEntries(Object.entries(settings).filter(([key, value]) => value !== defaults[key as keyof GraphShareSettings])) });
      const choice: ShareChoice = kind === 'sharepoint' ? { kind, settings, authority: authorityFor(config) } : { kind, containerUrl };
      const confirm = (next: NewVersion) => new Promise<boolean>((answer) => setConfirming({ next, answer }));
      const result = await ops.publish(choice, (p) => setProgress((all) => ({ ...all, [p.file]: p })), confirm);
      if (!result) return onNotice({ intent: 'info', title: 'Not published', body: 'Nothing was written to the share or the workbook.' });
      // Nothing published (the statement is unchanged): no version, files or links to show; the notice says why.
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
      {loaded?.problem && (
        <MessageBar intent="error" layout="multiline" data-testid="config-problem">
          <MessageBarBody>
            <MessageBarTitle>The admin's settings were not used</MessageBarTitle>
            {`${loaded.problem}. Ask whoever deploys the add-in to fix ${PANE_CONFIG_FILE} (see docs/publishing.md).`}
          </MessageBarBody>
        </MessageBar>
      )}
      {kind === 'sharepoint' ? (
        <>
          {/* Only when the deployment names no app registration: an admin's field, never finance staff's. */}
          {!config.clientId && (
            <Field label="App registration client id (admins)" hint={`Normally set once for everyone as clientId in ${PANE_CONFIG_FILE} beside the pane (docs/publishing.md).`}>
              <Input value={settings.clientId ?? ''} onChange={set('clientId')} />
            </Field>
          )}
          <Field label="Site URL" hint="Leave empty for your OneDrive"><Input value={settings.siteUrl ?? ''} onChange={set('siteUrl')} placeholder="https://contoso.sharepoint.com/sites/Finance" /></Field>
          <Field label="Document library"><Input value={settings.library ?? ''} onChange={set('library')} placeholder="Documents" /></Field>
          <Field label="Folder"><Input value={settings.folder} onChange={set('folder')} /></Field>
        </>
      ) : (
        <SasUrlField
          label="Container URL with SAS"
          hint={`${config.blobContainerUrl ? 'Add the SAS (?sv=…&sig=…) to the container your admin set. ' : ''}The SAS must allow create, write and list. Used for this publish only: never saved, logged or written to the workbook.`}
          value={containerUrl}
          onChange={setContainerUrl}
          placeholder="https://account.blob.core.windows.net/finance?sv=…"
        />
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
      {confirming && (
        <ConfirmNewVersion
          next={confirming.next}
          onAnswer={(yes) => {
            confirming.answer(yes);
            setConfirming(undefined);
          }}
        />
      )}
    </section>
  );
}

/** A publish that would add a version asks first; Escape or Cancel publishes nothing. */
function ConfirmNewVersion({ next, onAnswer }: { next: NewVersion; onAnswer: (yes: boolean) => void }) {
  const { period, version, published } = next;
  return (
    <Dialog open modalType="alert" onOpenChange={(_, data) => !data.open && onAnswer(false)}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{`Publish version ${version} of ${period}?`}</DialogTitle>
          <DialogContent>
            {`${period} is on the share already (${published === 1 ? 'one version' : `${published} versions`}). Publishing again makes version ${version} in ${period}/v${version}/, which supersedes the earlier ones; they stay as they are, and whoever imported them must take the new one.`}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={() => onAnswer(true)}>{`Publish version ${version}`}</Button>
            <Button onClick={() => onAnswer(false)}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
