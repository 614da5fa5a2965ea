/**
 * The showback files a publish puts beside the statement: for each cost center a workbook
 * (`showback/<code>.xlsx`) and a printable page (`showback/<code>.html`) holding only its own
 * figures. The month before comes from that month's newest trusted publication on the same share.
 */
import Papa from 'papaparse';
import { AllocationResult } from '../core/allocate';
import { cellText } from '../core/focus';
import { minorToNumber, MinorUnits, parseExact, roundToMinor } from '../core/money';
import { artifactNames, Artifact, latestTrustedVersion, versionFolder, versionsTaken, XLSX_TYPE } from '../core/publication';
import { codeKey, Rules } from '../core/rules';
import { ShowbackContext, showbackFileStems, ShowbackStatement, showbackStatements } from '../core/showback';
import { showbackHtml, statementSummary } from '../core/showback-html';
import { Share } from '../shares/share';
import { ExcelJsGateway } from './exceljs-gateway';
import { CellValue, TableSpec } from './gateway';

export const SHOWBACK_FOLDER = 'showback/';

export interface ShowbackInput {
  result: AllocationResult;
  rules: Rules;
  version: number;
  approval: { by: string; time: string };
  /** Each cost center's total the month before, as published (previousTotals). */
  previous?: ShowbackContext['previous'];
}

/** The statements' files, in the statement's order: each cost center's workbook then its page. */
export async function showbackArtifacts(input: ShowbackInput): Promise<Artifact[]> {
  const statements = showbackStatements(input.result, input.rules, { version: input.version, approvedBy: input.approval.by, approvedAt: input.approval.time, previous: input.previous });
  const stems = showbackFileStems(statements.map((s) => s.costCenter));
  const artifacts: Artifact[] = [];
  for (const [i, statement] of statements.entries()) {
    const name = `${SHOWBACK_FOLDER}showback-${statement.period}-${stems[i]}`;
    artifacts.push({ name: `${name}.xlsx`, bytes: await showbackWorkbook(statement), contentType: XLSX_TYPE });
    artifacts.push({ name: `${name}.html`, bytes: new TextEncoder().encode(showbackHtml(statement)), contentType: 'text/html; charset=utf-8' });
  }
  return artifacts;
}

/** The month before `period` (`2026-01` → `2025-12`). */
export function monthBefore(period: string): string {
  const [year, month] = period.split('-').map(Number);
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/** Each cost center's total in the newest trusted version of the month before, when there is one. */
export async function previousTotals(share: Share, period: string, minorDigits: number): Promise<{ period: string; totals: Map<string, MinorUnits> } | undefined> {
  const before = monthBefore(period);
  const taken = versionsTaken(await share.listFolder(`${before}/`));
  const trusted = await latestTrustedVersion(share, before, taken);
  if (!trusted) return undefined;
  const bytes = await share.readFile(versionFolder(before, trusted.version) + artifactNames(before).statement);
  if (!bytes) return undefined;
  const parsed = Papa.parse<Record<string, string>>(new TextDecoder().decode(bytes), { header: true, skipEmptyLines: true });
  const totals = new Map<string, MinorUnits>();
  for (const row of parsed.data) {
    const total = parseExact(cellText(row.Total));
    // A statement CSV escapes a code that starts like a formula with a leading quote: read it back as the code.
    const code = cellText(row.CostCenter).replace(/^'(?=[=+\-@\t\r])/, '');
    if (total !== undefined && code !== '') totals.set(codeKey(code), roundToMinor(total, minorDigits));
  }
  return { period: before, totals };
}

/** A cost center's statement as a workbook: Statement (summary), DirectCost and SharedCost tables. */
export async function showbackWorkbook(statement: ShowbackStatement): Promise<Uint8Array> {
  const m = (v: MinorUnits | undefined): CellValue => (v === undefined ? null : minorToNumber(v, statement.minorDigits));
  const minorDigits = statement.minorDigits;
  const about: CellValue[][] = [
    ['Period', null, statement.period],
    ['Cost center', null, statement.costCenter],
    ['Name', null, statement.name],
    ['Owner', null, statement.owner],
    ['GL account', null, statement.glAccount],
    ...(statement.parent ? [['Rolls up to', null, statement.parent] as CellValue[]] : []),
    ['Currency', null, statement.currency],
    ['Version', null, String(statement.version)],
    ['Approved', null, `by ${statement.approvedBy} at ${statement.approvedAt}`],
  ];
  const tables: TableSpec[] = [
    {
      name: 'Statement',
      minorDigits,
      columns: [
        { header: 'Item', width: 28 },
        { header: 'Amount', kind: 'money', width: 18 },
        { header: 'Note', width: 48 },
      ],
      rows: [...statementSummary(statement).map(([label, amount, note]): CellValue[] => [label, m(amount), note]), ...about],
    },
    {
      name: 'DirectCost',
      minorDigits,
      totals: true,
      columns: [
        { header: 'Provider', width: 18 },
        { header: 'SubAccount', width: 28 },
        { header: 'Service', width: 28 },
        { header: 'Rule', width: 44 },
        { header: 'Amount', kind: 'money', width: 16 },
      ],
      rows: statement.lines.map((l) => [l.provider, l.subAccount, l.service, l.rule, m(l.amount)]),
    },
    {
      name: 'SharedCost',
      minorDigits,
      columns: [
        { header: 'Pool', width: 20 },
        { header: 'PoolTotal', kind: 'money', width: 16 },
        { header: 'Method', width: 14 },
        { header: 'Basis', width: 44 },
        { header: 'SharePercent', width: 12 },
        { header: 'Rule', width: 20 },
        { header: 'Amount', kind: 'money', width: 16 },
        { header: 'Explanation', width: 70 },
      ],
      rows: statement.shares.map((s) => [s.pool, m(s.poolTotal), s.method, s.basis, s.sharePercent, s.rule, m(s.amount), s.explanation]),
    },
  ];
  const gateway = new ExcelJsGateway();
  await gateway.commit({ tables });
  return gateway.toBytes();
}
