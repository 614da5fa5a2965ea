/**
 * Restatements, where the workbook meets the share. What the ledger holds is read from the share:
 * the last trusted version's manifest (hash-checked, and sealed by the Audit log and the next
 * manifest) records its ledger position, so the difference journal is computed against what was
 * actually published: a version this book recorded, or one the user adopted (publication-trust.ts). The book keeps its own record of
 * each published version's figures (the `PublishedVersions` sheet), so that Review can show what
 * moved per cost center and pool without reaching the share; publishing checks that the version
 * Review compared with is the one the share holds.
 */
import Papa from 'papaparse';
import { isPublishAction } from '../core/audit';
import { cellText } from '../core/focus';
import { Journal, JOURNAL_COLUMNS } from '../core/journal';
import { formatMinor, MinorUnits, minorToNumber, minorUnitSize, toExact } from '../core/money';
import { artifactNames, PublicationManifest, ShareReader, versionFolder, VersionCheck } from '../core/publication';
import {
  ledgerFromManifest,
  ledgerOf,
  LedgerLine,
  minorFromDecimal,
  netChangeByCostCenter,
  NetChange,
  postingPeriodFor,
  PublishedFigures,
  RestatementError,
  restatementJournal,
  RestatementJournal,
  statementParts,
} from '../core/restatement';
import { AllocationResult } from '../core/allocate';
import { Settings } from '../core/rules';
import { ColumnSpec, TableData, TableSpec, WorkbookGateway } from './gateway';
import { AUDIT_TABLE, auditEntriesFrom } from './layout';
import { lastDecision } from './lock';

export const PUBLISHED_VERSIONS = 'PublishedVersions';

const PUBLISHED_COLUMNS: ColumnSpec[] = [
  { header: 'Period', width: 10 },
  { header: 'Version', kind: 'integer', width: 9 },
  { header: 'CostCenter', width: 16 },
  { header: 'Part', width: 22 },
  { header: 'Amount', kind: 'money', width: 16 },
  { header: 'Currency', width: 10 },
  { header: 'ManifestSha256', width: 66 },
];

/** The PublishedVersions table with this version's figures added (every part of every cost center, zeros included). */
export function publishedVersionsTable(existing: TableData | undefined, result: AllocationResult, version: number, manifestSha256: string): TableSpec {
  const rows = [...statementParts(result)].flatMap(([costCenter, parts]) =>
    [...parts].map(([part, amount]) => [result.period, version, costCenter, part, minorToNumber(amount, result.minorDigits), result.currency, manifestSha256]),
  );
  const kept = (existing?.rows ?? []).filter((r) => !(cellText(r[0]) === result.period && Number(r[1]) === version));
  return { name: PUBLISHED_VERSIONS, columns: PUBLISHED_COLUMNS, rows: [...kept, ...rows], minorDigits: result.minorDigits };
}

export interface PublishedBaseline {
  figures: PublishedFigures;
  manifestSha256: string;
}

/**
 * The published version a review of `period` compares with: the last one the Audit log records
 * before the approval in force (or the last one, while the period is open), so the Review sheet an
 * approval wrote reads the same after the restatement is published.
 */
export async function publishedBaseline(gateway: WorkbookGateway, period: string, minorDigits: number): Promise<PublishedBaseline | undefined> {
  const table = await gateway.readTable(PUBLISHED_VERSIONS);
  if (!table) return undefined;
  const entries = auditEntriesFrom(await gateway.readTable(AUDIT_TABLE));
  const decision = lastDecision(entries, period);
  const upTo = decision?.action === 'Approve' ? entries.indexOf(decision) : entries.length;
  const publish = entries.slice(0, upTo).filter((e) => isPublishAction(e.action) && e.period === period).pop();
  if (!publish) return undefined;
  const column = (name: string) => table.headers.indexOf(name);
  const [p, v, c, part, amount, sha] = ['Period', 'Version', 'CostCenter', 'Part', 'Amount', 'ManifestSha256'].map(column);
  const rows = table.rows.filter((r) => cellText(r[p]) === period && cellText(r[sha]) === publish.contentDigest);
  if (rows.length === 0) return undefined;
  const parts = new Map<string, Map<string, MinorUnits>>();
  for (const row of rows) {
    const code = cellText(row[c]);
    const held = parts.get(code) ?? new Map<string, MinorUnits>();
    held.set(cellText(row[part]), (toExact(row[amount] ?? 0) ?? 0n) / minorUnitSize(minorDigits));
    parts.set(code, held);
  }
  return { figures: { version: Number(rows[0][v]), parts }, manifestSha256: publish.contentDigest };
}

// ---- Against the share ------------------------------------------------------------------------

type Trusted = Extract<VersionCheck, { trusted: true }>;

/**
 * The ledger position of a trusted version: from its manifest, or, for a version published before
 * manifests recorded it, from its journal (every such journal was a full one).
 */
export async function ledgerOfVersion(share: ShareReader, trusted: Trusted, minorDigits: number): Promise<LedgerLine[]> {
  const { manifest } = trusted;
  const folder = versionFolder(manifest.period, manifest.version);
  if (manifest.ledger !== undefined) {
    const lines = manifest.ledger as unknown;
    if (!Array.isArray(lines) || lines.some((l) => typeof l !== 'object' || l === null || typeof l.account !== 'string' || typeof l.costCenter !== 'string')) {
      throw new RestatementError(`${folder}manifest.json: its ledger is not a list of lines with an account, a cost center and an amount`);
    }
    return ledgerFromManifest(manifest.ledger, minorDigits, `${folder}manifest.json`);
  }
  const name = artifactNames(manifest.period).journal;
  const bytes = await share.readFile(folder + name);
  if (!bytes) throw new RestatementError(`${folder}${name} cannot be read: the restatement needs what version ${manifest.version} posted`);
  const parsed = Papa.parse<Record<string, string>>(new TextDecoder().decode(bytes), { header: true, skipEmptyLines: true });
  const missing = JOURNAL_COLUMNS.filter((c) => !parsed.meta.fields?.includes(c));
  if (missing.length > 0) throw new RestatementError(`${folder}${name} has no ${missing.join(', ')} column: it is not a journal this product wrote`);
  // The journal's text cells were escaped against formula injection with a leading quote.
  const text = (cell: string | undefined) => (cell ?? '').replace(/^'(?=[=+\-@\t\r])/, '');
  const lines = parsed.data.map((row, index) => {
    const amount = (column: 'Debit' | 'Credit') => {
      const cell = (row[column] ?? '').trim();
      const value = cell === '' ? 0n : minorFromDecimal(cell, minorDigits);
      if (value === undefined) throw new RestatementError(`${folder}${name}, row ${index + 2}, column ${column}: "${cell}" is not an amount`);
      return value;
    };
    return { journalId: '', lineNumber: index + 1, postingDate: '', period: manifest.period, account: text(row.Account), costCenter: text(row.CostCenter), costCenterName: text(row.CostCenterName), description: '', debit: amount('Debit'), credit: amount('Credit'), currency: manifest.currency };
  });
  return ledgerOf({ lines, debits: 0n, credits: 0n });
}

export interface Restatement {
  restates: NonNullable<PublicationManifest['restates']>;
  /** Nothing to post and the statement reads the same: nothing is published. */
  unchanged: boolean;
  journal: Journal;
  form: RestatementJournal;
  postedIn: string;
  netChange: NetChange[];
  netChangeTotal: MinorUnits;
}

export interface RestatementRequest {
  result: AllocationResult;
  /** The statement as it now stands, in full. */
  journal: Journal;
  settings: Pick<Settings, 'restatementJournal' | 'restatementPeriod'>;
  /** The new statement's SHA-256, compared with the last version's. */
  statementSha256: string;
  publishedAt: string;
}

/** The restatement of the last trusted version on the share. */
export async function restatementOf(share: ShareReader, last: Trusted, request: RestatementRequest): Promise<Restatement> {
  const { result } = request;
  const { manifest } = last;
  if (manifest.currency !== result.currency) {
    throw new RestatementError(`version ${manifest.version} of ${result.period} is in ${manifest.currency}, the statement now in ${result.currency}: a restatement cannot change the currency`);
  }
  const before = await ledgerOfVersion(share, last, result.minorDigits);
  const after = ledgerOf(request.journal);
  const form = request.settings.restatementJournal ?? 'Difference';
  const postedIn = postingPeriodFor(request.settings.restatementPeriod ?? 'Restated', result.period, request.publishedAt);
  const restating = { period: result.period, currency: result.currency, minorDigits: result.minorDigits, restatesVersion: manifest.version, before, after, postedIn };
  const journal = restatementJournal({ ...restating, form });
  const difference = form === 'Difference' ? journal : restatementJournal({ ...restating, form: 'Difference' });
  const netChange = netChangeByCostCenter(before, after);
  const lastStatement = manifest.files.find((f) => f.name === artifactNames(result.period).statement);
  return {
    restates: { version: last.version, folder: versionFolder(result.period, last.version), manifestSha256: last.manifestSha256 },
    unchanged: difference.lines.length === 0 && lastStatement?.sha256 === request.statementSha256,
    journal,
    form,
    postedIn,
    netChange,
    netChangeTotal: netChange.reduce((a, c) => a + c.change, 0n),
  };
}

/** The manifest's account of a restatement: amounts as decimal strings in minor units. */
export function restatementForManifest(restatement: Restatement, minorDigits: number): NonNullable<PublicationManifest['restatement']> {
  const m = (v: MinorUnits) => formatMinor(v, minorDigits);
  return {
    journal: restatement.form,
    postedIn: restatement.postedIn,
    netChange: restatement.netChange.map((c) => ({ costCenter: c.costCenter, before: m(c.before), after: m(c.after), change: m(c.change) })),
    netChangeTotal: m(restatement.netChangeTotal),
  };
}

/** "CC-A +12.00, CC-B -12.00", or "no cost center's total changed". */
export function describeNetChange(netChange: readonly NetChange[], minorDigits: number): string {
  const moved = netChange.filter((c) => c.change !== 0n);
  if (moved.length === 0) return "no cost center's total changed";
  return moved.map((c) => `${c.costCenter} ${c.change > 0n ? '+' : ''}${formatMinor(c.change, minorDigits)}`).join(', ');
}
