/**
 * The command line: the month-end steps on .xlsx files, for automation and month-end scripts.
 * Exit 0 on success, 1 on bad input (a message on stderr starting `error:`), 2 on bad usage.
 */
import { parseArgs } from 'node:util';
import { budgetCommands } from './budgets';
import { commands, UsageError } from './commands';
import { describeFailure } from './failures';
import { redactSecrets } from '../shares/share';
import { commandHelp, commandList, MANUAL, usageReminder } from './manual';


/** Every line written to stderr loses its secrets (a SAS typed where a path was expected, too). */
const complain = (prefix: string, message: string, usage = '') => process.stderr.write(`${prefix}: ${redactSecrets(message)}\n${usage}`);

const allCommands: Record<string, (typeof commands)[string]> = { ...commands, ...budgetCommands };

export async function main(argv: string[]): Promise<number> {
  // Two-word commands (`budgets plan`) are looked up whole.
  const twoWords = argv.length > 1 && allCommands[`${argv[0]} ${argv[1]}`] ? 2 : 1;
  const command = argv.slice(0, twoWords).join(' ');
  const rest = argv.slice(twoWords);
  if (!command) {
    complain('usage error', 'no command given', commandList());
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    const topic = rest.join(' ');
    if (topic && MANUAL[topic]) process.stdout.write(commandHelp(topic));
    else if (topic) {
      complain('usage error', `there is no command "${topic}"`, usageReminder(undefined));
      return 2;
    } else process.stdout.write(commandList());
    return 0;
  }
  const run = allCommands[command];
  if (!run) {
    const twoWordCommands = Object.keys(allCommands).filter((name) => name.startsWith(`${command} `));
    const hint = twoWordCommands.length > 0 ? `"${command}" needs one of: ${twoWordCommands.map((name) => name.slice(command.length + 1)).join(', ')}` : `unknown command "${command}"`;
    complain('usage error', hint, usageReminder(twoWordCommands[0]));
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: rest, options: run.options, strict: true, allowPositionals: run.positionals === true }));
  } catch (error) {
    complain('usage error', usageProblem(error as Error), usageReminder(command));
    return 2;
  }
  try {
    await run.action(values as Record<string, string | string[] | boolean | undefined>, positionals);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      complain('usage error', error.message, usageReminder(command));
      return 2;
    }
    complain('error', describeFailure(error));
    return 1;
  }
}

/** Node's parser explains its refusals at length ("To specify a positional argument starting with a '-' ..."): keep the first sentence. */
function usageProblem(error: Error): string {
  return error.message.split(/\.\s/)[0].replace(/\.$/, '');
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
