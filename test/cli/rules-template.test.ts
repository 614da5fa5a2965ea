import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RULE_TABLES, SETTING_NAMES } from '../../src/core/rules';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { settingsUnexplained } from '../../src/workbook/rules-readme';
import { chargeback } from '../support/cli';
import { BASE_HEADER, focusCsv, tempDir } from '../support/files';

describe('the rules template explains itself', () => {
  it('has a ReadMe sheet covering every rule table and every setting, and every Settings row with its default', async () => {
    expect(settingsUnexplained()).toEqual([]);
    const dir = tempDir();
    const out = path.join(dir, 'rules.xlsx');
    expect(chargeback(['rules-template', '--out', out]).code).toBe(0);
    const book = await ExcelJsGateway.fromBytes(readFileSync(out));
    expect(book.workbook.worksheets.map((w) => w.name)).toContain('ReadMe');
    const readMe = (await book.readTable('ReadMe'))!;
    expect(readMe.headers).toEqual(['Table', 'Column', 'What it means', 'Example']);
    for (const table of RULE_TABLES) expect(readMe.rows.some((r) => r[0] === table)).toBe(true);
    for (const setting of SETTING_NAMES) expect(readMe.rows.some((r) => r[0] === 'Settings' && r[1] === setting && String(r[2]).length > 20)).toBe(true);
    const settings = (await book.readTable('Settings'))!;
    expect(settings.rows.map((r) => r[0])).toEqual([...SETTING_NAMES]);
  });

  it('runs once the example cost center is replaced by one\'s own', async () => {
    const dir = tempDir();
    const template = path.join(dir, 'template.xlsx');
    expect(chargeback(['rules-template', '--out', template]).code).toBe(0);
    const book = await ExcelJsGateway.fromBytes(readFileSync(template));
    const costCenters = book.workbook.getWorksheet('CostCenters')!;
    costCenters.getCell('A2').value = 'CC-PAY';
    costCenters.getCell('B2').value = 'Payments';
    const rules = path.join(dir, 'rules.xlsx');
    writeFileSync(rules, await book.toBytes());
    const tag = (cc: string) => `"{""costcenter"":""${cc}""}"`;
    writeFileSync(
      path.join(dir, 'october.csv'),
      focusCsv(BASE_HEADER, [
        ['2026-10-01T00:00:00Z', 'USD', 'Usage', '', '90.00', '90.00', 'pay-prod', 'Compute', 'VMs', 'Azure', tag('CC-PAY')],
        ['2026-10-01T00:00:00Z', 'USD', 'Usage', '', '10.00', '10.00', 'hub', 'Networking', 'VNet', 'Azure', ''],
      ]),
    );
    const run = chargeback(['run', '--costs', path.join(dir, 'october.csv'), '--rules', rules, '--out', path.join(dir, 'book.xlsx'), '--json']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).costCenters).toEqual([
      { costCenter: 'CC-PAY', direct: '90.00', shared: '10.00', total: '100.00', listed: true },
      // The unallocated line is not a cost center of CostCenters (listed: false), and is shown all the same.
      { costCenter: 'UNALLOCATED', direct: '0.00', shared: '0.00', total: '0.00', listed: false },
    ]);
  });
});
