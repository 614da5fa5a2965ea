/**
 * The command line explains itself: `chargeback help` lists the commands, each command answers
 * --help with its usage, options and an example, and a usage error names the one thing that is
 * wrong with the command's usage line, not the whole manual.
 */
import { commands } from '../../src/cli/commands';
import { budgetCommands } from '../../src/cli/budgets';
import { MANUAL } from '../../src/cli/manual';
import { chargeback } from '../support/cli';

const parsed: Record<string, { options: Record<string, unknown> }> = { ...commands, ...budgetCommands };

describe('the manual', () => {
  it('describes every command the parser knows, and no other', () => {
    expect(Object.keys(MANUAL).sort()).toEqual(Object.keys(parsed).sort());
  });

  it.each(Object.keys(parsed))('documents exactly the options "%s" takes', (name) => {
    const documented = MANUAL[name].options.map(([option]) => option.split(' ')[0].replace(/^--/, '')).sort();
    expect(documented).toEqual(Object.keys(parsed[name].options).sort());
  });
});

describe('chargeback help and --help', () => {
  it('lists the commands with a line each', () => {
    const result = chargeback(['help']);
    expect(result.code).toBe(0);
    for (const name of Object.keys(MANUAL)) expect(result.stdout).toMatch(new RegExp(`\\n  ${name} +\\S`));
    expect(result.stdout).toContain('Run "chargeback COMMAND --help"');
  });

  it.each([['run'], ['approve'], ['budgets', 'plan'], ['sources'], ['demo']])('answers %s --help with its own usage, options and an example', (...words) => {
    const name = words.join(' ');
    const result = chargeback([...words, '--help']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`Usage:\n  chargeback ${MANUAL[name].usage[0]}`);
    expect(result.stdout).toContain('Options:');
    expect(result.stdout).toContain(`Example:\n  ${MANUAL[name].example}`);
    // Only this command's usage, not the manual of every command.
    for (const other of Object.keys(MANUAL).filter((n) => n !== name && !n.startsWith(name))) expect(result.stdout).not.toContain(`chargeback ${MANUAL[other].usage[0]}`);
  });

  it('answers help COMMAND like COMMAND --help', () => {
    expect(chargeback(['help', 'publish']).stdout).toBe(chargeback(['publish', '--help']).stdout);
  });
});

describe('usage errors', () => {
  it('name the one thing wrong and give the command\'s usage line only', () => {
    const result = chargeback(['approve', '--workbook', 'book.xlsx']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('usage error: say who approves: --by NAME, or --signed-in\nusage: chargeback approve --workbook BOOK.xlsx --by NAME\n       chargeback approve --workbook BOOK.xlsx --signed-in\nSee "chargeback approve --help" for its options and an example.\n');
  });

  it('name an unknown option in one line', () => {
    const result = chargeback(['run', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe("usage error: Unknown option '--bogus'");
    expect(result.stderr.split('\n').length).toBeLessThan(8);
  });

  it('point an unknown command to the list', () => {
    const result = chargeback(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('usage error: unknown command "frobnicate"\nSee "chargeback help" for the commands.\n');
  });

  it('say which words a two-word command needs', () => {
    const result = chargeback(['budgets']);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('usage error: "budgets" needs one of: plan, apply');
  });
});
