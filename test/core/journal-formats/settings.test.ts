/** The Settings that choose the ERP journal files and say how each ERP spells an account. */
import { parseRules, ruleTablesFromJson, RuleTables, SETTING_NAMES, validateRules } from '../../../src/core/rules';
import { erpJournalFiles, JOURNAL_FORMAT_DEFAULTS, JOURNAL_FORMAT_SETTING_NAMES } from '../../../src/core/journal-formats';
import { rulesReadMeTable } from '../../../src/workbook/rules-readme';
import { allocate } from '../../../src/core/allocate';
import { journalFor } from '../../../src/core/journal';
import { line, threeTeams } from '../helpers';
import { fileNets, journalNets } from './read-back';

const withSettings = (settings: Record<string, string>): RuleTables => ({ ...threeTeams, Settings: Object.entries(settings).map(([Setting, Value]) => ({ Setting, Value })) });
const problemsOf = (settings: Record<string, string>) => validateRules(withSettings(settings)).problems.map((p) => `${p.table} row ${p.row} ${p.column}: ${p.message}`);

describe('journal format settings', () => {
  it('leave a new workbook with the Generic journal only, and nothing else to fill in', () => {
    const rules = parseRules(withSettings({ ClearingAccount: '2990' }));
    expect(rules.settings.journalFormats).toBeUndefined();
    expect(JOURNAL_FORMAT_DEFAULTS.formats).toEqual(['Generic']);
  });

  it('read a list of formats in any case, and each ERP\'s account settings, from the table and from rules JSON', () => {
    const rules = parseRules(withSettings({ JournalFormats: 'generic, D365 ,oraclefbdi,NetSuite', D365Account: '{GLAccount}--{CostCenter}', OracleSegments: '101, {CostCenter}, {GLAccount}', OracleLedger: 'US Primary Ledger', OracleGroupId: '20250131', NetSuiteDateFormat: 'D/M/YYYY' }));
    expect(rules.settings.journalFormats).toMatchObject({ formats: ['Generic', 'D365', 'OracleFBDI', 'NetSuite'], d365Account: '{GLAccount}--{CostCenter}', oracleSegments: ['101', '{CostCenter}', '{GLAccount}'], oracleLedger: 'US Primary Ledger', oracleGroupId: '20250131', netSuiteDateFormat: 'D/M/YYYY', oracleSource: 'Spreadsheet' });
    const json = parseRules(ruleTablesFromJson({ ...{ costCenters: threeTeams.CostCenters, mappings: threeTeams.Mappings }, settings: { journalFormats: 'SAP, Xero', sapCompanyCode: '1000', xeroTaxRate: 'No GST' } }));
    expect(json.settings.journalFormats).toMatchObject({ formats: ['SAP', 'Xero'], sapCompanyCode: '1000', xeroTaxRate: 'No GST' });
  });

  it('refuse what an ERP could not take, each problem on its row with what to write instead', () => {
    expect(problemsOf({ JournalFormats: 'Generic, Dynamics' })).toEqual(['Settings row 2 Value: JournalFormats lists "Dynamics": use a comma-separated list of Generic, D365, OracleFBDI, SAP, NetSuite, Xero']);
    expect(problemsOf({ D365Account: '{GLAccount}{CostCenter}' })).toEqual(['Settings row 2 Value: D365Account needs a delimiter between {GLAccount} and {CostCenter}, e.g. {GLAccount}-{CostCenter}, not "{GLAccount}{CostCenter}"']);
    expect(problemsOf({ D365Account: '{CostCenter}-{GLAccount}' })[0]).toContain('D365Account must start with {GLAccount}');
    expect(problemsOf({ D365Account: '{GLAccount}-{Dept}' })[0]).toContain('D365Account may use {GLAccount} and {CostCenter}, not {Dept}');
    expect(problemsOf({ OracleSegments: '101,{CostCenter}' })[0]).toContain('OracleSegments must place {GLAccount} in one segment');
    expect(problemsOf({ OracleGroupId: 'JAN' })[0]).toContain('OracleGroupId must be a number');
    expect(problemsOf({ OracleSource: 'A journal source name that is too long' })[0]).toContain('OracleSource holds 25 characters at most');
    expect(problemsOf({ SAPDateFormat: 'DD.MM' })[0]).toContain('SAPDateFormat must be a date pattern with YYYY');
  });

  it('ask for the ledger and company code a listed format cannot do without', () => {
    expect(problemsOf({ JournalFormats: 'OracleFBDI, SAP' })).toEqual([
      'Settings row 2 Value: JournalFormats lists OracleFBDI but Settings has no OracleLedger: add the ledger name (LEDGER_NAME), e.g. US Primary Ledger',
      'Settings row 2 Value: JournalFormats lists SAP but Settings has no SAPCompanyCode: add the company code (BUKRS), e.g. 1000',
    ]);
  });

  it('stay out of the Settings drop-down list, which Excel caps at 255 characters', () => {
    expect(SETTING_NAMES).not.toContain('JournalFormats');
    expect(SETTING_NAMES.join(',').length).toBeLessThanOrEqual(255);
  });
});

describe('the rules ReadMe', () => {
  it('explains every journal format setting with an example', () => {
    const rows = rulesReadMeTable().rows;
    for (const name of JOURNAL_FORMAT_SETTING_NAMES) expect(rows.some((r) => r[0] === 'Settings' && r[1] === name && String(r[2]).length > 20 && String(r[3]) !== '')).toBe(true);
  });
});

describe('a period allocated with JournalFormats D365, OracleFBDI, NetSuite', () => {
  it('writes the three files from the rules\' own Settings, each netting to the generic journal to the cent', async () => {
    const rules = parseRules(withSettings({ ClearingAccount: '2990', UnallocatedAccount: '6190', JournalFormats: 'D365, OracleFBDI, NetSuite', D365Account: '{GLAccount}--{CostCenter}', OracleLedger: 'US Primary Ledger' }));
    const result = allocate([line({ SubAccountName: 'team-a' }, '100.005'), line({ SubAccountName: 'team-b' }, '-20.00'), line({ SubAccountName: 'team-c' }, '0.333'), line({ SubAccountName: 'stray' }, '5.00')], rules);
    const journal = journalFor(result, rules.settings);
    const files = await erpJournalFiles(journal, { baseName: `journal-${result.period}`, minorDigits: result.minorDigits, version: 1, settings: rules.settings });
    expect(files.map((f) => f.name)).toEqual(['journal-2026-10-d365.csv', 'journal-2026-10-oracle-fbdi.zip', 'journal-2026-10-netsuite.csv']);
    const generic = journalNets(journal);
    expect(generic).toEqual(new Map([['6100|CC-A', 10001n], ['6100|CC-B', -2000n], ['6100|CC-C', 33n], ['6190|UNALLOCATED', 500n], ['2990|', -8534n]]));
    for (const file of files) expect(await fileNets([file], rules.settings.journalFormats!, 2)).toEqual(generic);
  });
});
