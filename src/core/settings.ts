/**
 * The Settings rule table: each setting's name, what it may say, and its default. Every name is
 * explained to the user in the rules workbook's ReadMe (src/workbook/rules-readme.ts).
 */
import { CostMetric } from './focus';
import { isBillingPeriod } from './period';
import { currencyProblem } from './currency';
import type { ExchangeRateSource } from './conversion';
import { RESTATEMENT_JOURNALS, RestatementJournal, RestatementPeriod } from './restatement';
import type { RuleProblem } from './rules';
import { costCenterCodeProblem } from './cost-center-code';
import { JOURNAL_FORMAT_DEFAULTS, JOURNAL_FORMAT_SETTING_NAMES, JournalFormatSettings, journalFormatProblems, readJournalFormatSetting } from './journal-formats/settings';

export const SETTING_NAMES = [
  'Metric',
  'Unallocated',
  'UnusedCommitments',
  'ClearingAccount',
  'UnallocatedAccount',
  'Period',
  'UnallocatedThreshold',
  'VarianceThreshold',
  'BudgetScope',
  'AllowSelfApproval',
  'ReportingCurrency',
  'ExchangeRates',
  'JournalCurrency',
  'RateChangeThreshold',
  'RestatementJournal',
  'RestatementPeriod',
] as const;

/**
 * Where unused commitment cost goes: `Owner` (mapped like any cost), `Proportional` (a pool spread
 * by direct cost) or one cost center. A union, so no code can be mistaken for a sentinel.
 */
export type UnusedCommitments = 'Owner' | 'Proportional' | { costCenter: string };

export interface Settings {
  metric: CostMetric;
  unallocated: string;
  unusedCommitments: UnusedCommitments;
  clearingAccount?: string;
  /** GL account the journal debits for unallocated cost (unless CostCenters lists the unallocated code with its own). */
  unallocatedAccount?: string;
  period?: string;
  /** Percent of the total above which unallocated cost needs a reviewer's look. */
  unallocatedThreshold: number;
  /** Percent change against budget or last period that needs a reviewer's look. */
  varianceThreshold: number;
  /** Where Cost Management budgets go when a Budgets row names no Scope. */
  budgetScope?: string;
  /** The currency the statement is in when the bill comes in several (or another) currencies; unset: the data's only currency. */
  reportingCurrency?: string;
  /** Rates from the Rates table, or the provider's own rate on the FOCUS rows where they carry one. */
  exchangeRateSource: ExchangeRateSource;
  /** One journal in the reporting currency, or one per billing currency (entities that book in their own). */
  journalCurrency: 'Reporting' | 'Billing';
  /** Percent a rate may move against the last approved period's before the review flags it. */
  rateChangeThreshold: number;
  /** How a restatement of a published period posts: the difference (default) or a reversal plus the new version. */
  restatementJournal?: RestatementJournal;
  /** Which period a restatement posts in: the restated one (default), the open one, or a named one. */
  restatementPeriod?: RestatementPeriod;
  /** The ERP journal files to publish and how each ERP spells an account; unset: the Generic journal only (journal-formats/settings.ts). */
  journalFormats?: JournalFormatSettings;
}

/** A Settings row as validated: its name, its value (trimmed text) and its worksheet row. */
export interface SettingRow {
  Setting: string;
  Value: string;
  row: number;
}

/** The Settings table's rows as Settings, defaults for what is not set; each bad row is a problem (all of them at once). */
export function readSettings(rows: readonly SettingRow[], problems: RuleProblem[]): Settings {
  const settings: Settings = {
    metric: 'EffectiveCost',
    unallocated: 'UNALLOCATED',
    unusedCommitments: 'Owner',
    unallocatedThreshold: 5,
    varianceThreshold: 10,
    exchangeRateSource: 'Rates',
    journalCurrency: 'Reporting',
    rateChangeThreshold: 5,
  };
  let journalFormatsRow = 0;
  for (const row of rows) {
    const name = SETTING_NAMES.find((n) => n.toLowerCase() === row.Setting.toLowerCase());
    const bad = (message: string) => problems.push({ table: 'Settings', row: row.row, column: 'Value', message });
    // ERP journal settings (issue 31): read by their own module, outside the drop-down list.
    if (!name && JOURNAL_FORMAT_SETTING_NAMES.some((n) => n.toLowerCase() === row.Setting.toLowerCase())) {
      settings.journalFormats ??= { ...JOURNAL_FORMAT_DEFAULTS };
      readJournalFormatSetting(row.Setting, row.Value, settings.journalFormats, bad);
      if (row.Setting.toLowerCase() === 'journalformats') journalFormatsRow = row.row;
      continue;
    }
    if (!name) {
      problems.push({ table: 'Settings', row: row.row, column: 'Setting', message: `unknown setting "${row.Setting}": use ${SETTING_NAMES.join(', ')}` });
      continue;
    }
    const value = row.Value;
    if (value === '') continue;
    switch (name) {
      case 'Metric':
        if (value.toLowerCase() === 'effectivecost') settings.metric = 'EffectiveCost';
        else if (value.toLowerCase() === 'billedcost') settings.metric = 'BilledCost';
        else bad(`Metric must be EffectiveCost or BilledCost, not "${value}"`);
        break;
      case 'Unallocated':
        if (costCenterCodeProblem(value)) bad(costCenterCodeProblem(value)!);
        else settings.unallocated = value.normalize('NFC');
        break;
      case 'UnusedCommitments':
        settings.unusedCommitments = value.toLowerCase() === 'owner' ? 'Owner' : value.toLowerCase() === 'proportional' ? 'Proportional' : { costCenter: value };
        if (typeof settings.unusedCommitments === 'object' && costCenterCodeProblem(value)) bad(costCenterCodeProblem(value)!);
        break;
      case 'ClearingAccount':
        settings.clearingAccount = value;
        break;
      case 'UnallocatedAccount':
        settings.unallocatedAccount = value;
        break;
      case 'Period':
        if (isBillingPeriod(value)) settings.period = value;
        else bad(`Period must be YYYY-MM, not "${value}"`);
        break;
      case 'BudgetScope':
        settings.budgetScope = value;
        break;
      case 'AllowSelfApproval':
        // The administrator's, outside the book (src/core/approval-policy.ts): a book may say No, never Yes.
        if (!/^(no|false|off)$/i.test(value)) bad(`AllowSelfApproval is set by your administrator, not by the workbook (a book's Settings cannot allow the preparer to approve): remove this row`);
        break;
      case 'ReportingCurrency': {
        const problem = currencyProblem(value);
        if (problem) bad(problem.replace('BillingCurrency', 'ReportingCurrency'));
        else settings.reportingCurrency = value;
        break;
      }
      case 'ExchangeRates':
        if (/^rates$/i.test(value)) settings.exchangeRateSource = 'Rates';
        else if (/^provider$/i.test(value)) settings.exchangeRateSource = 'Provider';
        else bad(`ExchangeRates must be Rates (the Rates table) or Provider (the provider's rate on the cost data, else the Rates table), not "${value}"`);
        break;
      case 'JournalCurrency':
        if (/^reporting$/i.test(value)) settings.journalCurrency = 'Reporting';
        else if (/^billing$/i.test(value)) settings.journalCurrency = 'Billing';
        else bad(`JournalCurrency must be Reporting (one journal) or Billing (one journal per billing currency), not "${value}"`);
        break;
      case 'RestatementJournal': {
        const form = RESTATEMENT_JOURNALS.find((f) => f.toLowerCase() === value.toLowerCase());
        if (form) settings.restatementJournal = form;
        else bad(`RestatementJournal must be ${RESTATEMENT_JOURNALS.join(' or ')}, not "${value}"`);
        break;
      }
      case 'RestatementPeriod':
        if (/^restated$/i.test(value)) settings.restatementPeriod = 'Restated';
        else if (/^open$/i.test(value)) settings.restatementPeriod = 'Open';
        else if (isBillingPeriod(value)) settings.restatementPeriod = { period: value };
        else bad(`RestatementPeriod must be Restated, Open or an open period YYYY-MM, not "${value}"`);
        break;
      case 'UnallocatedThreshold':
      case 'VarianceThreshold':
      case 'RateChangeThreshold': {
        const percent = Number(value.replace(/%$/, ''));
        if (!Number.isFinite(percent) || percent < 0) bad(`${name} must be a percent, not "${value}"`);
        else if (name === 'UnallocatedThreshold') settings.unallocatedThreshold = percent;
        else if (name === 'RateChangeThreshold') settings.rateChangeThreshold = percent;
        else settings.varianceThreshold = percent;
        break;
      }
    }
  }
  for (const problem of settings.journalFormats ? journalFormatProblems(settings.journalFormats) : []) problems.push({ table: 'Settings', row: journalFormatsRow, column: 'Value', message: problem.message });
  return settings;
}
