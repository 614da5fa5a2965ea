/**
 * The workbook against its publications on the share (`verify --against`). Every version of the
 * period on the share is checked, each file its manifest lists (the Power BI facts included)
 * against its SHA-256, and each version is placed: recorded by this book (a Publish entry holds its
 * manifest's hash), chained to one it recorded (an earlier version another book published, which a
 * restatement adopted), this book's own publish that the book could not record, or someone else's.
 *
 * The Audit chain finds an edited or inserted entry but not one removed from its end; the manifest
 * of each published version records the Audit log's length and head digest at publish time, so the
 * book must still hold that head, followed by the Publish entry of that very manifest.
 */
import { AuditEntry } from '../core/audit';
import { artifactNames, checkVersions, versionFolder, versionsTaken } from '../core/publication';
import { redactSecrets, Share } from '../shares/share';
import { WorkbookGateway } from './gateway';
import { auditEntriesFrom } from './layout';
import { chainedVersions, recordedPublications, shown, TrustedVersion } from './publication-trust';

export interface PublicationCheck {
  problems: string[];
  /** What the share holds that no reader trusts or this book did not publish, told but not failing: unfinished or foreign versions, adopted ones. */
  notes: string[];
  /** The newest version this book recorded, when the share holds it trusted. */
  version?: number;
  /** How many versions of the period the share holds (each one checked). */
  checked: number;
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
  const recorded = recordedPublications(entries, period);
  const location = redactSecrets(share.location);
  const checks = (await checkVersions(share, period, versionsTaken(await share.listFolder(`${period}/`)), { facts: true })).reverse();
  const trusted = checks.filter((c): c is TrustedVersion => c.trusted);
  const chained = chainedVersions(trusted, recorded);
  // The copy a version published is recognised by its hash in a trusted manifest, and must hold the Audit log that version recorded.
  const copyName = artifactNames(period).workbook;
  const copy = workbookSha256 ? trusted.find((t) => t.manifest.files.some((f) => f.name === copyName && f.sha256 === workbookSha256)) : undefined;
  if (copy) {
    const audit = copy.manifest.audit;
    const head = entries[entries.length - 1]?.entryDigest ?? '';
    const problems = audit && (entries.length !== audit.entries || head !== audit.headDigest) ? [`the workbook is the copy published as ${period} version ${copy.version}, but its Audit log is not the one that version recorded`] : [];
    // The archive copy and a working book whose save failed right after publishing are the same bytes: say both.
    const notes = recorded.includes(copy.manifestSha256)
      ? []
      : [
          `this workbook is, byte for byte, the copy ${period} version ${copy.version} published, which holds no Publish entry of its own; ` +
            `if it is your working book (its save failed after publishing), run the same publish again: it records version ${copy.version} and writes nothing more to the share`,
        ];
    return { problems, notes, version: copy.version, checked: checks.length, publishedCopy: true };
  }
  const problems: string[] = [];
  const notes: string[] = [];
  let version: number | undefined;
  for (const check of checks) {
    const name = `${period} version ${check.version} on ${location}`;
    if (!check.trusted) {
      if (check.manifestSha256 !== undefined && recorded.includes(check.manifestSha256)) problems.push(`${name}, which this book published, no longer matches its manifest: ${check.reason}`);
      else if (check.unfinished) notes.push(`${versionFolder(period, check.version)} has no manifest.json: an unfinished publish, which no reader trusts and every publish passes over`);
      else notes.push(`${name} is not trusted and was not followed: ${check.reason}`);
      continue;
    }
    const { manifest, manifestSha256 } = check;
    if (recorded.includes(manifestSha256)) {
      version = check.version;
      problems.push(...anchorProblems(entries, check));
    } else if (chained.has(manifestSha256)) {
      notes.push(`${name} was published by another book (${shown(manifest.published?.by)} at ${shown(manifest.published?.time)}); this book's restatement adopted it by its manifest's SHA-256`);
    } else if (publishedFromThisBook(entries, period, check)) {
      problems.push(
        `${name} is not in the Audit log, yet it was published from this book (approved by ${shown(manifest.approval.by)} at ${shown(manifest.approval.time)}, with the Audit log as it stood then): ` +
          `either the publish stopped before the workbook was saved (run the same publish again: it records the version and writes nothing more to the share) or its Publish entry was removed`,
      );
    } else {
      problems.push(`${name} is not in the Audit log: its Publish entry was removed, or this is not the workbook that was published`);
    }
  }
  const onShare = new Set(trusted.map((t) => t.manifestSha256));
  for (const sha of recorded.filter((s) => !onShare.has(s))) {
    const checkedSha = checks.some((c) => !c.trusted && c.manifestSha256 === sha);
    if (!checkedSha) problems.push(`the Audit log records a publish of ${period} (manifest sha256 ${sha}), but ${location} holds no trusted version with that manifest`);
  }
  return { problems, notes, version, checked: checks.length };
}

/** The Audit log still holds the head the manifest recorded, followed (later) by the Publish entry of that manifest. */
function anchorProblems(entries: readonly AuditEntry[], check: TrustedVersion): string[] {
  const { manifest, manifestSha256, version } = check;
  if (!manifest.audit) return [];
  const recordedAt = entries.findIndex((e) => e.contentDigest === manifestSha256);
  const head = manifest.audit.entries === 0 ? undefined : entries[manifest.audit.entries - 1];
  if ((head?.entryDigest ?? '') !== manifest.audit.headDigest || recordedAt < manifest.audit.entries) {
    return [`the Audit log does not hold the ${manifest.audit.entries} entries it had when version ${version} was published: entries were removed or replaced`];
  }
  return [];
}

/** A version whose approval this book's Audit log records, published when the log stood as a prefix of what it holds now. */
function publishedFromThisBook(entries: readonly AuditEntry[], period: string, check: TrustedVersion): boolean {
  const { manifest } = check;
  if (!manifest.audit || !manifest.approval) return false;
  const approved = entries.some((e) => e.action === 'Approve' && e.period === period && e.contentDigest === manifest.approval.contentDigest);
  const head = manifest.audit.entries === 0 ? undefined : entries[manifest.audit.entries - 1];
  return approved && (head?.entryDigest ?? '') === manifest.audit.headDigest;
}
