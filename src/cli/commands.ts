/**
 * The commands. Each one that writes a file writes it whole or not at all (a temporary file,
 * renamed into place), so a failed command leaves no partial output behind.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { TokenCredential } from '@azure/identity';
import { IngestProgress } from '../core/ingest';
import { isBillingPeriod } from '../core/period';
import { jsonDepthProblem } from '../core/json-depth';
import { RuleError, parseRules, ruleTablesFromJson, RuleTables } from '../core/rules';
import { costLinesFrom, CostSourceOptions, Engine, ENGINES, testSource } from './sources';
import { ExcelJsGateway } from '../workbook/exceljs-gateway';
import { ExcelJsFileGateway, WorkbookTooBig } from '../workbook/xlsx-large-tables';
import { ruleTableSpecs, ruleTemplate } from '../workbook/layout';
import { rulesReadMeTable } from '../workbook/rules-readme';
import { isWorksheetPart, XLSX_LIMITS, xlsxTooBig } from '../workbook/xlsx-size';
import { carryApprovalHistory } from '../workbook/history-carry';
import { allocateWorkbook, allocationSummary, costGrain, pullCosts, readRuleTables, replaceRuleTables, StepContext } from '../workbook/steps';
import { InputError } from './failures';
import { checkNotAnInput, checkOutputFile, checkWritable, withWorkbookLock } from './output-files';
import { auditBy, describeKnown } from '../core/identity';
import { DEFAULT_POLICY } from '../core/approval-policy';
import { cliUser, graphEndpoint, signedInUser, typedUser } from './who';
import { CliPolicy, loadPolicy } from './policy';
import { removeStaleTemporaries, temporaryPathFor } from '../shares/temporary-files';
import { approvalSummary, approveWorkbook, isSelfApproval, reopenWorkbook, statementPeriod, verifyWorkbook } from '../workbook/approval';
import { findBrokenLink } from '../core/audit';
import { AUDIT_TABLE, auditEntriesFrom } from '../workbook/layout';
import { approvalInForce } from '../workbook/lock';
import { PublishError, publishWorkbook, PublishOutcome } from '../workbook/publish';
import { SHOWBACK_FOLDER } from '../workbook/showback-files';
import { sha256Hex } from '../core/digest';
import { checkAgainstPublication } from '../workbook/publication-check';
import { describeNetChange } from '../workbook/restate';
import { redactSecrets, Share } from '../shares/share';
import { FolderShare } from '../shares/folder-share';
import { BlobShare } from '../shares/blob-share';
import { isUrl } from '../shares/blob-url';

export class UsageError extends Error {}

type Values = Record<string, string | string[] | boolean | undefined>;
interface Command {
  options: NonNullable<ParseArgsConfig['options']>;
  /** Takes words after the command (`sources test SOURCE`). */
  positionals?: boolean;
  action: (values: Values, positionals?: string[]) => Promise<void>;
}

const str = (values: Values, name: string, required = true): string | undefined => {
  const value = values[name];
  if (typeof value === 'string' && value !== '') return value;
  if (required) throw new UsageError(`--${name} is required`);
  return undefined;
};

export { cliUser };

function cliContext(): StepContext {
  return { user: cliUser() };
}

/** Writes bytes to `target` atomically: a temporary file beside it, renamed into place. */
export async function writeFileAtomically(target: string, bytes: Uint8Array | string): Promise<void> {
  const temporary = temporaryPathFor(target);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await removeStaleTemporaries(path.dirname(target));
  try {
    await fs.writeFile(temporary, bytes);
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}

/** Rules from an .xlsx (the tables by name) or a .json file. */
export async function loadRuleTables(file: string): Promise<RuleTables> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch {
    throw new InputError(`${file}: the rules file cannot be read (no such file?)`);
  }
  if (file.toLowerCase().endsWith('.json')) {
    if (bytes.byteLength > XLSX_LIMITS.rules.fileBytes) throw new InputError(`${file}: the rules file is ${Math.round(bytes.byteLength / 1024 / 1024)} MB: rules are a few small tables; is it the right file?`);
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new InputError(`${file}: not valid JSON (${(error as Error).message})`);
    }
    const tooDeep = jsonDepthProblem(json);
    if (tooDeep) throw new InputError(`${file}: the rules JSON is ${tooDeep}`);
    return ruleTablesFromJson(json);
  }
  if (!file.toLowerCase().endsWith('.xlsx')) throw new InputError(`${file}: rules must be an .xlsx workbook or a .json file`);
  return readRuleTables(await parseWorkbook(file, bytes, 'rules'));
}

/**
 * The .xlsx workbook in `bytes` (read from `file`, which the message names), refused by size before it
 * is unpacked: first with any sheet counted as one that may be streamed, then, once the tables say which
 * are, with the rest counted as held whole.
 */
async function parseWorkbook(file: string, bytes: Uint8Array, kind: 'rules' | 'chargeback' = 'chargeback'): Promise<ExcelJsGateway> {
  const tooBig = xlsxTooBig(bytes, kind, isWorksheetPart);
  if (tooBig) throw new InputError(`${file}: ${tooBig}`);
  try {
    return await ExcelJsFileGateway.fromBytes(bytes, kind);
  } catch (error) {
    if (error instanceof WorkbookTooBig) throw new InputError(`${file}: ${error.message}`);
    throw new InputError(`${file}: not a readable .xlsx workbook (${(error as Error).message})`);
  }
}

/** Progress on stderr for long reads: rows and MB/s, at most once a second. */
function progressReporter(enabled: boolean) {
  const started = Date.now();
  let last = 0;
  let latest: IngestProgress | undefined;
  const line = (p: IngestProgress) => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const mb = p.bytesRead / 1e6;
    const percent = p.totalBytes ? ` ${Math.min(100, Math.round((100 * p.bytesRead) / p.totalBytes))}%` : '';
    return `reading ${path.basename(p.file)} (${p.fileIndex + 1}/${p.fileCount}): ${p.rowsRead.toLocaleString('en-US')} rows, ${mb.toFixed(1)} MB, ${(mb / seconds).toFixed(1)} MB/s${percent}`;
  };
  return {
    onProgress: (p: IngestProgress) => {
      latest = p;
      if (!enabled || Date.now() - last < 1000) return;
      last = Date.now();
      process.stderr.write(redactSecrets(line(p)) + '\n');
    },
    done: () => {
      if (enabled && latest) process.stderr.write(redactSecrets(line(latest)) + ' — done\n');
    },
  };
}

export interface RunOptions {
  costs: string[];
  /** A FinOps hub (kusto://CLUSTER/DATABASE) instead of files. */
  source?: string;
  engine?: Engine;
  /** Sign-in for a hub; DefaultAzureCredential when not given. */
  credential?: TokenCredential;
  /** A Databricks token and connection options (DATABRICKS_TOKEN when not given). */
  databricks?: CostSourceOptions['databricks'];
  rules: string;
  out: string;
  period?: string;
  quiet?: boolean;
  /** Replace an existing --out file (never an input). */
  force?: boolean;
  /** The previous period's book, whose ApprovalHistory is carried forward. */
  previous?: string;
}

/** Reads the cost data of a run (files, Blob URLs or a hub) at the grain the rules need, with progress on stderr. */
async function readCosts(options: Omit<RunOptions, 'rules' | 'out'>, rules: ReturnType<typeof parseRules>) {
  const progress = progressReporter(!options.quiet);
  const ingest = await costLinesFrom({
    ...options,
    ...costGrain(rules),
    onProgress: progress.onProgress,
    onNotice: (message) => process.stderr.write(redactSecrets(message) + '\n'),
  });
  progress.done();
  return ingest;
}

/** Pull + allocate into a new chargeback workbook. Returns the summary and the workbook. */
export async function runChargeback(options: RunOptions) {
  const inputs = [{ option: '--rules', path: options.rules }, ...(options.previous ? [{ option: '--previous', path: options.previous }] : []), ...options.costs.filter((c) => !isUrl(c)).map((c) => ({ option: '--costs', path: c }))];
  await checkOutputFile(options.out, inputs, options.force === true, `to run a chargeback workbook again keeping its Audit log, use --workbook ${options.out} instead of --out; `);
  const tables = await loadRuleTables(options.rules);
  const rules = parseRules(tables);
  const previous = options.previous ? await openWorkbook(options.previous) : undefined;
  const ingest = await readCosts(options, rules);
  const context = cliContext();
  const gateway = new ExcelJsFileGateway();
  await gateway.writeTables(ruleTableSpecs(tables));
  await pullCosts(gateway, ingest, context);
  // Allocate from the Costs table as the workbook holds it, as Excel does: both hosts give the same statement.
  const result = await allocateWorkbook(gateway, context, { period: options.period, rowsRead: ingest.rowsRead });
  if (previous) await carryApprovalHistory(previous, gateway, result.period, result.minorDigits, options.previous!);
  await writeFileAtomically(options.out, await gateway.toBytes());
  return { result, gateway, summary: allocationSummary(result) };
}

/** One line per billing currency of a converted statement: source, rate, converted total, difference. */
function describeConversions(summary: ReturnType<typeof allocationSummary>): string {
  return (summary.conversions ?? [])
    .map((c) =>
      c.billingCurrency === summary.currency
        ? `  billed ${c.source} ${c.billingCurrency}, the reporting currency, not converted\n`
        : `  billed ${c.source} ${c.billingCurrency} at ${c.rate} = ${c.converted} ${summary.currency}; difference ${c.difference}\n`,
    )
    .join('');
}

export interface RunIntoWorkbookOptions extends Omit<RunOptions, 'rules' | 'out' | 'force' | 'previous'> {
  workbook: string;
  /** New rules for the book; without, the book's own rule tables are used. */
  rules?: string;
  /** Add the read lines to the book's cost lines (late credits, adjustments) instead of putting them in their place. */
  add?: boolean;
}

/**
 * Pull + allocate into an existing chargeback workbook (a restatement, or a month run again),
 * keeping its Audit log, approval history and publication record. Refused while the period is
 * approved: reopening, with a reason, is its own step and its own Audit entry.
 */
export async function runIntoWorkbook(options: RunIntoWorkbookOptions) {
  const file = options.workbook;
  const inputs = [...(options.rules ? [{ option: '--rules', path: options.rules }] : []), ...options.costs.filter((c) => !isUrl(c)).map((c) => ({ option: '--costs', path: c }))];
  await checkNotAnInput(file, '--workbook', inputs);
  return withWorkbookLock(file, async () => {
    const gateway = await openWorkbook(file);
    const broken = await findBrokenLink(auditEntriesFrom(await gateway.readTable(AUDIT_TABLE)));
    if (broken) throw new InputError(`${file}: its Audit log has been tampered with (${broken}): it is not run into; check it with chargeback verify`);
    const approval = await approvalInForce(gateway);
    if (approval) {
      throw new InputError(`${file}: ${approval.period} is approved (by ${approval.by} at ${approval.time}): reopen it first, with a reason (chargeback reopen --workbook ${file} --by NAME --why REASON), then run it again`);
    }
    const context = cliContext();
    const tables = options.rules ? await loadRuleTables(options.rules) : await readRuleTables(gateway);
    const rules = parseRules(tables);
    // The book's own period, unless told otherwise: data holding several months restates the one the book is for.
    const period = options.period ?? (await bookPeriod(gateway));
    const ingest = await readCosts({ ...options, period }, rules);
    if (options.rules) await replaceRuleTables(gateway, tables, path.basename(options.rules), context);
    const pull = await pullCosts(gateway, ingest, context, { mode: options.add ? 'add' : 'replace', metric: rules.settings.metric });
    const result = await allocateWorkbook(gateway, context, { period, rowsRead: ingest.rowsRead });
    await writeFileAtomically(file, await gateway.toBytes());
    return { result, gateway, summary: allocationSummary(result), pull };
  });
}

/** The period the book's statement is for, if it has one. */
async function bookPeriod(gateway: ExcelJsGateway): Promise<string | undefined> {
  try {
    return await statementPeriod(gateway);
  } catch {
    return undefined;
  }
}

/** "N warnings:" and one line each, or nothing when there are none. */
function describeWarnings(warnings: readonly { check: string; subject: string; detail: string }[]): string {
  if (warnings.length === 0) return '';
  return `${warnings.length} warning${warnings.length > 1 ? 's' : ''}:\n${warnings.map((w) => `  ${w.check}${w.subject ? ` ${w.subject}` : ''}: ${w.detail}`).join('\n')}\n`;
}

/** Opens a chargeback workbook for a command that works on one. */
export async function openWorkbook(file: string): Promise<ExcelJsGateway> {
  return parseWorkbook(file, await readWorkbookFile(file));
}

async function readWorkbookFile(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch {
    throw new InputError(`${file}: the workbook cannot be read (no such file?)`);
  }
}

/**
 * Opens a chargeback workbook file, runs a step on it (given the file's bytes as read) and writes
 * it back whole; a failed step writes nothing.
 */
async function updateWorkbookFile<T>(file: string, step: (gateway: ExcelJsGateway, bytes: Uint8Array) => Promise<T>): Promise<T> {
  // One command at a time: a second one would write the book back without the first one's Audit entry.
  return withWorkbookLock(file, async () => {
    const bytes = await readWorkbookFile(file);
    const gateway = await parseWorkbook(file, bytes);
    const outcome = await step(gateway, bytes);
    await writeFileAtomically(file, await gateway.toBytes());
    return outcome;
  });
}

/** The share named by `--to`: a container URL with a SAS, or a folder. */
export function shareAt(to: string): Share {
  return isUrl(to) ? new BlobShare(to) : new FolderShare(to);
}

/** Publishes an approved workbook file to a share and records the publish in its Audit log. */
export async function publishFile(file: string, share: Share, user: string, options: { adopt?: string; policy?: CliPolicy } = {}): Promise<PublishOutcome> {
  // The book records the publish: one it cannot write back would leave the share saying more than the book.
  await checkWritable(file, 'publishing refused, as the publish could not be recorded in its Audit log; make it writable and publish again');
  return withWorkbookLock(file, async () => {
    const bytes = await readWorkbookFile(file);
    const gateway = await parseWorkbook(file, bytes);
    const outcome = await publishWorkbook(gateway, share, { user, workbookBytes: bytes, adopt: options.adopt, policy: options.policy ?? DEFAULT_POLICY });
    if (outcome.unchanged) return outcome;
    try {
      await writeFileAtomically(file, await gateway.toBytes());
    } catch (error) {
      // The share holds the version, the book does not say so: the next publish recognises it as this book's and records it.
      throw new PublishError(
        `${outcome.period} version ${outcome.version} is on ${redactSecrets(outcome.location)}/${outcome.folder}, but ${file} could not be saved (${(error as Error).message}): ` +
          `the publish is not recorded in its Audit log. Make the workbook writable (free some space) and run the same publish again: it recognises the version as this book's and records it, writing nothing more to the share`,
      );
    }
    return outcome;
  });
}

function describePublish(outcome: PublishOutcome): string {
  if (outcome.unchanged) {
    return `Nothing published: ${outcome.period} as it stands is what version ${outcome.version} at ${outcome.location}/${outcome.folder} holds (nothing to post, the statement reads the same).\n`;
  }
  if (outcome.recovered) {
    return `Recorded ${outcome.period} version ${outcome.version} at ${outcome.location}/${outcome.folder} in the Audit log: an earlier publish from this book put it on the share but the book was not saved after it; nothing new was written to the share (manifest sha256 ${outcome.manifestSha256}).\n`;
  }
  const restatement = outcome.restatement;
  return (
    `Published ${outcome.period} version ${outcome.version} to ${outcome.location}/${outcome.folder}` +
    (outcome.restates ? ` (restates version ${outcome.restates.version})` : outcome.supersedes ? ` (supersedes version ${outcome.supersedes.version})` : '') +
    `\n` +
    (outcome.adopted ? `  adopted version ${outcome.adopted.version} (manifest sha256 ${outcome.adopted.manifestSha256}), published by another book\n` : '') +
    (restatement
      ? `  ${restatement.journal === 'Difference' ? 'difference' : 'reversal and repost'} journal, posted in ${restatement.postedIn}; net change ${describeNetChange(restatement.netChange, restatement.minorDigits)}\n`
      : '') +
    outcome.files
      .filter((f) => !f.name.startsWith(SHOWBACK_FOLDER))
      .map((f) => `  ${f.name.padEnd(28)} ${String(f.bytes).padStart(9)} bytes  sha256 ${f.sha256}`)
      .join('\n') +
    `\n  ${'manifest.json'.padEnd(28)} sha256 ${outcome.manifestSha256}\n` +
    // One showback statement a cost center, and the Power BI facts: counted here, each hashed in manifest.json.
    inFolder(outcome.files.filter((f) => f.name.startsWith(SHOWBACK_FOLDER)), SHOWBACK_FOLDER, 'showback files (a statement a cost center, as a web page and a workbook)') +
    inFolder(outcome.facts, 'facts/', `fact files for Power BI, at the top of the share (facts/parquet|csv/<table>/period=${outcome.period}/)`)
  );
}

/** Who did each step of the period and how each was known (signed in, typed, the operating-system account), a line each. */
function whoDidWhat(entries: ReturnType<typeof auditEntriesFrom>, period: string): string {
  const steps = entries.filter((e) => e.by.trim() !== '' && e.period.split(', ').includes(period));
  return steps.map((e) => `  ${e.action} ${e.time}: ${describeKnown(e.by)}\n`).join('');
}

function inFolder(files: readonly { bytes: number }[], folder: string, what: string): string {
  if (files.length === 0) return '';
  const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
  return `  ${folder.padEnd(28)} ${String(bytes).padStart(9)} bytes  ${files.length} ${what}; each one's sha256 is in manifest.json\n`;
}

export const commands: Record<string, Command> = {
  publish: {
    options: { workbook: { type: 'string' }, to: { type: 'string' }, adopt: { type: 'string' } },
    action: async (values) => {
      const file = str(values, 'workbook')!;
      const adopt = str(values, 'adopt', false);
      if (adopt !== undefined && !/^[0-9a-f]{64}$/i.test(adopt)) throw new UsageError(`--adopt takes the SHA-256 of the manifest.json to adopt (64 hexadecimal digits), not "${adopt}"`);
      const outcome = await publishFile(file, shareAt(str(values, 'to')!), cliContext().user, { adopt: adopt?.toLowerCase(), policy: await loadPolicy() });
      process.stdout.write(describePublish(outcome));
    },
  },
  run: {
    options: {
      costs: { type: 'string', multiple: true },
      source: { type: 'string' },
      engine: { type: 'string' },
      rules: { type: 'string' },
      out: { type: 'string' },
      workbook: { type: 'string' },
      period: { type: 'string' },
      json: { type: 'boolean' },
      force: { type: 'boolean' },
      previous: { type: 'string' },
      add: { type: 'boolean' },
    },
    action: async (values) => {
      const costs = (values.costs as string[] | undefined) ?? [];
      const source = str(values, 'source', false);
      if (costs.length === 0 && !source) throw new UsageError('--costs is required (a FOCUS file or folder, or an Azure Blob container URL with a SAS; repeat for several), or --source kusto://CLUSTER/DATABASE (or fabric://SERVER/DATABASE?table=SCHEMA.TABLE)');
      if (costs.length > 0 && source) throw new UsageError('give either --costs or --source, not both');
      const engine = str(values, 'engine', false) as Engine | undefined;
      if (engine && !ENGINES.includes(engine)) throw new UsageError(`--engine must be ${ENGINES.join(' or ')}, not "${engine}"`);
      if (engine === 'duckdb' && source) throw new UsageError('--engine duckdb reads --costs files; a --source runs its own engine');
      const period = str(values, 'period', false);
      if (period && !isBillingPeriod(period)) throw new UsageError(`--period must be YYYY-MM, not "${period}"`);
      if (source && !period) throw new UsageError('--period is required with --source (a hub holds many months)');
      const json = values.json === true;
      const workbook = str(values, 'workbook', false);
      const out = str(values, 'out', !workbook);
      if (workbook && out) throw new UsageError('give either --workbook (run into an existing book, keeping its Audit log) or --out (a new book), not both');
      if (workbook && (values.force === true || values.previous !== undefined)) throw new UsageError('--force and --previous are for a new book (--out); a --workbook keeps its own history');
      if (values.add === true && !workbook) throw new UsageError('--add adds cost lines to an existing book: give it with --workbook');
      const intoBook = workbook ? await runIntoWorkbook({ costs, source, engine, rules: str(values, 'rules', false), workbook, period, quiet: json, add: values.add === true }) : undefined;
      const { summary } = intoBook
        ? intoBook
        : await runChargeback({ costs, source, engine, rules: str(values, 'rules')!, out: out!, period, quiet: json, force: values.force === true, previous: str(values, 'previous', false) });
      if (json) process.stdout.write(JSON.stringify(summary) + '\n');
      else {
        process.stdout.write(
          `Chargeback ${summary.period}: ${summary.allocatedTotal} ${summary.currency} (${summary.metric}) to ${summary.costCenters.length} cost centers; unallocated ${summary.unallocated}; reconciled to source ${summary.sourceTotal}.\n` +
            describeConversions(summary) +
            (intoBook ? `Costs: ${intoBook.pull.summary}\n` : '') +
            `${workbook ? `Updated ${workbook} (its Audit log, approval history and publications kept); review and approve it again` : `Wrote ${out}`}\n` +
            describeWarnings(summary.warnings),
        );
      }
    },
  },
  sources: {
    options: { period: { type: 'string' } },
    positionals: true,
    action: async (values, positionals = []) => {
      const [verb, source, ...extra] = positionals;
      if (verb !== 'test' || !source || extra.length > 0) throw new UsageError('chargeback sources test SOURCE --period YYYY-MM');
      const period = str(values, 'period')!;
      if (!isBillingPeriod(period)) throw new UsageError(`--period must be YYYY-MM, not "${period}"`);
      process.stdout.write(redactSecrets(await testSource(source, period, { onNotice: (message) => process.stderr.write(redactSecrets(message) + '\n') })));
    },
  },
  approve: {
    options: { workbook: { type: 'string' }, by: { type: 'string' }, 'signed-in': { type: 'boolean' } },
    action: async (values) => {
      const file = str(values, 'workbook')!;
      const signedIn = values['signed-in'] === true;
      const typed = str(values, 'by', false);
      if (!signedIn && !typed) throw new UsageError('say who approves: --by NAME, or --signed-in');
      if (signedIn && typed) throw new UsageError('give either --by NAME (typed, not verified) or --signed-in (your Microsoft Entra sign-in), not both');
      const policy = await loadPolicy();
      // Signed in before the book is opened and locked: a sign-in can take a while.
      const user = signedIn ? await signedInUser(graphEndpoint(policy.graph)) : typedUser(typed!);
      const { state, review } = await updateWorkbookFile(file, (gateway) => approveWorkbook(gateway, { user }, policy));
      const warnings = review.checks.filter((c) => c.severity === 'Warning');
      process.stdout.write(
        `Approved ${state.period} by ${state.approval!.by}: ${approvalSummary(state.approval!)}\n` +
          (isSelfApproval(state.approval!) ? `Marked in the Audit log as a self-approval, which the administrator's policy allows.\n` : '') +
          `Digest ${state.approval!.contentDigest}\n` +
          (warnings.length > 0 ? `Reviewed with ${describeWarnings(warnings)}` : 'All review checks passed.\n'),
      );
    },
  },
  reopen: {
    options: { workbook: { type: 'string' }, by: { type: 'string' }, why: { type: 'string' } },
    action: async (values) => {
      const file = str(values, 'workbook')!;
      const state = await updateWorkbookFile(file, (gateway) => reopenWorkbook(gateway, { user: typedUser(str(values, 'by')!) }, str(values, 'why')!));
      process.stdout.write(`Reopened ${state.period}: the sheets are editable again and the approval is cleared.\n`);
    },
  },
  verify: {
    options: { workbook: { type: 'string' }, against: { type: 'string' } },
    action: async (values) => {
      const file = str(values, 'workbook')!;
      const against = str(values, 'against', false);
      const bytes = await readWorkbookFile(file);
      const gateway = await parseWorkbook(file, bytes);
      const outcome = await verifyWorkbook(gateway);
      const state = outcome.state;
      const publication = against && state ? await checkAgainstPublication(gateway, shareAt(against), state.period, await sha256Hex(bytes)) : undefined;
      const problems = [...outcome.problems, ...(publication?.problems ?? [])];
      if (problems.length > 0) throw new InputError(`${file}: ${problems.join('; ')}`);
      for (const note of publication?.notes ?? []) process.stdout.write(`note: ${note}\n`);
      process.stdout.write(
        `${file}: the Audit log is intact` +
          (state?.status === 'approved' ? `; ${state.period} is approved by ${state.approval!.by} at ${state.approval!.time} and unchanged since` : state ? `; ${state.period} is not approved` : '') +
          (publication
            ? publication.version
              ? publication.publishedCopy
                ? `; it is the copy published as version ${publication.version} on the share`
                : `; it matches version ${publication.version} on the share${publication.checked > 1 ? ` (${publication.checked} versions checked, every file and fact)` : ''}`
              : '; the share holds no publication of it'
            : '') +
          '.\n' +
          (state ? whoDidWhat(auditEntriesFrom(await gateway.readTable(AUDIT_TABLE)), state.period) : ''),
      );
    },
  },
  'rules-template': {
    options: { out: { type: 'string' }, force: { type: 'boolean' } },
    action: async (values) => {
      const out = str(values, 'out')!;
      await checkOutputFile(out, [], values.force === true);
      const gateway = new ExcelJsGateway();
      await gateway.writeTables([rulesReadMeTable(), ...ruleTableSpecs(ruleTemplate())]);
      await writeFileAtomically(out, await gateway.toBytes());
      process.stdout.write(`Wrote rule tables to ${out}: fill in CostCenters, Mappings and SharedPools, then run chargeback run --rules ${out}\n`);
    },
  },
  demo: {
    options: { out: { type: 'string' } },
    action: async (values) => {
      const out = str(values, 'out')!;
      const sample = sampleFolder();
      const period = '2026-10';
      const book = path.join(out, `chargeback-${period}.xlsx`);
      // The demo's own output is made again each time it runs.
      const { summary } = await runChargeback({ costs: [sample], rules: path.join(sample, 'rules.xlsx'), out: book, period, force: true });
      process.stdout.write(
        `Month-end on the bundled sample (${summary.rowsRead} FOCUS rows from Azure, AWS and GCP):\n` +
          `  allocated ${summary.allocatedTotal} ${summary.currency} of ${summary.sourceTotal} (${summary.metric}); unallocated ${summary.unallocated}\n` +
          describeConversions(summary) +
          summary.costCenters.map((c) => `  ${c.costCenter.padEnd(14)} ${c.total.padStart(14)}`).join('\n') +
          `\nWrote ${book}\n`,
      );
      // The demo's reviewer is a name, not the account that ran it: the sample is approved as a second person would.
      const reviewer = auditBy({ name: 'Demo Reviewer', source: 'typed' });
      const { state } = await updateWorkbookFile(book, (gateway) => approveWorkbook(gateway, { user: reviewer }, DEFAULT_POLICY));
      process.stdout.write(`Approved ${state.period} as Demo Reviewer (digest ${state.approval!.contentDigest})\n`);
      const outcome = await publishFile(book, new FolderShare(path.join(out, 'finance-share')), reviewer);
      process.stdout.write(describePublish(outcome));
    },
  },
};

/** The bundled sample data, found beside the built command line or the source tree. */
export function sampleFolder(): string {
  const candidates = [path.resolve(__dirname, '..', 'assets', 'sample'), path.resolve(__dirname, '..', '..', 'assets', 'sample'), path.resolve('assets', 'sample')];
  for (const candidate of candidates) {
    try {
      require('node:fs').accessSync(path.join(candidate, 'rules.xlsx'));
      return candidate;
    } catch {
      // try the next place
    }
  }
  throw new InputError('the bundled sample data (assets/sample) is missing: run npm run sample');
}

export { RuleError };
