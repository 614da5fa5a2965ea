/**
 * The command line: the month-end steps on .xlsx files, for automation and month-end scripts.
 * Exit 0 on success, 1 on bad input (a message on stderr starting `error:`), 2 on bad usage.
 */
import { parseArgs } from 'node:util';
import { commands, UsageError } from './commands';
import { describeFailure } from './failures';

const USAGE = `Usage:
  chargeback demo --out DIR
  chargeback run --costs PATH_OR_URL [--costs PATH_OR_URL ...] --rules RULES.xlsx|RULES.json --out BOOK.xlsx [--period YYYY-MM] [--engine duckdb] [--json]
  chargeback run --source kusto://CLUSTER/DATABASE --period YYYY-MM --rules RULES.xlsx|RULES.json --out BOOK.xlsx [--json]
  chargeback sources test SOURCE --period YYYY-MM
  chargeback rules-template --out RULES.xlsx
  chargeback approve --workbook BOOK.xlsx --by NAME
  chargeback reopen --workbook BOOK.xlsx --by NAME --why REASON
  chargeback verify --workbook BOOK.xlsx
  chargeback publish --workbook BOOK.xlsx --to DIR|AZURE_BLOB_CONTAINER_URL

  --costs takes a FOCUS file, a folder of exports, or an Azure Blob container or folder URL
  with a SAS where Cost Management exports land. --to takes a folder, or a container URL with a
  SAS (https://ACCOUNT.blob.core.windows.net/CONTAINER[/FOLDER]?SAS). A SAS is never logged.
  --engine duckdb sums local files in embedded DuckDB (months too large for the default reader).
  --source queries a FinOps hub (Data Explorer or Fabric; https://CLUSTER/DATABASE too), signed in
  as az login, a managed identity or AZURE_* service principal variables. See docs/sources.md.
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  const run = commands[command];
  if (!run) {
    process.stderr.write(`usage error: unknown command "${command}"\n${USAGE}`);
    return 2;
  }
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: rest, options: run.options, strict: true, allowPositionals: run.positionals === true }));
  } catch (error) {
    process.stderr.write(`usage error: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    await run.action(values as Record<string, string | string[] | boolean | undefined>, positionals);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`usage error: ${error.message}\n${USAGE}`);
      return 2;
    }
    process.stderr.write(`error: ${describeFailure(error)}\n`);
    return 1;
  }
}

/** Entry point of bin/chargeback.js. */
export function runFromCommandLine(): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`error: ${String(error?.stack ?? error)}\n`);
      process.exit(1);
    },
  );
}

if (require.main === module) runFromCommandLine();
