/**
 * What a publish puts on the finance share, and how a reader knows it is whole. Each publish of a
 * period is a version in its own folder: `<period>/` first, then `<period>/v2/`, `v3/`, ... — a
 * published period is never overwritten. The files go first and `manifest.json` last; the
 * manifest lists every file's SHA-256 and size, so a reader trusts a version only when its
 * manifest is there and every hash matches. A publish cut off half-way leaves no such version.
 */
import { AllocationResult } from './allocate';
import { csvBytes, csvNumber, CsvCell } from './csv-write';
import { sha256Hex } from './digest';
import { FACTS_FOLDER } from './facts';
import { Journal, JOURNAL_COLUMNS } from './journal';
import { formatMinor, MinorUnits } from './money';
import type { ManifestLedgerLine, RestatementJournal } from './restatement';
import type { IdentitySource } from './identity';

export const MANIFEST_NAME = 'manifest.json';
export const MANIFEST_FORMAT = 'chargeback-publication/1';

export interface Artifact {
  name: string;
  bytes: Uint8Array;
  contentType: string;
}

export interface PublishedFile {
  name: string;
  sha256: string;
  bytes: number;
}

export interface PublicationManifest {
  format: typeof MANIFEST_FORMAT;
  period: string;
  version: number;
  /** The version's folder on the share, e.g. `2026-10/v2/`. */
  folder: string;
  /** The trusted version this one replaces, when the period was published before. */
  supersedes?: { version: number; folder: string; manifestSha256: string };
  currency: string;
  metric: string;
  totals: { source: string; allocated: string; unallocated: string; journalDebits: string; journalCredits: string; costCenters: number };
  /**
   * Who approved and published, and how each was known (`signed in`, `typed`, `os user`: see
   * core/identity); `selfApproval` when the preparer approved, as the administrator's policy allowed.
   */
  approval: { by: string; time: string; contentDigest: string; known?: IdentitySource; selfApproval?: true };
  published: { by: string; time: string; known?: IdentitySource };
  /**
   * The workbook's Audit log as it stood when this version was published (before its Publish
   * entry): how many entries and the last one's digest. It anchors the chain outside the book, so
   * `verify --against` finds entries removed from its end.
   */
  audit?: { entries: number; headDigest: string };
  files: PublishedFile[];
  /** The version's fact files for reporting, by their path from the share's root (`facts/parquet/statement/period=…/…`). */
  facts?: PublishedFile[];
  /**
   * What the ledger holds for the period once this version is posted (every version before it
   * included), per GL account and cost center, a debit positive. The next restatement posts the
   * difference against this, so it never has to replay earlier journals.
   */
  ledger?: ManifestLedgerLine[];
  /**
   * On a period billed in several currencies: each billing currency's total as billed, the rate that
   * converted it to `currency` (its label: pair, rate, Rates row and source) and what it became.
   */
  rates?: { billingCurrency: string; billed: string; rate: string; converted: string }[];
  /** Set on a restatement: the version it restates, and what changed. */
  restates?: { version: number; folder: string; manifestSha256: string };
  restatement?: {
    /** Difference, or Reverse and repost (Settings RestatementJournal). */
    journal: RestatementJournal;
    /** The period the journal posts in (Settings RestatementPeriod): the restated one, or an open one. */
    postedIn: string;
    /** Each cost center's charge in the restated version and now, and the net change. */
    netChange: { costCenter: string; before: string; after: string; change: string }[];
    netChangeTotal: string;
  };
}

export function artifactNames(period: string) {
  return { statement: `chargeback-${period}.csv`, journal: `journal-${period}.csv`, workbook: `chargeback-${period}.xlsx`, manifest: MANIFEST_NAME };
}

// ---- Artifacts -----------------------------------------------------------------------------

const CSV = 'text/csv; charset=utf-8';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The statement as CSV: one row per cost center, amounts in the billing currency. */
export function statementArtifact(result: AllocationResult): Artifact {
  const m = (v: MinorUnits | undefined): CsvCell => (v === undefined ? null : csvNumber(formatMinor(v, result.minorDigits)));
  const header = ['Period', 'CostCenter', 'Name', 'Owner', 'GLAccount', 'Direct', ...result.pools.map((p) => p.pool), 'Shared', 'Total', 'Budget', 'Variance', 'Currency'];
  const rows = result.costCenters.map((c) => [result.period, c.costCenter, c.name, c.owner, c.glAccount, m(c.direct), ...c.shares.map(m), m(c.shared), m(c.total), m(c.budget), m(c.variance), result.currency]);
  return { name: artifactNames(result.period).statement, bytes: csvBytes(header, rows), contentType: CSV };
}

/** The journal id of a version: `CB-2026-10`, then `CB-2026-10-V2`, ... — a ledger that imported one version refuses no later one as a duplicate. */
export function versionJournalId(journalId: string, version: number): string {
  return version === 1 ? journalId : `${journalId}-V${version}`;
}

export function journalArtifact(period: string, journal: Journal, minorDigits: number, version = 1): Artifact {
  const amount = (v: MinorUnits): CsvCell => (v === 0n ? null : csvNumber(formatMinor(v, minorDigits)));
  const rows = journal.lines.map((l) => [versionJournalId(l.journalId, version), l.lineNumber, l.postingDate, l.period, l.account, l.costCenter, l.costCenterName, l.description, amount(l.debit), amount(l.credit), l.currency]);
  return { name: artifactNames(period).journal, bytes: csvBytes(JOURNAL_COLUMNS, rows), contentType: CSV };
}

// ---- Versions ------------------------------------------------------------------------------

export function versionFolder(period: string, version: number): string {
  return version === 1 ? `${period}/` : `${period}/v${version}/`;
}

/** What a share holds directly in a folder. */
export interface FolderListing {
  files: string[];
  folders: string[];
}

/**
 * Versions whose folder is taken, complete or not: version 1 when the period folder holds anything
 * but later versions, version n for each `v<n>` folder. A failed publish still takes its number, so nothing is
 * ever written over it.
 */
export function versionsTaken(periodFolder: FolderListing | undefined): number[] {
  if (!periodFolder) return [];
  const versions = periodFolder.folders.map((f) => /^v(\d+)$/.exec(f.replace(/\/$/, ''))).flatMap((m) => (m && Number(m[1]) >= 2 ? [Number(m[1])] : []));
  // Version 1 lives in the period folder itself: any file, or any folder that is not a later version (showback/, or one another hand made), takes it.
  if (periodFolder.files.length > 0 || periodFolder.folders.some((f) => !/^v\d+$/.test(f.replace(/\/$/, '')))) versions.push(1);
  return versions.sort((a, b) => a - b);
}

export function nextVersion(taken: readonly number[]): number {
  return taken.length === 0 ? 1 : Math.max(...taken) + 1;
}

// ---- Manifest ------------------------------------------------------------------------------

export async function describeFile(artifact: Artifact): Promise<PublishedFile> {
  return { name: artifact.name, sha256: await sha256Hex(artifact.bytes), bytes: artifact.bytes.byteLength };
}

export function manifestBytes(manifest: PublicationManifest): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n');
}

// ---- Reading back --------------------------------------------------------------------------

/** The one thing a reader needs from a share. */
export interface ShareReader {
  /** The file's bytes, or undefined when there is no such file. */
  readFile(path: string): Promise<Uint8Array | undefined>;
}

export type VersionCheck =
  | { trusted: true; version: number; manifest: PublicationManifest; manifestSha256: string }
  | {
      trusted: false;
      version: number;
      reason: string;
      /** No manifest.json: a publish that stopped before its last write (or one still under way). */
      unfinished?: boolean;
      /** The manifest's SHA-256, when there is one: a version the book recorded is found by it even when its files no longer match. */
      manifestSha256?: string;
    };

/** The longest name a file or folder may have on the shares we write to (NTFS, ext4, SharePoint: 255; we keep a margin). */
export const MAX_NAME_LENGTH = 250;
/** The longest path from a share's root a publish writes (SharePoint's limit is 400 characters, with the site and library). */
export const MAX_PATH_LENGTH = 300;

/**
 * Why a path from a manifest, or one a publish is about to write, is not a plain relative path
 * under its folder: empty or `.`/`..` parts, a leading `/`, a backslash or drive letter, control
 * characters, a name too long for the share. Undefined when it is one.
 */
export function unsafeSharePath(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'an empty name';
  if (name.startsWith('/')) return `"${name}" is an absolute path`;
  if (name.includes('\\')) return `"${name}" has a backslash`;
  if (/^[a-z]:/i.test(name)) return `"${name}" names a drive`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return `"${JSON.stringify(name).slice(1, -1)}" has a control character`;
  const parts = name.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return `"${name}" leaves its folder or has an empty part`;
  const long = parts.find((p) => new TextEncoder().encode(p).byteLength > MAX_NAME_LENGTH);
  if (long !== undefined) return `"${long.slice(0, 40)}…" is longer than ${MAX_NAME_LENGTH} bytes, too long for a file name on the share`;
  return undefined;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Why a manifest's file list is not a list of plain files under its folder, each with a SHA-256 and a size; undefined when it is. */
function badFileList(list: unknown, what: string, under = ''): string | undefined {
  if (!Array.isArray(list)) return `its ${what} is not a list`;
  for (const [index, file] of list.entries()) {
    if (typeof file !== 'object' || file === null) return `${what} entry ${index + 1} is not a file`;
    const { name, sha256, bytes } = file as Record<string, unknown>;
    const unsafe = unsafeSharePath(name);
    if (unsafe) return `${what} entry ${index + 1}: ${unsafe}: not followed`;
    if (under && !(name as string).startsWith(under)) return `${what} entry ${index + 1}: "${name}" is not under ${under}: not followed`;
    if (typeof sha256 !== 'string' || !SHA256.test(sha256)) return `${what} entry ${index + 1} (${name}) has no SHA-256`;
    if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) return `${what} entry ${index + 1} (${name}) has no size`;
  }
  return undefined;
}

export interface CheckVersionOptions {
  /** Also read and hash the Power BI fact files the manifest lists (outside the version's folder): verify does, publish does not need them. */
  facts?: boolean;
}

/**
 * Whether a version can be trusted: its manifest is there, is for this period and version, lists
 * only plain files under its folder (and facts under facts/), and every file matches its hash and
 * size. What the manifest says is never followed outside the share's folders.
 */
export async function checkVersion(share: ShareReader, period: string, version: number, options: CheckVersionOptions = {}): Promise<VersionCheck> {
  const folder = versionFolder(period, version);
  const raw = await share.readFile(folder + MANIFEST_NAME);
  if (!raw) return { trusted: false, version, reason: `${folder}: no manifest.json (an unfinished publish)`, unfinished: true };
  const manifestSha256 = await sha256Hex(raw);
  const untrusted = (reason: string): VersionCheck => ({ trusted: false, version, reason: `${folder}: ${reason}`, manifestSha256 });
  let manifest: PublicationManifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(raw)) as PublicationManifest;
  } catch {
    return untrusted('manifest.json is not valid JSON');
  }
  if (typeof manifest !== 'object' || manifest === null || manifest.format !== MANIFEST_FORMAT || manifest.period !== period || manifest.version !== version) {
    return untrusted(`manifest.json is not the manifest of ${period} version ${version}`);
  }
  const badList = badFileList(manifest.files, 'files') ?? (manifest.facts === undefined ? undefined : badFileList(manifest.facts, 'facts', FACTS_FOLDER));
  if (badList) return untrusted(`manifest.json is not trusted: ${badList}`);
  const statement = artifactNames(period).statement;
  if (!manifest.files.some((f) => f.name === statement)) return untrusted(`manifest.json is not trusted: it lists no statement (${statement})`);
  const supersedes = manifest.supersedes as unknown;
  if (supersedes !== undefined && (typeof supersedes !== 'object' || supersedes === null || !SHA256.test(String((supersedes as { manifestSha256?: unknown }).manifestSha256)))) {
    return untrusted('manifest.json names the version it supersedes without its SHA-256');
  }
  const listed = [...manifest.files.map((f) => ({ ...f, path: folder + f.name })), ...(options.facts ? (manifest.facts ?? []).map((f) => ({ ...f, path: f.name })) : [])];
  for (const file of listed) {
    const bytes = await share.readFile(file.path);
    if (!bytes) return untrusted(`${file.name} is missing`);
    if (bytes.byteLength !== file.bytes || (await sha256Hex(bytes)) !== file.sha256) return untrusted(`${file.name} does not match its SHA-256 in manifest.json`);
  }
  return { trusted: true, version, manifest, manifestSha256 };
}

/** Every version of a period on the share, newest first, each checked. */
export async function checkVersions(share: ShareReader, period: string, taken: readonly number[], options: CheckVersionOptions = {}): Promise<VersionCheck[]> {
  const checks: VersionCheck[] = [];
  for (const version of [...taken].sort((a, b) => b - a)) checks.push(await checkVersion(share, period, version, options));
  return checks;
}

/** The newest version a reader can trust, if any. */
export async function latestTrustedVersion(share: ShareReader, period: string, taken: readonly number[]): Promise<Extract<VersionCheck, { trusted: true }> | undefined> {
  return (await newestVersions(share, period, taken)).latest;
}

/** The versions from the newest down to the newest trusted one (each checked), and that one. */
export async function newestVersions(share: ShareReader, period: string, taken: readonly number[]): Promise<{ latest?: Extract<VersionCheck, { trusted: true }>; newer: Extract<VersionCheck, { trusted: false }>[] }> {
  const newer: Extract<VersionCheck, { trusted: false }>[] = [];
  for (const version of [...taken].sort((a, b) => b - a)) {
    const check = await checkVersion(share, period, version);
    if (check.trusted) return { latest: check, newer };
    newer.push(check);
  }
  return { newer };
}

export function totalsOf(result: AllocationResult, journal: Journal): PublicationManifest['totals'] {
  const m = (v: MinorUnits) => formatMinor(v, result.minorDigits);
  return {
    source: m(result.sourceTotal),
    allocated: m(result.allocatedTotal),
    unallocated: m(result.unallocated),
    journalDebits: m(journal.debits),
    journalCredits: m(journal.credits),
    costCenters: result.costCenters.length,
  };
}
