/**
 * The workbook against its last publication on the share (`verify --against`). The Audit chain
 * finds an edited or inserted entry but not one removed from its end; the manifest of each
 * published version records the Audit log's length and head digest at publish time, so the book
 * must still hold that head, followed by the Publish entry of that very manifest.
 */
import { isPublishAction } from '../core/audit';
import { latestTrustedVersion, versionsTaken } from '../core/publication';
import { Share } from '../shares/share';
import { WorkbookGateway } from './gateway';
import { auditEntriesFrom } from './layout';

export interface PublicationCheck {
  problems: string[];
  /** The version checked against, when the share holds a trusted one. */
  version?: number;
}

export async function checkAgainstPublication(gateway: WorkbookGateway, share: Share, period: string): Promise<PublicationCheck> {
  const entries = auditEntriesFrom(await gateway.readTable('Audit'));
  const publishes = entries.filter((e) => isPublishAction(e.action) && e.period === period);
  const latest = await latestTrustedVersion(share, period, versionsTaken(await share.listFolder(`${period}/`)));
  if (!latest) {
    return { problems: publishes.length > 0 ? [`the Audit log records a publish of ${period}, but ${share.location} holds no trusted version of it`] : [] };
  }
  const { manifest, manifestSha256, version } = latest;
  const problems: string[] = [];
  const recorded = entries.findIndex((e) => isPublishAction(e.action) && e.contentDigest === manifestSha256);
  if (recorded < 0) {
    problems.push(`${period} version ${version} on ${share.location} is not in the Audit log: its Publish entry was removed, or this is not the workbook that was published`);
  }
  if (manifest.audit) {
    const head = manifest.audit.entries === 0 ? undefined : entries[manifest.audit.entries - 1];
    if ((head?.entryDigest ?? '') !== manifest.audit.headDigest || (recorded >= 0 && recorded < manifest.audit.entries)) {
      problems.push(`the Audit log does not hold the ${manifest.audit.entries} entries it had when version ${version} was published: entries were removed or replaced`);
    }
  }
  return { problems, version };
}
