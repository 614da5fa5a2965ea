/**
 * The command line's manual: for each command its usage, what it does, its options and an example.
 * `chargeback help` lists the commands, `chargeback COMMAND --help` prints one entry, and a usage
 * error prints the command's usage lines only (test/cli/help.test.ts checks every command and option
 * the parser knows is described here, and nothing more).
 */

export interface CommandManual {
  /** One line for `chargeback help`. */
  summary: string;
  /** The command's usage lines, without the leading "chargeback ". */
  usage: string[];
  /** Each option the command takes, as `--name VALUE` and what it means. */
  options: [string, string][];
  /** Further notes, a paragraph each. */
  notes?: string[];
  /** A command line that works as written (with the user's own files). */
  example: string;
}

const RULES = ['--rules RULES.xlsx|RULES.json', 'the rule tables: a rules or chargeback workbook, or rules as JSON'];

export const MANUAL: Record<string, CommandManual> = {
  demo: {
    summary: 'run the whole month-end on the bundled sample data',
    usage: ['demo --out DIR'],
    options: [['--out DIR', 'the folder for the chargeback workbook and DIR/finance-share/ (made again each run)']],
    notes: ['Pulls the sample FOCUS exports (Azure, AWS, GCP), allocates October 2026 with the sample rules, approves it as "Demo Reviewer" and publishes it to DIR/finance-share/.'],
    example: 'chargeback demo --out demo-output',
  },
  run: {
    summary: 'pull FOCUS cost data and allocate it into a chargeback workbook',
    usage: [
      'run --costs PATH_OR_URL [--costs ...] --rules RULES.xlsx|RULES.json --out BOOK.xlsx [--period YYYY-MM] [--engine duckdb] [--previous LAST_MONTH.xlsx] [--json] [--force]',
      'run --workbook BOOK.xlsx --costs PATH_OR_URL [--costs ...] [--add] [--rules RULES.xlsx|RULES.json] [--period YYYY-MM] [--engine duckdb] [--json]',
      'run --source kusto://CLUSTER/DATABASE|fabric://SERVER/DATABASE?table=SCHEMA.TABLE|"databricks://HOST/HTTP_PATH?catalog=C&schema=S&table=T" --period YYYY-MM --rules ... --out BOOK.xlsx [--json] [--force]',
    ],
    options: [
      ['--costs PATH_OR_URL', 'a FOCUS file (.csv, .csv.gz, .parquet), a folder of exports, or an Azure Blob container or folder URL with a SAS; repeat for several'],
      ['--source URL', 'a FinOps hub (kusto://), a Fabric or Synapse SQL table (fabric://) or a Databricks SQL table (databricks://) that runs the grain query itself'],
      RULES as [string, string],
      ['--out BOOK.xlsx', 'the new chargeback workbook (never replaces an input, nor an existing file without --force)'],
      ['--workbook BOOK.xlsx', 'pull and allocate into an existing book instead, keeping its Audit log, approvals and publications; the read costs take the place of the ones it holds'],
      ['--add', "with --workbook: add the read cost lines (a late credit, an adjustment) to the book's own instead of replacing them"],
      ['--period YYYY-MM', 'the billing period, when the data holds several (required with --source)'],
      ['--engine duckdb', 'sum local files in embedded DuckDB (months too large for the default reader)'],
      ['--previous LAST_MONTH.xlsx', "carry last month's approved totals forward for the review's period-on-period checks"],
      ['--json', 'print one JSON object on stdout (amounts as decimal strings) and keep stderr quiet'],
      ['--force', 'replace an existing --out file'],
    ],
    notes: ['See docs/sources.md for connecting to a hub or a warehouse, and docs/rules.md for the rule tables.'],
    example: 'chargeback run --costs exports/2026-10/ --rules rules.xlsx --out chargeback-2026-10.xlsx --period 2026-10',
  },
  sources: {
    summary: "check a FinOps hub or a warehouse and print the month's rows and totals",
    usage: ['sources test SOURCE --period YYYY-MM'],
    options: [['--period YYYY-MM', 'the billing period to count']],
    notes: ['SOURCE is kusto://CLUSTER/DATABASE, fabric://SERVER/DATABASE?table=SCHEMA.TABLE or "databricks://HOST/HTTP_PATH?catalog=C&schema=S&table=T".'],
    example: 'chargeback sources test kusto://myhub.westeurope.kusto.windows.net/Hub --period 2026-10',
  },
  'rules-template': {
    summary: 'write an empty rules workbook to fill in',
    usage: ['rules-template --out RULES.xlsx [--force]'],
    options: [
      ['--out RULES.xlsx', 'the workbook to write'],
      ['--force', 'replace an existing file'],
    ],
    example: 'chargeback rules-template --out rules.xlsx',
  },
  approve: {
    summary: "approve a period's chargeback as its reviewer",
    usage: ['approve --workbook BOOK.xlsx --by NAME', 'approve --workbook BOOK.xlsx --signed-in'],
    options: [
      ['--workbook BOOK.xlsx', 'the chargeback workbook'],
      ['--by NAME', 'the reviewer, typed (recorded as typed, beside the account the command runs under)'],
      ['--signed-in', 'the reviewer as signed in to Microsoft Entra ID (az login), named by Microsoft Graph; required where the policy says RequireSignIn'],
    ],
    notes: [
      'Runs the review checks first; a blocking problem (anything publish would refuse included) refuses the approval. The sheets are locked once approved.',
      'The person who prepared the period (pulled or allocated it) may not approve it, under any spelling, unless the administrator\'s policy allows self-approval: /etc/chargeback/config.json (%ProgramData%\\Chargeback\\config.json on Windows), or the file CHARGEBACK_POLICY names; see docs/add-in.md.',
    ],
    example: 'chargeback approve --workbook chargeback-2026-10.xlsx --by "Dana Reviewer"',
  },
  reopen: {
    summary: 'reopen an approved period for changes',
    usage: ['reopen --workbook BOOK.xlsx --by NAME --why REASON'],
    options: [
      ['--workbook BOOK.xlsx', 'the chargeback workbook'],
      ['--by NAME', 'who reopens it'],
      ['--why REASON', 'why, for the Audit log'],
    ],
    example: 'chargeback reopen --workbook chargeback-2026-10.xlsx --by "Dana Reviewer" --why "late AWS credit"',
  },
  verify: {
    summary: 'check the Audit log, the approval and (with --against) the share',
    usage: ['verify --workbook BOOK.xlsx [--against DIR|AZURE_BLOB_CONTAINER_URL]'],
    options: [
      ['--workbook BOOK.xlsx', 'the chargeback workbook'],
      ['--against DIR|URL', 'the finance share it was published to (a folder, or a container URL with a SAS)'],
    ],
    example: 'chargeback verify --workbook chargeback-2026-10.xlsx --against /finance/chargeback',
  },
  publish: {
    summary: 'publish an approved period to the finance share',
    usage: ['publish --workbook BOOK.xlsx --to DIR|AZURE_BLOB_CONTAINER_URL [--adopt MANIFEST_SHA256]'],
    options: [
      ['--workbook BOOK.xlsx', 'the approved chargeback workbook'],
      ['--to DIR|URL', 'a folder, or an Azure Blob container URL with a SAS (https://ACCOUNT.blob.core.windows.net/CONTAINER[/FOLDER]?SAS); a SAS is never logged'],
      ['--adopt MANIFEST_SHA256', "restate a version of the period that another book published, named by its manifest's SHA-256 (publish says it when it refuses; see docs/publishing.md, The trust model)"],
    ],
    notes: ['Writes the statement, the balanced GL journal, the workbook, showback statements and Power BI facts under PERIOD/ with a manifest.json; publishing a published period again publishes a restatement.'],
    example: 'chargeback publish --workbook chargeback-2026-10.xlsx --to /finance/chargeback',
  },
  'budgets plan': {
    summary: 'show what budgets apply would write to Azure Cost Management',
    usage: ['budgets plan --rules BOOK.xlsx|RULES.json [--scope SCOPE] [--endpoint URL] [--json] [--prune]'],
    options: [
      RULES as [string, string],
      ['--scope SCOPE', 'the Azure scope for budgets that name none (e.g. /subscriptions/ID)'],
      ['--endpoint URL', 'the Resource Manager endpoint (default https://management.azure.com)'],
      ['--json', 'print the plan as JSON'],
      ['--prune', 'also plan to delete budgets this workbook made that it no longer lists'],
    ],
    notes: ['Signs in with AZURE_ACCESS_TOKEN, else Azure\'s DefaultAzureCredential (az login, a managed identity, AZURE_* variables).'],
    example: 'chargeback budgets plan --rules chargeback-2026-10.xlsx --scope /subscriptions/00000000-0000-0000-0000-000000000000',
  },
  'budgets apply': {
    summary: "write the workbook's budgets to Azure Cost Management",
    usage: ['budgets apply --rules BOOK.xlsx|RULES.json [--scope SCOPE] [--endpoint URL] [--json] [--prune]'],
    options: [
      RULES as [string, string],
      ['--scope SCOPE', 'the Azure scope for budgets that name none (e.g. /subscriptions/ID)'],
      ['--endpoint URL', 'the Resource Manager endpoint (default https://management.azure.com)'],
      ['--json', 'print what was written as JSON'],
      ['--prune', 'delete budgets this workbook made that it no longer lists'],
    ],
    notes: ['Each apply from a workbook is recorded in its Audit log.'],
    example: 'chargeback budgets apply --rules chargeback-2026-10.xlsx --scope /subscriptions/00000000-0000-0000-0000-000000000000',
  },
};

const usageLines = (name: string) => MANUAL[name].usage.map((line) => `chargeback ${line}`);

/** `chargeback help`: the commands, a line each. */
export function commandList(): string {
  const width = Math.max(...Object.keys(MANUAL).map((name) => name.length));
  return (
    'Chargeback for Excel: close the monthly cloud bill from the command line.\n\n' +
    'Commands:\n' +
    Object.entries(MANUAL)
      .map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`)
      .join('\n') +
    '\n\nRun "chargeback COMMAND --help" for a command\'s options and an example.\n' +
    'Exit codes: 0 success, 1 bad input (a message on stderr starting "error:"), 2 bad usage.\n'
  );
}

/** `chargeback COMMAND --help`: usage, what it does, options, notes and an example. */
export function commandHelp(name: string): string {
  const entry = MANUAL[name];
  const width = Math.max(...entry.options.map(([option]) => option.length));
  return [
    `Usage:\n${usageLines(name).map((line) => `  ${line}`).join('\n')}`,
    `${entry.summary[0].toUpperCase()}${entry.summary.slice(1)}.`,
    entry.options.length > 0 ? `Options:\n${entry.options.map(([option, meaning]) => `  ${option.padEnd(width)}  ${meaning}`).join('\n')}` : '',
    ...(entry.notes ?? []),
    `Example:\n  ${entry.example}`,
  ]
    .filter((part) => part !== '')
    .join('\n\n')
    .concat('\n');
}

/** What follows a usage error: the command's usage lines and where its help is. */
export function usageReminder(name: string | undefined): string {
  if (!name || !MANUAL[name]) return 'See "chargeback help" for the commands.\n';
  return `usage: ${usageLines(name).join('\n       ')}\nSee "chargeback ${name} --help" for its options and an example.\n`;
}
