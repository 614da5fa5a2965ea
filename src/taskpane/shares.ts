/**
 * The shares the Publish step can write to from Excel: a SharePoint / OneDrive folder (signed in
 * through nested app authentication) or an Azure Blob container URL with a SAS. The settings that
 * name the SharePoint folder are kept in the browser's storage for this add-in, never in the
 * workbook; a SAS URL is kept nowhere, only used for the publish it was typed for.
 */
import { BlobShare } from '../shares/blob-share';
import { graphClient, GraphShare, GraphShareSettings, resolveDrive } from '../shares/graph-share';
import type { Share } from '../shares/share';
import { signIn } from './auth';

/** `authority`: where to sign in (the configured tenant); any work or school account when not given. */
export type ShareChoice = { kind: 'sharepoint'; settings: GraphShareSettings; authority?: string } | { kind: 'blob'; containerUrl: string };

const SETTINGS_KEY = 'chargeback.sharepoint';

/** What the user chose last time on this computer (the admin's defaults apply where it says nothing). */
export function loadSharePointSettings(): Partial<GraphShareSettings> {
  try {
    return JSON.parse(window.localStorage.getItem(SETTINGS_KEY) ?? '{}') as Partial<GraphShareSettings>;
  } catch {
    return {};
  }
}

export function saveSharePointSettings(settings: GraphShareSettings): void {
  window.localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
}

export async function openShare(choice: ShareChoice): Promise<Share> {
  if (choice.kind === 'blob') return new BlobShare(choice.containerUrl);
  const { clientId, siteUrl, library, folder } = choice.settings;
  if (!clientId) throw new Error('no app registration is configured: ask your admin to set clientId in chargeback.config.json (docs/publishing.md)');
  const { getAccessToken } = await signIn(clientId, undefined, choice.authority);
  const client = graphClient(getAccessToken);
  const driveId = await resolveDrive(client, { siteUrl, library });
  return new GraphShare(client, driveId, folder, { displayName: siteUrl ? `${siteUrl}/${library || 'Documents'}` : 'OneDrive' });
}
