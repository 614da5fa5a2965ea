/**
 * The rules the benchmark allocates with: the bundled sample rules (assets/sample/rules.json)
 * when present, else rules in the same style (SubAccountName, ServiceCategory, Tag:costcenter,
 * x_ResourceGroupName) written for the generated data. The grain is what the task pane uses.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseRules, ruleTablesFromJson, Rules } from '../src/core/rules';
import { grainDimensions } from '../src/workbook/steps';
import { BENCH_TEAMS, teamCostCenter } from './generate';

export function benchRulesJson() {
  const costCenters = BENCH_TEAMS.map((team, i) => ({ costCenter: teamCostCenter(i), name: team, owner: `${team}-lead@contoso.com`, glAccount: String(6100 + i), budget: 250000 }));
  return {
    settings: { metric: 'EffectiveCost', unallocated: 'UNALLOCATED', unusedCommitments: 'Proportional', clearingAccount: '2990' },
    costCenters,
    mappings: [
      { dimension: 'Tag:costcenter', pattern: 'CC-*', costCenter: '{value}' },
      ...BENCH_TEAMS.map((team, i) => ({ dimension: 'x_ResourceGroupName', pattern: `rg-${team}-*`, costCenter: teamCostCenter(i) })),
      ...BENCH_TEAMS.map((team, i) => ({ dimension: 'SubAccountName', pattern: `${team}-*`, costCenter: teamCostCenter(i) })),
    ],
    sharedPools: [
      { pool: 'Network hub', dimension: 'SubAccountName', pattern: 'hub-network', method: 'Proportional', driver: '', targets: '*' },
      { pool: 'Networking', dimension: 'ServiceCategory', pattern: 'Networking', method: 'Proportional', driver: '', targets: '*' },
      { pool: 'Security tooling', dimension: 'SubAccountName', pattern: 'security-tooling', method: 'Fixed', driver: '', targets: `${teamCostCenter(0)},${teamCostCenter(1)},${teamCostCenter(2)}` },
      { pool: 'Shared services', dimension: 'SubAccountName', pattern: 'shared-services', method: 'Even', driver: '', targets: '*' },
    ],
    fixedSplits: [
      { pool: 'Security tooling', costCenter: teamCostCenter(0), percent: 50 },
      { pool: 'Security tooling', costCenter: teamCostCenter(1), percent: 30 },
      { pool: 'Security tooling', costCenter: teamCostCenter(2), percent: 20 },
    ],
    drivers: [],
  };
}

/** The sample rules if this checkout has them, else the bench's own. */
export function loadBenchRules(): { rules: Rules; dimensions: string[]; source: string } {
  const candidates = [path.resolve('assets/sample/rules.json'), path.resolve(__dirname, '..', 'assets', 'sample', 'rules.json')];
  const sample = candidates.find((c) => existsSync(c));
  const json = sample ? JSON.parse(readFileSync(sample, 'utf8')) : benchRulesJson();
  const rules = parseRules(ruleTablesFromJson(json));
  return { rules, dimensions: grainDimensions(rules), source: sample ? path.relative(process.cwd(), sample) : 'bench/rules.ts' };
}
