/**
 * Whose publication is on the share. The finance share is not ours alone: anyone with access can
 * put a `manifest.json` there. A version is trusted to compute a restatement against, or to match
 * a book in `verify --against`, only when it chains to what the book recorded:
 *
 * - each Publish (or Restate) entry in the book's Audit log holds its manifest's SHA-256;
 * - each manifest names the SHA-256 of the version it supersedes;
 * - a version this book did not record is accepted only when the user adopts it by its manifest's
 *   SHA-256 (`publish --adopt`), or when it is this book's own publish that the book could not
 *   record (it stopped after the share received the version): same approval, the Audit log as
 *   it stood then, and the very figures this book would publish now.
 */
import { AuditEntry, isPublishAction } from '../core/audit';
import { ManifestLedgerLine } from '../core/restatement';
import { PublicationManifest, VersionCheck, versionFolder } from '../core/publication';
import { redactSecrets } from '../shares/share';

export type TrustedVersion = Extract<VersionCheck, { trusted: true }>;

/** What this book would publish now, to recognise a version it published but could not record. */
export interface OwnVersion {
  approvalDigest: string;
  /** The Audit log as it stands (length and last entry's digest): a publish records it in its manifest. */
  audit: { entries: number; headDigest: string };
  ledger: ManifestLedgerLine[];
  statementSha256: string;
}

/** The manifest SHA-256 of each version of `period` the Audit log records as published by this book. */
export function recordedPublications(entries: readonly AuditEntry[], period: string): string[] {
  return entries.filter((e) => isPublishAction(e.action) && e.period === period).map((e) => e.contentDigest);
}

/**
 * Whether a version this book did not record is its own: a publish from this book, with the
 * approval in force, when the Audit log stood as it stands now (nothing was recorded after it),
 * with the ledger and statement this book would publish now, superseding only a version the book
 * recorded or the user adopts. Recording it posts nothing the book does not already say.
 */
export function isOwnUnrecorded(manifest: PublicationManifest, ours: OwnVersion, chainsTo: readonly string[]): boolean {
  const statement = manifest.files.find((f) => f.name === `chargeback-${manifest.period}.csv`);
  return (
    manifest.approval?.contentDigest === ours.approvalDigest &&
    manifest.audit?.entries === ours.audit.entries &&
    manifest.audit?.headDigest === ours.audit.headDigest &&
    JSON.stringify(manifest.ledger) === JSON.stringify(ours.ledger) &&
    statement?.sha256 === ours.statementSha256 &&
    (manifest.supersedes === undefined || chainsTo.includes(manifest.supersedes.manifestSha256))
  );
}

/** Why publishing refuses a period whose latest version on the share this book did not publish, and how to adopt it. */
export function notOursRefusal(location: string, latest: TrustedVersion, publishedBefore: boolean, adopt: string | undefined): string {
  const { manifest } = latest;
  const period = manifest.period;
  const who = `published by ${shown(manifest.published?.by)} at ${shown(manifest.published?.time)}, approved by ${shown(manifest.approval?.by)}`;
  const why = publishedBefore
    ? `it came from another copy of the book (or another hand), so this book's review did not compare with it; run the restatement in the book that published it`
    : `this book never published ${period}, so nothing it recorded vouches for what that version says was posted`;
  const adopting = adopt ? ` (--adopt ${adopt} names another manifest)` : '';
  return (
    `publishing ${period} refused: the share's latest version is ${latest.version} (manifest sha256 ${latest.manifestSha256}), which this book did not publish: ${why}${adopting}. ` +
    `That version, at ${redactSecrets(location)}/${versionFolder(period, latest.version)}, was ${who}. ` +
    `To restate it from this book deliberately, check that version (its statement, journal and manifest) against the book that published it, then publish with --adopt ${latest.manifestSha256}`
  );
}

/**
 * The versions that chain to what the book recorded: each recorded version, and each version a
 * recorded or chained one supersedes by its manifest's SHA-256 (earlier versions another book
 * published, adopted by a restatement). Keyed by manifest SHA-256.
 */
export function chainedVersions(trusted: readonly TrustedVersion[], recorded: readonly string[]): Set<string> {
  const bySha = new Map(trusted.map((t) => [t.manifestSha256, t]));
  const chained = new Set<string>();
  for (const start of recorded) {
    for (let sha: string | undefined = start; sha !== undefined && !chained.has(sha) && bySha.has(sha); sha = bySha.get(sha)!.manifest.supersedes?.manifestSha256) chained.add(sha);
  }
  return chained;
}

/** A name or time a manifest on the share gives, as text to show: at most 120 characters, no control characters. */
export function shown(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') return '(not given)';
  // eslint-disable-next-line no-control-regex
  const plain = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return plain.length > 120 ? `${plain.slice(0, 120)}…` : plain;
}
