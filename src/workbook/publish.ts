/**
 * The Publish step, written once against the gateway and the share interface: the task pane
 * calls it with a Graph or Blob share and the workbook's bytes from Office; the command line with
 * a folder or Blob share and ExcelJS bytes. It refuses a period that is not approved or has
 * changed since, builds the statement, journal and manifest, writes the files, then the manifest
 * last, and logs the publish in the Audit sheet (the location only: never a credential).
 */
import { AllocationResult } from '../core/allocate';
import { CurrencyJournal, Journal, journalFor, journalsFor } from '../core/journal';
import {
  Artifact,
  artifactNames,
  describeFile,
  journalArtifact,
  newestVersions,
  MAX_PATH_LENGTH,
  MANIFEST_FORMAT,
  MANIFEST_NAME,
  manifestBytes,
  nextVersion,
  PublicationManifest,
  PublishedFile,
  statementArtifact,
  totalsOf,
  unsafeSharePath,
  versionFolder,
  versionsTaken,
  XLSX_TYPE,
} from '../core/publication';
import { sha256Hex } from '../core/digest';
import { isPublishAction } from '../core/audit';
import { redactSecrets, Share, ShareConflictError, ShareError } from '../shares/share';
import { ApprovalError, approvalState, isSelfApproval, REVIEW_TABLES, reviewWorkbook, verifyWorkbook } from './approval';
import { ApprovalPolicy } from '../core/approval-policy';
import { howKnown } from '../core/identity';
import { erpJournalFiles, JournalFormatError } from '../core/journal-formats';
import type { Rules } from '../core/rules';
import { formatMinor } from '../core/money';
import { readingOnce, WorkbookGateway } from './gateway';
import { auditAppend, nowIso, StepContext } from './steps';
import { auditEntriesFrom } from './layout';
import { isOwnUnrecorded, notOursRefusal, OwnVersion, recordedPublications, TrustedVersion } from './publication-trust';
import { factArtifacts } from './facts-files';
import { FACTS_FOLDER } from '../core/facts';
import { previousTotals, showbackArtifacts, SHOWBACK_FOLDER } from './showback-files';
import { ledgerForManifest, ledgerOf, NetChange, RestatementError } from '../core/restatement';
import { describeNetChange, PUBLISHED_VERSIONS, publishedVersionsTable, Restatement, restatementForManifest, restatementOf } from './restate';

export class PublishError extends Error {}

export interface FileProgress {
  file: string;
  sentBytes: number;
  totalBytes: number;
  done: boolean;
}

export interface PublishOptions extends StepContext {
  /** The workbook copy to publish: its bytes, or a function that reads them (Office reads slices). */
  workbookBytes: Uint8Array | (() => Promise<Uint8Array>);
  onProgress?: (progress: FileProgress) => void;
  signal?: AbortSignal;
  /**
   * The manifest SHA-256 of a version of the period on the share that another book published,
   * which the user has checked and adopts deliberately: the restatement is computed against it.
   * Without it, a period on the share that this book never published is refused.
   */
  adopt?: string;
  /** The administrator's policy: with requireSignIn, an approval that was not signed in is not published. */
  policy?: ApprovalPolicy;
}

export interface PublishOutcome {
  period: string;
  version: number;
  folder: string;
  location: string;
  files: (PublishedFile & { link: string })[];
  /** The Power BI fact files, outside the version's folder (facts/<table>/period=…/), as the manifest lists them. */
  facts: PublishedFile[];
  manifestSha256: string;
  manifestLink: string;
  supersedes?: PublicationManifest['supersedes'];
  /** Set when the period was published before: this version restates that one. */
  restates?: PublicationManifest['restates'];
  restatement?: { journal: Restatement['form']; postedIn: string; netChange: NetChange[]; netChangeTotal: bigint; minorDigits: number };
  /**
   * The period as it stands is what the share already holds (nothing to post, the statement reads
   * the same): nothing was published or recorded; `version` and `folder` are the version on the share.
   */
  unchanged?: boolean;
  /**
   * The version on the share is this book's own, put there by an earlier publish that stopped
   * before the book was saved: this publish recorded it and wrote nothing to the share.
   */
  recovered?: boolean;
  /** Set when the restatement is computed against a version another book published, adopted with `adopt`. */
  adopted?: { version: number; manifestSha256: string };
}

/** How many times to move on to the next version when another publisher took the one we chose. */
const VERSION_RACE_RETRIES = 5;

export async function publishWorkbook(gateway: WorkbookGateway, share: Share, options: PublishOptions): Promise<PublishOutcome> {
  // The approval digest and the review read the same tables: read each once.
  const reads = readingOnce(gateway);
  await reads.prefetch([...REVIEW_TABLES, PUBLISHED_VERSIONS]);
  // Publish refuses whatever verify refuses: a broken Audit chain, a forged approver, edited sheets.
  const verified = await verifyWorkbook(reads);
  const state = verified.state ?? (await approvalState(reads));
  if (state.status === 'open') throw new PublishError(`${state.period} is not approved: review and approve it before you publish`);
  if (state.status === 'changed') {
    throw new PublishError(
      `${state.period} changed since ${state.approval!.by} approved it at ${state.approval!.time} (${state.changedTables.join(', ') || 'its content'}): publishing refused; reopen, check and approve it again`,
    );
  }
  if (!verified.ok) throw new PublishError(`publishing ${state.period} refused: ${verified.problems.join('; ')}`);
  const approval = state.approval!;
  if (options.policy?.requireSignIn && howKnown(approval.by) !== 'signed in') {
    throw new PublishError(`publishing ${state.period} refused: it was approved by ${approval.by}, and your organisation publishes only approvals by a signed-in reviewer; reopen it and have a reviewer approve it signed in`);
  }
  const { result, rules } = verified.review ?? (await reviewWorkbook(reads, { write: false }));
  if (result.period !== state.period) throw new ApprovalError(`the statement is for ${result.period} but the approval is for ${state.period}`);
  let journal: Journal;
  let journals: CurrencyJournal[];
  try {
    journal = journalFor(result, rules.settings);
    journals = journalsFor(result, rules);
  } catch (error) {
    throw new PublishError(`publishing ${result.period} refused: ${(error as Error).message}`);
  }

  const workbook = typeof options.workbookBytes === 'function' ? await options.workbookBytes() : options.workbookBytes;
  const time = nowIso(options);
  const entries = auditEntriesFrom(await reads.readTable('Audit'));
  const audit = { entries: entries.length, headDigest: entries[entries.length - 1]?.entryDigest ?? '' };
  // The showback statements show the month before as it was published on this share.
  const monthBefore = await previousTotals(share, result.period, result.minorDigits);
  // The manifests this book published for the period, as its Audit log records them.
  const ownPublications = recordedPublications(entries, result.period);
  const statement = statementArtifact(result);
  const ours: OwnVersion = { approvalDigest: approval.contentDigest, audit, ledger: ledgerForManifest(ledgerOf(journal), result.minorDigits), statementSha256: await sha256Hex(statement.bytes) };

  for (let attempt = 0; ; attempt++) {
    const taken = versionsTaken(await share.listFolder(`${result.period}/`));
    const version = nextVersion(taken);
    const { latest: previous, newer } = await newestVersions(share, result.period, taken);
    // A version this book published that no longer matches its manifest: restating an older one would post twice.
    const broken = newer.find((c) => c.manifestSha256 !== undefined && ownPublications.includes(c.manifestSha256));
    if (broken) {
      throw new PublishError(
        `publishing ${result.period} refused: version ${broken.version} on ${redactSecrets(share.location)}, which this book published, no longer matches its manifest (${broken.reason}): a restatement against an older version would post what that version posted again; restore its files, then publish`,
      );
    }
    // A publication is trusted only if it chains to what this book recorded (or the user adopts it).
    let adopted: PublishOutcome['adopted'];
    if (previous && !ownPublications.includes(previous.manifestSha256)) {
      if (isOwnUnrecorded(previous.manifest, ours, [...ownPublications, ...(options.adopt ? [options.adopt] : [])])) {
        return recordRecovered(gateway, reads, share, previous, { result, user: options.user, time });
      }
      if (options.adopt !== previous.manifestSha256) throw new PublishError(notOursRefusal(share.location, previous, ownPublications.length > 0, options.adopt));
      adopted = { version: previous.version, manifestSha256: previous.manifestSha256 };
    } else if (options.adopt !== undefined) {
      throw new PublishError(
        previous
          ? `publishing ${result.period} refused: nothing to adopt: this book published version ${previous.version} itself; publish without --adopt`
          : `publishing ${result.period} refused: --adopt ${options.adopt} names no version of ${result.period} on ${redactSecrets(share.location)}: it holds no trusted version of the period`,
      );
    }
    const restatement = previous ? await restatementAgainst(share, previous, { result, journal, settings: rules.settings, statementSha256: ours.statementSha256, publishedAt: time }) : undefined;
    if (previous && restatement?.unchanged) {
      const folder = versionFolder(result.period, previous.version);
      return { period: result.period, version: previous.version, folder, location: share.location, files: [], facts: [], manifestSha256: previous.manifestSha256, manifestLink: '', unchanged: true };
    }
    // a restatement's journal (the difference, or reversal and repost) in the statement's currency; otherwise one
    // journal in the statement's currency, or (Settings JournalCurrency Billing) one per billing currency
    const posted =
      restatement || (journals.length === 1 && journals[0].currency === result.currency)
        ? [{ journal: restatement?.journal ?? journal, baseName: `journal-${result.period}`, minorDigits: result.minorDigits }]
        : journals.map((j) => ({ journal: j.journal, baseName: `journal-${result.period}-${j.currency}`, minorDigits: j.minorDigits }));
    const artifacts: Artifact[] = [
      statement,
      ...posted.map((p) => ({ ...journalArtifact(result.period, p.journal, p.minorDigits, version), name: `${p.baseName}.csv` })),
      // the same journals as each ERP of Settings JournalFormats imports them (the generic one above is always written)
      ...(await erpJournalArtifacts(posted, rules.settings, version, result.period)),
      { name: artifactNames(result.period).workbook, bytes: workbook, contentType: XLSX_TYPE },
      ...(await showbackArtifacts({ result, rules, version, approval, previous: monthBefore })),
    ];
    const files = await Promise.all(artifacts.map(describeFile));
    const facts = factArtifacts(result, rules, { version, supersedes: previous?.version, approval, published: { by: options.user, time } });
    const folder = versionFolder(result.period, version);
    // Every name is checked before anything is written: a name the share would refuse half-way leaves nothing behind.
    const unfit = unfitPaths([...artifacts.map((a) => folder + a.name), ...facts.map((f) => f.name)]);
    if (unfit.length > 0) throw new PublishError(`publishing ${result.period} refused before anything was written: ${unfit.join('; ')}`);
    const manifest: PublicationManifest = {
      format: MANIFEST_FORMAT,
      period: result.period,
      version,
      folder,
      ...(previous ? { supersedes: { version: previous.version, folder: versionFolder(result.period, previous.version), manifestSha256: previous.manifestSha256 } } : {}),
      currency: result.currency,
      metric: result.metric,
      totals: totalsOf(result, restatement?.journal ?? journal),
      approval: { by: approval.by, time: approval.time, contentDigest: approval.contentDigest, known: howKnown(approval.by), ...(isSelfApproval(approval) ? { selfApproval: true } : {}) },
      published: { by: options.user, time, known: howKnown(options.user) },
      audit,
      files,
      facts: await Promise.all(facts.map(describeFile)),
      ledger: ours.ledger,
      ...(result.conversion
        ? {
            rates: result.conversion.currencies
              .filter((c) => c.currency !== result.currency)
              .map((c) => ({ billingCurrency: c.currency, billed: formatMinor(c.source, c.minorDigits), rate: c.rateLabel, converted: formatMinor(c.converted, result.minorDigits) })),
          }
        : {}),
      ...(restatement ? { restates: restatement.restates, restatement: restatementForManifest(restatement, result.minorDigits) } : {}),
    };
    const manifestFile: Artifact = { name: MANIFEST_NAME, bytes: manifestBytes(manifest), contentType: 'application/json' };
    const progress = groupedProgress(options.onProgress, [...artifacts, ...facts]);
    // Every publisher writes the files in the same order, so the first file claims the version; the
    // facts sit outside the version's folder (facts/<table>/period=…/); the manifest goes last.
    const writes = [...artifacts.map((artifact) => ({ path: folder + artifact.name, artifact })), ...facts.map((artifact) => ({ path: artifact.name, artifact })), { path: folder + MANIFEST_NAME, artifact: manifestFile }];
    const written: string[] = [];
    const links: string[] = [];
    try {
      for (const write of writes) {
        links.push(await upload(share, write.path, write.artifact, { ...options, onProgress: write.artifact === manifestFile ? options.onProgress : progress }));
        written.push(write.path);
      }
    } catch (error) {
      // Another publisher claimed this version between our listing and our first write: take the next.
      if (error instanceof ShareConflictError && written.length === 0 && attempt < VERSION_RACE_RETRIES) continue;
      throw await withCleanup(share, written, error);
    }
    const manifestLink = links[links.length - 1];
    const manifestSha256 = await sha256Hex(manifestFile.bytes);
    const where = `version ${version} at ${redactSecrets(share.location)}/${folder}`;
    const adoption = adopted ? `; adopted version ${adopted.version} (manifest sha256 ${adopted.manifestSha256}), which another book published` : '';
    const entry = await auditAppend(
      reads,
      {
        // A restatement names the version it corrects, by folder and manifest digest.
        action: restatement ? 'Restate' : 'Publish',
        by: options.user,
        period: result.period,
        details: restatement
          ? `${where} restates version ${restatement.restates.version} (${restatement.restates.folder}, manifest sha256 ${restatement.restates.manifestSha256}): ${restatement.form === 'Difference' ? 'difference' : 'reversal and repost'} journal posted in ${restatement.postedIn}; net change ${describeNetChange(restatement.netChange, result.minorDigits)}${adoption}; ${inBrief(files)}`
          : `${where}${previous ? ` (supersedes version ${previous.version})` : ''}; ${inBrief(files)}`,
        contentDigest: manifestSha256,
      },
      { ...options, now: () => new Date(time) },
    );
    // The book keeps the published figures beside the entry, so Review can show what moves next time.
    await gateway.commit({ tables: [publishedVersionsTable(await reads.readTable(PUBLISHED_VERSIONS), result, version, manifestSha256)], appends: [entry] });
    return {
      period: result.period,
      version,
      folder,
      location: share.location,
      files: files.map((f, i) => ({ ...f, link: links[i] })),
      facts: manifest.facts ?? [],
      manifestSha256,
      manifestLink,
      supersedes: manifest.supersedes,
      ...(adopted ? { adopted } : {}),
      ...(restatement
        ? { restates: restatement.restates, restatement: { journal: restatement.form, postedIn: restatement.postedIn, netChange: restatement.netChange, netChangeTotal: restatement.netChangeTotal, minorDigits: result.minorDigits } }
        : {}),
    };
  }
}

/** The posted journals in each ERP format Settings JournalFormats lists, besides the generic file. */
async function erpJournalArtifacts(posted: readonly { journal: Journal; baseName: string; minorDigits: number }[], settings: Rules['settings'], version: number, period: string): Promise<Artifact[]> {
  const formats = (settings.journalFormats?.formats ?? []).filter((format) => format !== 'Generic');
  if (formats.length === 0) return [];
  try {
    const files = await Promise.all(posted.map((p) => erpJournalFiles(p.journal, { baseName: p.baseName, minorDigits: p.minorDigits, version, settings }, formats)));
    return files.flat().map((file) => ({ name: file.name, bytes: file.bytes, contentType: file.contentType }));
  } catch (error) {
    if (error instanceof JournalFormatError) throw new PublishError(`publishing ${period} refused before anything was written: ${error.message}`);
    throw error;
  }
}

/** Why each path a publish is about to write would be refused by the share, if any would. */
export function unfitPaths(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    const why = unsafeSharePath(path) ?? (path.length > MAX_PATH_LENGTH ? `"${path.slice(0, 40)}…" is ${path.length} characters long, longer than the ${MAX_PATH_LENGTH} a path on the share may be` : undefined);
    return why ? [why] : [];
  });
}

/** The files of a publish for the Audit log: each statement file with its hash; the showback statements counted (manifest.json hashes them). */
function inBrief(files: PublishedFile[]): string {
  const showback = files.filter((f) => f.name.startsWith(SHOWBACK_FOLDER)).length;
  const listed = files.filter((f) => !f.name.startsWith(SHOWBACK_FOLDER)).map((f) => `${f.name} sha256 ${f.sha256}`);
  return [...listed, ...(showback > 0 ? [`${showback} showback files`] : [])].join('; ');
}

/**
 * Progress with the showback statements and the facts each reported as one file (`showback/ (10
 * files)`): a publish of 200 cost centers shows a few progress bars, not hundreds.
 */
export function groupedProgress(onProgress: PublishOptions['onProgress'], artifacts: readonly Artifact[]): PublishOptions['onProgress'] {
  if (!onProgress) return undefined;
  const groupOf = (name: string) => [SHOWBACK_FOLDER, FACTS_FOLDER].find((folder) => name.startsWith(folder));
  const groups = new Map<string, { files: number; totalBytes: number; sent: Map<string, number>; done: Set<string> }>();
  for (const artifact of artifacts) {
    const group = groupOf(artifact.name);
    if (!group) continue;
    const tally = groups.get(group) ?? { files: 0, totalBytes: 0, sent: new Map(), done: new Set() };
    tally.files++;
    tally.totalBytes += artifact.bytes.byteLength;
    groups.set(group, tally);
  }
  return (progress) => {
    const group = groupOf(progress.file);
    const tally = group === undefined ? undefined : groups.get(group);
    if (!tally) return onProgress(progress);
    tally.sent.set(progress.file, progress.sentBytes);
    if (progress.done) tally.done.add(progress.file);
    const sentBytes = [...tally.sent.values()].reduce((a, b) => a + b, 0);
    onProgress({ file: `${group} (${tally.files} files)`, sentBytes, totalBytes: tally.totalBytes, done: tally.done.size === tally.files });
  };
}

/**
 * Records a version this book put on the share but could not record (the publish stopped after the
 * manifest was written, before the book was saved): its Audit entry and published figures, as the
 * publish would have; nothing is written to the share.
 */
async function recordRecovered(gateway: WorkbookGateway, reads: WorkbookGateway, share: Share, version: TrustedVersion, at: { result: AllocationResult; user: string; time: string }): Promise<PublishOutcome> {
  const { manifest, manifestSha256 } = version;
  const { result } = at;
  const folder = versionFolder(result.period, version.version);
  const where = `version ${version.version} at ${redactSecrets(share.location)}/${folder}`;
  const entry = await auditAppend(
    reads,
    {
      action: manifest.restates ? 'Restate' : 'Publish',
      by: at.user,
      period: result.period,
      details:
        `${where}${manifest.restates ? ` restates version ${manifest.restates.version} (${manifest.restates.folder}, manifest sha256 ${manifest.restates.manifestSha256})` : ''}, ` +
        `recorded after the fact: a publish from this book by ${manifest.published.by} at ${manifest.published.time} put it on the share but the book was not saved after it; ${inBrief(manifest.files)}`,
      contentDigest: manifestSha256,
    },
    { user: at.user, now: () => new Date(at.time) },
  );
  await gateway.commit({ tables: [publishedVersionsTable(await reads.readTable(PUBLISHED_VERSIONS), result, version.version, manifestSha256)], appends: [entry] });
  return {
    period: result.period,
    version: version.version,
    folder,
    location: share.location,
    files: manifest.files.map((f) => ({ ...f, link: `${share.location}/${folder}${f.name}` })),
    facts: manifest.facts ?? [],
    manifestSha256,
    manifestLink: `${share.location}/${folder}${MANIFEST_NAME}`,
    supersedes: manifest.supersedes,
    ...(manifest.restates ? { restates: manifest.restates } : {}),
    recovered: true,
  };
}

/** The restatement of the share's last trusted version, which this book recorded or the user adopted. */
async function restatementAgainst(share: Share, previous: TrustedVersion, request: Parameters<typeof restatementOf>[2]): Promise<Restatement> {
  try {
    return await restatementOf(share, previous, request);
  } catch (error) {
    if (error instanceof RestatementError) throw new PublishError(`publishing ${request.result.period} refused: ${error.message}`);
    throw error;
  }
}

/**
 * Removes what a failed publish wrote, so nothing is left on the share that no manifest vouches
 * for; returns the error to throw, saying what could not be removed (a reader ignores a version
 * without its manifest, and verify --against reports it).
 */
async function withCleanup(share: Share, written: readonly string[], error: unknown): Promise<unknown> {
  const left: string[] = [];
  for (const path of [...written].reverse()) {
    try {
      await share.removeFile(path);
    } catch {
      left.push(path);
    }
  }
  if (left.length === 0 || !(error instanceof Error)) return error;
  const note = ` (and ${left.length} file${left.length > 1 ? 's' : ''} it wrote could not be removed: ${left.slice(0, 3).join(', ')}${left.length > 3 ? ', …' : ''}; without a manifest no reader trusts them)`;
  return error instanceof ShareError ? new ShareError(error.message + note) : new PublishError(error.message + note);
}

async function upload(share: Share, path: string, artifact: Artifact, options: PublishOptions): Promise<string> {
  const totalBytes = artifact.bytes.byteLength;
  options.onProgress?.({ file: artifact.name, sentBytes: 0, totalBytes, done: false });
  const { link } = await share.createFile(path, artifact.bytes, {
    contentType: artifact.contentType,
    signal: options.signal,
    onProgress: (sentBytes) => options.onProgress?.({ file: artifact.name, sentBytes: Math.min(sentBytes, totalBytes), totalBytes, done: false }),
  });
  options.onProgress?.({ file: artifact.name, sentBytes: totalBytes, totalBytes, done: true });
  return link;
}
