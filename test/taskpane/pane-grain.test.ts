/**
 * The task pane reads cost data at the grain the command line reads with: the usual dimensions no
 * rule names are optional in both (the FOCUS specification's own examples lack some of them), and
 * a dimension a rule names is required in both. One rule, `costGrain`, read by the pane's worker
 * (through `ingestSource`) and by `chargeback run`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseRules } from '../../src/core/rules';
import { ingestSource } from '../../src/taskpane/ingest-source';
import { OfficeGateway } from '../../src/workbook/office-gateway';
import { costGrain, writeRuleTables } from '../../src/workbook/steps';
import { threeTeams } from '../core/helpers';
import { paneOperations } from '../support/office-month-end';
import { FakeExcel } from '../workbook/fake-excel';

const example = 'virtual_currency_pricing_model_a1.csv';
const text = readFileSync(path.resolve(__dirname, '../fixtures/focus-examples/saas_examples', example), 'utf8');
const picked = () => ({ kind: 'files' as const, files: [new File([text], example)] });
const noProgress = () => undefined;

it('reads a FOCUS example that lacks SubAccountName and ServiceCategory when no rule names them, as the command line does', async () => {
  const gateway = new OfficeGateway({ run: new FakeExcel().run });
  const grain = await paneOperations(gateway).dimensionsFor();
  expect(grain).toEqual(costGrain(undefined));
  expect(grain.optionalDimensions).toEqual(expect.arrayContaining(['SubAccountName', 'ServiceCategory']));
  const result = await ingestSource(picked(), grain, noProgress);
  expect(result.lines.map((l) => [l.billingPeriod, l.dimensions.ProviderName, l.dimensions.SubAccountName, l.dimensions.ServiceCategory])).toEqual([['2025-04', 'ACMECORP', '', '']]);
});

it('still requires a column a rule in the workbook names', async () => {
  const gateway = new OfficeGateway({ run: new FakeExcel().run });
  await writeRuleTables(gateway, threeTeams);
  const grain = await paneOperations(gateway).dimensionsFor();
  expect(grain).toEqual(costGrain(parseRules(threeTeams)));
  expect(grain.optionalDimensions).not.toContain('SubAccountName');
  await expect(ingestSource(picked(), grain, noProgress)).rejects.toThrow(/missing FOCUS column SubAccountName/);
});
