/**
 * The command line: the month-end steps on .xlsx files, for automation and month-end scripts.
 * Exit 0 on success, 1 on bad input (a message on stderr starting `error:`), 2 on bad usage.
 */
import { parseArgs } from 'node:util';
import { budgetCommands } from './budgets';
import { commands, UsageError } from './commands';
import { describeFailure } from './failures';
import { redactSecrets } from '../shares/share';

const USAGE = `Usage:
  chargeback demo --out DIR
  chargeback run --costs PATH_OR_URL [--costs PATH_OR_URL ...] --rules RULES.xlsx|RULES.json --out BOOK.xlsx [--period YYYY-MM] [--engine duckdb] [--previous LAST_MONTH.xlsx] [--json] [--force]
  chargeback run --workbook BOOK.xlsx --costs PATH_OR_URL [--costs ...] [--rules RULES.xlsx|RULES.json] [--period YYYY-MM] [--engine duckdb] [--json]
  chargeback run --source kusto://CLUSTER/DATABASE --period YYYY-MM --rules RULES.xlsx|RULES.json --out BOOK.xlsx [--json] [--force]
  chargeback run --source fabric://SERVER/DATABASE?table=SCHEMA.TABLE --period YYYY-MM --rules ... --out BOOK.xlsx [--json] [--force]
  chargeback run --source "databricks://HOST/HTTP_PATH?catalog=C&schema=S&table=T" --period YYYY-MM ...
  chargeback sources test SOURCE --period YYYY-MM
  chargeback rules-template --out RULES.xlsx [--force]
  chargeback approve --workbook BOOK.xlsx --by NAME | --signed-in
  chargeback reopen --workbook BOOK.xlsx --by NAME --why REASON
  chargeback verify --workbook BOOK.xlsx [--against DIR|AZURE_BLOB_CONTAINER_URL]
  chargeback publish --workbook BOOK.xlsx --to DIR|AZURE_BLOB_CONTAINER_URL
  chargeback budgets plan|apply --rules BOOK.xlsx|RULES.json [--scope SCOPE] [--endpoint URL] [--json] [--prune]

  --costs takes a FOCUS file, a folder of exports, or an Azure Blob container or folder URL
  with a SAS where Cost Management exports land. --to takes a folder, or a container URL with a
  SAS (https://ACCOUNT.blob.core.windows.net/CONTAINER[/FOLDER]?SAS). A SAS is never logged.
  budgets signs in with AZURE_ACCESS_TOKEN, else Azure's DefaultAzureCredential (az login, ...).
  --out never replaces an input, nor an existing file unless --force is given. --workbook pulls
  and allocates into an existing book, keeping its Audit log, approvals and publications (reopen
  an approved period first); publishing a published period again publishes a restatement. --previous carries
  last month's approved totals (ApprovalHistory) forward, for the review's period-on-period checks.
  --engine duckdb sums local files in embedded DuckDB (months too large for the default reader).
  --source queries a FinOps hub (Data Explorer or Fabric; https://CLUSTER/DATABASE too), or a table
  of FOCUS rows in a Fabric Warehouse, Lakehouse SQL endpoint or Synapse serverless (fabric://),
  signed in as az login, a managed identity or AZURE_* service principal variables; or a Databricks SQL
  warehouse's FOCUS table (DATABRICKS_TOKEN, else the same Entra sign-in). See docs/sources.md.
  Steps record the operating-system account (user@host); approve --signed-in records the user Microsoft
  Graph names for your az login (or azd auth login). The administrator's sign-off policy is read from
  /etc/chargeback/config.json (%ProgramData%\\Chargeback\\config.json on Windows), or CHARGEBACK_POLICY
  where there is none: see docs/add-in.md.
`;

/** Every line written to stderr loses its secrets (a SAS typed where a path was expected, too). */
const complain = (prefix: string, message: string, usage = '') => process.stderr.write(`${prefix}: ${redactSecrets(message)}\n${usage}`);

const allCommands: Record<string, (typeof commands)[string]> = { ...commands, ...budgetCommands };

export async function main(argv: string[]): Promise<number> {
  // Two-word commands (`budgets plan`) are looked up whole.
  const twoWords = argv.length > 1 && allCommands[`${argv[0]} ${argv[1]}`] ? 2 : 1;
  const command = argv.slice(0, twoWords).join(' ');
  const rest = argv.slice(twoWords);
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  const run = allCommands[command];
  if (!run) {
    complain('usage error', `unknown command "${command}"`, USAGE);
    return 2;
  }
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: rest, options: run.options, strict: true, allowPositionals: run.positionals === true }));
  } catch (error) {
    complain('usage error', (error as Error).message, USAGE);
    return 2;
  }
  try {
    await run.action(values as Record<string, string | string[] | boolean | undefined>, positionals);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      complain('usage error', error.message, USAGE);
      return 2;
    }
    complain('error', describeFailure(error));
    return 1;
  }
}

/** Entry point of bin/chargeback.js. */
export function runFromCommandLine(): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      complain('error', String(error?.stack ?? error));
      process.exit(1);
    },
  );
}

if (require.main === module) runFromCommandLine();
