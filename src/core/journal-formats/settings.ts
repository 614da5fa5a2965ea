/**
 * The Settings that say which ERP journal files are published and how each ERP spells an account.
 * Kept out of the Settings drop-down list (Excel's list of choices holds 255 characters and the
 * core settings fill it); typed by hand, they are read and checked like any other setting.
 */

export const JOURNAL_FORMATS = ['Generic', 'D365', 'OracleFBDI', 'SAP', 'NetSuite', 'Xero'] as const;
export type JournalFormat = (typeof JOURNAL_FORMATS)[number];

export interface JournalFormatSettings {
  /** The journal files to publish, Generic (today's CSV) first by default. */
  formats: JournalFormat[];
  /** D365 ACCOUNTDISPLAYVALUE: placeholders {GLAccount} and {CostCenter} joined by the ledger's segment delimiter. */
  d365Account: string;
  d365JournalName: string;
  /** Oracle SEGMENT1, SEGMENT2, ...: each a placeholder ({GLAccount}, {CostCenter}, {Entity}) or a fixed value. */
  oracleSegments: string[];
  /** The cost center segment value of Oracle lines that have none (the clearing line): every COA segment needs a value. */
  oracleClearingCostCenter: string;
  oracleLedger: string;
  oracleSource: string;
  oracleCategory: string;
  /** Digits; empty: the posting date and version (`2025013101`). */
  oracleGroupId: string;
  sapCompanyCode: string;
  sapDocumentType: string;
  sapDateFormat: string;
  netSuiteSubsidiary: string;
  netSuiteDateFormat: string;
  xeroTaxRate: string;
  xeroTrackingCategory: string;
}

export const JOURNAL_FORMAT_DEFAULTS: JournalFormatSettings = {
  formats: ['Generic'],
  d365Account: '{GLAccount}-{CostCenter}',
  d365JournalName: 'GenJrn',
  oracleSegments: ['{CostCenter}', '{GLAccount}'],
  oracleClearingCostCenter: '000',
  oracleLedger: '',
  oracleSource: 'Spreadsheet',
  oracleCategory: 'Adjustment',
  oracleGroupId: '',
  sapCompanyCode: '',
  sapDocumentType: 'SA',
  sapDateFormat: 'DD.MM.YYYY',
  netSuiteSubsidiary: '',
  netSuiteDateFormat: 'M/D/YYYY',
  xeroTaxRate: 'Tax Exempt',
  xeroTrackingCategory: 'Cost Center',
};

/** Setting name → the field it sets. */
const FIELDS = {
  JournalFormats: 'formats',
  D365Account: 'd365Account',
  D365JournalName: 'd365JournalName',
  OracleSegments: 'oracleSegments',
  OracleClearingCostCenter: 'oracleClearingCostCenter',
  OracleLedger: 'oracleLedger',
  OracleSource: 'oracleSource',
  OracleCategory: 'oracleCategory',
  OracleGroupId: 'oracleGroupId',
  SAPCompanyCode: 'sapCompanyCode',
  SAPDocumentType: 'sapDocumentType',
  SAPDateFormat: 'sapDateFormat',
  NetSuiteSubsidiary: 'netSuiteSubsidiary',
  NetSuiteDateFormat: 'netSuiteDateFormat',
  XeroTaxRate: 'xeroTaxRate',
  XeroTrackingCategory: 'xeroTrackingCategory',
} as const satisfies Record<string, keyof JournalFormatSettings>;

export type JournalFormatSettingName = keyof typeof FIELDS;
export const JOURNAL_FORMAT_SETTING_NAMES = Object.keys(FIELDS) as JournalFormatSettingName[];

export const DATE_TOKENS = /YYYY|MMM|MM|M|DD|D/g;

/** Whether a date pattern names a year, a month and a day (tokens YYYY, MMM, MM, M, DD, D). */
export function isDatePattern(pattern: string): boolean {
  const tokens: string[] = pattern.match(DATE_TOKENS) ?? [];
  return tokens.includes('YYYY') && tokens.some((t) => t.startsWith('M')) && tokens.some((t) => t.startsWith('D'));
}

export const ACCOUNT_PLACEHOLDERS = ['{GLAccount}', '{CostCenter}', '{Entity}'] as const;
const PLACEHOLDER = /\{[^}]*\}/g;

/** An account template cut into placeholders and the delimiters between them. */
export interface AccountTemplate {
  placeholders: string[];
  /** The text between placeholders, e.g. `-`: a value containing one is ambiguous. */
  delimiters: string[];
}

export function accountTemplate(template: string): AccountTemplate {
  return { placeholders: template.match(PLACEHOLDER) ?? [], delimiters: template.split(PLACEHOLDER).filter((d) => d !== '') };
}

/** The problem with a D365Account template, if any. */
function d365AccountProblem(value: string): string | undefined {
  const { placeholders, delimiters } = accountTemplate(value);
  const unknown = placeholders.find((p) => p !== '{GLAccount}' && p !== '{CostCenter}');
  if (unknown) return `D365Account may use {GLAccount} and {CostCenter}, not ${unknown} ("${value}")`;
  if (!value.startsWith('{GLAccount}')) return `D365Account must start with {GLAccount} (the main account comes first in ACCOUNTDISPLAYVALUE), e.g. {GLAccount}-{CostCenter}, not "${value}"`;
  if (placeholders.includes('{CostCenter}') && delimiters.length === 0) return `D365Account needs a delimiter between {GLAccount} and {CostCenter}, e.g. {GLAccount}-{CostCenter}, not "${value}"`;
  return undefined;
}

/**
 * Reads one journal format setting into `settings`; returns false for a name that is not one.
 * `bad` reports a problem on the row.
 */
export function readJournalFormatSetting(name: string, value: string, settings: JournalFormatSettings, bad: (message: string) => void): boolean {
  const setting = JOURNAL_FORMAT_SETTING_NAMES.find((n) => n.toLowerCase() === name.toLowerCase());
  if (!setting) return false;
  if (value === '') return true;
  switch (setting) {
    case 'JournalFormats': {
      const formats: JournalFormat[] = [];
      for (const item of value.split(',').map((f) => f.trim()).filter((f) => f !== '')) {
        const format = JOURNAL_FORMATS.find((f) => f.toLowerCase() === item.toLowerCase());
        if (!format) {
          bad(`JournalFormats lists "${item}": use a comma-separated list of ${JOURNAL_FORMATS.join(', ')}`);
          return true;
        }
        if (!formats.includes(format)) formats.push(format);
      }
      settings.formats = formats;
      return true;
    }
    case 'D365Account': {
      const problem = d365AccountProblem(value);
      if (problem) bad(problem);
      else settings.d365Account = value;
      return true;
    }
    case 'OracleSegments': {
      const segments = value.split(',').map((s) => s.trim());
      const unknown = segments.flatMap((s) => s.match(PLACEHOLDER) ?? []).find((p) => !(ACCOUNT_PLACEHOLDERS as readonly string[]).includes(p));
      if (unknown) bad(`OracleSegments may use ${ACCOUNT_PLACEHOLDERS.join(', ')} or fixed values, not ${unknown}`);
      else if (segments.length > 30) bad(`OracleSegments lists ${segments.length} segments; Oracle has SEGMENT1 to SEGMENT30`);
      else if (!segments.includes('{GLAccount}')) bad(`OracleSegments must place {GLAccount} in one segment, e.g. 101,{CostCenter},{GLAccount}, not "${value}"`);
      else settings.oracleSegments = segments;
      return true;
    }
    case 'OracleGroupId':
      if (!/^\d{1,15}$/.test(value)) bad(`OracleGroupId must be a number (digits only; Journal Import's Group ID parameter), not "${value}"`);
      else settings.oracleGroupId = value;
      return true;
    case 'OracleSource':
    case 'OracleCategory':
      if (value.length > 25) bad(`${setting} holds 25 characters at most in Oracle, not ${value.length} ("${value}")`);
      else settings[FIELDS[setting]] = value;
      return true;
    case 'SAPDateFormat':
    case 'NetSuiteDateFormat':
      if (!isDatePattern(value)) bad(`${setting} must be a date pattern with YYYY, a month (MM, M or MMM) and a day (DD or D), e.g. ${JOURNAL_FORMAT_DEFAULTS[FIELDS[setting]]}, not "${value}"`);
      else settings[FIELDS[setting]] = value;
      return true;
    default:
      settings[FIELDS[setting]] = value;
      return true;
  }
}

/** What a listed format still needs from Settings (a setting with no default that works everywhere). */
export function journalFormatProblems(settings: JournalFormatSettings): { setting: JournalFormatSettingName; message: string }[] {
  const problems: { setting: JournalFormatSettingName; message: string }[] = [];
  if (settings.formats.includes('OracleFBDI') && settings.oracleLedger === '') problems.push({ setting: 'OracleLedger', message: 'JournalFormats lists OracleFBDI but Settings has no OracleLedger: add the ledger name (LEDGER_NAME), e.g. US Primary Ledger' });
  if (settings.formats.includes('SAP') && settings.sapCompanyCode === '') problems.push({ setting: 'SAPCompanyCode', message: 'JournalFormats lists SAP but Settings has no SAPCompanyCode: add the company code (BUKRS), e.g. 1000' });
  return problems;
}

/** What each setting means, with an example: the rules ReadMe shows these (typed by hand: they are not in the Setting drop-down). */
export const JOURNAL_FORMAT_SETTING_HELP: Record<JournalFormatSettingName, { meaning: string; example: string }> = {
  JournalFormats: { meaning: 'The journal files publish writes, comma-separated: Generic (the default: the journal CSV), D365, OracleFBDI, SAP, NetSuite, Xero. Type these settings by hand: they are not in the Setting drop-down list. docs/publishing.md says how to import each.', example: 'Generic, D365, OracleFBDI' },
  D365Account: { meaning: 'D365 ACCOUNTDISPLAYVALUE: {GLAccount} then {CostCenter}, joined by your ledger\'s dimension segment delimiter, in the order of its Financial dimension configuration for integrating applications. A code that contains the delimiter is refused.', example: '{GLAccount}-{CostCenter}' },
  D365JournalName: { meaning: 'D365 JOURNALNAME: a journal name of type Daily that exists in the legal entity.', example: 'GenJrn' },
  OracleSegments: { meaning: 'Oracle SEGMENT1, SEGMENT2, ... in your chart of accounts\' segment order, comma-separated: {GLAccount}, {CostCenter}, {Entity} or a fixed value (e.g. the company).', example: '101, {CostCenter}, {GLAccount}' },
  OracleClearingCostCenter: { meaning: 'Oracle: the cost center segment value of the clearing line (every segment needs a value).', example: '000' },
  OracleLedger: { meaning: 'Oracle LEDGER_NAME: needed when JournalFormats lists OracleFBDI.', example: 'US Primary Ledger' },
  OracleSource: { meaning: 'Oracle journal source (must exist); give the same to Import Journals.', example: 'Spreadsheet' },
  OracleCategory: { meaning: 'Oracle journal category (must exist).', example: 'Adjustment' },
  OracleGroupId: { meaning: 'Oracle GROUP_ID, digits; give the same to Import Journals. Empty (the default): the posting date and version, e.g. 2025013101.', example: '2025013101' },
  SAPCompanyCode: { meaning: 'SAP BUKRS, the company code: needed when JournalFormats lists SAP.', example: '1000' },
  SAPDocumentType: { meaning: 'SAP BLART, the journal entry type.', example: 'SA' },
  SAPDateFormat: { meaning: 'How SAP reads dates in your user settings (YYYY, MM or M or MMM, DD or D).', example: 'DD.MM.YYYY' },
  NetSuiteSubsidiary: { meaning: 'NetSuite Subsidiary (OneWorld accounts); empty otherwise.', example: 'Parent Company' },
  NetSuiteDateFormat: { meaning: 'How NetSuite reads dates in the importing user\'s preferences.', example: 'M/D/YYYY' },
  XeroTaxRate: { meaning: 'Xero TaxRate: the name of a no-tax rate in your organisation (region-specific).', example: 'Tax Exempt' },
  XeroTrackingCategory: { meaning: 'Xero TrackingName1: the tracking category that holds your cost centers.', example: 'Cost Center' },
};
