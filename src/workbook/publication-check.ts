/**
 * The workbook against its last publication on the share (`verify --against`). The Audit chain
 * finds an edited or inserted entry but not one removed from its end; the manifest of each
 * published version records the Audit log's length and head digest at publish time, so the book
 * must still hold that head, followed by the Publish entry of that very manifest.
 */
import { isPublishAction } from '../core/audit';
import { artifactNames, checkVersion, latestTrustedVersion, versionsTaken } from '../core/publication';
import { Share } from '../shares/share';
import { WorkbookGateway } from './gateway';
import { auditEntriesFrom } from './layout';

export interface PublicationCheck {
  problems: string[];
  /** The version checked against, when the share holds a trusted one. */
  version?: number;
  /** The workbook is the copy published as that version (`chargeback-<period>.xlsx` of its folder). */
  publishedCopy?: boolean;
}

/**
 * `workbookSha256`: the SHA-256 of the workbook's bytes as read. The copy of the book a version
 * publishes is saved before its own Publish entry can be written (the entry holds the manifest's
 * hash, and the manifest the copy's), so that copy is recognised by its hash in a trusted manifest
 * instead, and must hold the Audit log exactly as that manifest recorded it.
 */
export async function checkAgainstPublication(gateway: WorkbookGateway, share: Share, period: string, workbookSha256?: string): Promise<PublicationCheck> {
  const entries = auditEntriesFrom(await gateway.readTable('Audit'));
  const copy = workbookSha256 ? await publishedCopyOf(share, period, workbookSha256) : undefined;
  if (copy) {
    const audit = copy.manifest.audit;
    const head = entries[entries.length - 1]?.entryDigest ?? '';
    const problems = audit && (entries.length !== audit.entries || head !== audit.headDigest) ? [`the workbook is the copy published as ${period} version ${copy.version}, but its Audit log is not the one that version recorded`] : [];
    return { problems, version: copy.version, publishedCopy: true };
  }
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

/** The trusted version of the period whose published workbook copy has this SHA-256, if any. */
async function publishedCopyOf(share: Share, period: string, workbookSha256: string) {
  const name = artifactNames(period).workbook;
  for (const version of versionsTaken(await share.listFolder(`${period}/`)).sort((a, b) => b - a)) {
    const check = await checkVersion(share, period, version);
    if (check.trusted && check.manifest.files.some((f) => f.name === name && f.sha256 === workbookSha256)) return check;
  }
  return undefined;
}
