/**
 * The `Method` sheet: the month's rules in plain words (src/core/method.ts), written by the
 * Allocate step in the same commit as the statement, so the two never disagree.
 */
import { AllocationResult } from '../core/allocate';
import { methodLines } from '../core/method';
import { Rules } from '../core/rules';
import { TableSpec } from './gateway';

export const METHOD_TABLE = 'Method';

export function methodTable(rules: Rules, result: AllocationResult): TableSpec {
  return {
    name: METHOD_TABLE,
    columns: [
      { header: 'Topic', width: 24 },
      { header: 'Rule', width: 30 },
      { header: 'How it works', width: 110 },
    ],
    rows: methodLines(rules, result).map((line) => [line.topic, line.source, line.text]),
  };
}
