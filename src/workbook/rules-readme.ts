/**
 * The `ReadMe` sheet of the rules template: what each rule table and column means, with an
 * example, so a workbook handed to finance explains itself (docs/rules.md says the same at length).
 */
import { SETTING_NAMES } from '../core/rules';
import { JOURNAL_FORMAT_SETTING_HELP, JOURNAL_FORMAT_SETTING_NAMES } from '../core/journal-formats/settings';
import { CellValue, TableSpec } from './gateway';

const ROWS: [table: string, column: string, meaning: string, example: string][] = [
  ['(all)', '', 'Fill in the tables on the other sheets, then run: chargeback run --costs EXPORTS --rules THIS.xlsx --out BOOK.xlsx. Rows are read top to bottom; a blank row is skipped; every problem is reported at once with its table and row.', ''],
  ['CostCenters', 'CostCenter', 'Who can be charged: one row per cost center. Replace the example CC-100 with your own.', 'CC-100'],
  ['CostCenters', 'Name, Owner', 'Shown on the statement and in the journal description.', 'Payments team, pay-lead@contoso.com'],
  ['CostCenters', 'GLAccount', 'The ledger account the journal debits for this cost center.', '6100'],
  ['CostCenters', 'Budget', 'Monthly budget in the billing currency (optional): the statement shows the variance.', '10000'],
  ['CostCenters', 'Parent', 'The cost center (department, business unit) this one rolls up to in the published facts and the Power BI report (optional). A parent is listed as a cost center itself; a circle of parents is refused.', 'DEPT-ENG'],
  ['Mappings', 'Dimension', 'The FOCUS column to look at (SubAccountName, ServiceName, RegionId, ...), an x_ provider column, or Tag:<key>.', 'Tag:costcenter'],
  ['Mappings', 'Pattern', 'A case-insensitive glob over the whole value: * any run of characters, ? one character.', 'team-pay*'],
  ['Mappings', 'CostCenter', 'Where a matching cost goes. {value} means the matched value itself is the cost center code. First match wins.', '{value}'],
  ['SharedPools', 'Pool, Dimension, Pattern', 'Shared cost to split (matched like Mappings, and before them). A cost goes to the first pool that matches.', 'Network, ServiceCategory, Networking'],
  ['SharedPools', 'Method', 'Even (equal shares), Proportional (to each target\'s direct cost), Fixed (FixedSplits percents), Driver (Drivers quantities).', 'Proportional'],
  ['SharedPools', 'Driver', 'For a Driver pool: the driver whose quantities split it.', 'headcount'],
  ['SharedPools', 'Targets', '* for every cost center, or a comma-separated list of cost centers.', 'CC-100, CC-200'],
  ['FixedSplits', 'Pool, CostCenter, Percent', 'For a Fixed pool: each cost center\'s percent; a pool\'s percents add up to 100.', 'Security, CC-100, 60'],
  ['Drivers', 'Driver, CostCenter, Quantity', 'For a Driver pool: each cost center\'s quantity of the driver (zero or more).', 'headcount, CC-100, 12'],
  ['Budgets', 'CostCenter, Period, Amount, Kind', 'Budgets pushed to Azure Cost Management (chargeback budgets plan|apply): a cost center\'s monthly Budget or Forecast, for a month (YYYY-MM), a range (YYYY-MM..YYYY-MM) or open-ended. Allocation does not read it.', 'CC-100, 2026-11, 12000, Budget'],
  ['Budgets', 'Scope, Filter, Thresholds, Contacts', 'Where the budget goes (/subscriptions/{id}, …; default Settings BudgetScope), which spend it counts (default: from the cost center\'s Mappings), alert thresholds, and who is told.', '/subscriptions/…, Tag:costcenter = CC-100, Actual 80%, owner@example.com'],
  ['Settings', 'Metric', 'EffectiveCost (amortized, for accrual; the default) or BilledCost (as invoiced).', 'EffectiveCost'],
  ['Settings', 'Unallocated', 'The cost center code for cost no rule matches; shown as its own line, never hidden.', 'UNALLOCATED'],
  ['Settings', 'UnusedCommitments', 'Unused reservations and savings plans: Owner (mapped like any cost), Proportional, or a cost center code.', 'Owner'],
  ['Settings', 'ClearingAccount', 'The GL account the journal credits (the cloud bill\'s clearing account).', '2990'],
  ['Settings', 'UnallocatedAccount', 'The GL account the journal debits for unallocated cost (unless CostCenters lists the unallocated code with its own).', '6190'],
  ['Settings', 'Period', 'YYYY-MM: the billing period to charge when the data holds several (or give --period).', '2026-10'],
  ['Settings', 'UnallocatedThreshold', 'Percent of the total above which unallocated cost is flagged as a warning in Review (it does not block approval).', '5'],
  ['Settings', 'VarianceThreshold', 'Percent change against budget or last approved period that the review flags.', '10'],
  ['Settings', 'BudgetScope', 'The Azure scope budgets go to when a Budgets row names none; --scope overrides it.', '/subscriptions/00000000-0000-0000-0000-000000000000'],
  ['Rates', 'Period, FromCurrency, ToCurrency', 'Exchange rates from a billing currency to the ReportingCurrency, one per period and pair (finance\'s treasury rates: month-end or average, as its policy says). Read only when a period is billed in another currency than the reporting one; a missing rate stops the run and names the period and pair.', '2026-10, EUR, USD'],
  ['Rates', 'Rate, Source', '1 FromCurrency = Rate ToCurrency, as an exact decimal above zero (type it as text to keep every digit); Source says where it came from and is shown beside each converted line.', '1.0825, ECB month-end'],
  ['Settings', 'ReportingCurrency', 'The currency the chargeback is in when the bill comes in several (EUR, USD, JPY…): each line is converted exactly at its Rates rate and the statement rounded once. Empty: the data\'s only billing currency.', 'USD'],
  ['Settings', 'ExchangeRates', 'Rates (the Rates table; the default) or Provider: the provider\'s own rate on each FOCUS row (Azure x_BillingExchangeRate, when x_PricingCurrency is the ReportingCurrency), the Rates table where a row has none.', 'Rates'],
  ['Settings', 'JournalCurrency', 'Reporting (one journal in the ReportingCurrency; the default) or Billing (one balanced journal per billing currency, for entities that book in their own currency).', 'Reporting'],
  ['Settings', 'RateChangeThreshold', 'Percent a period\'s exchange rate may move against the last approved period\'s before the review flags it.', '5'],
  ['Settings', 'AllowSelfApproval', 'Not a workbook setting: whether the person who pulled or allocated the period may approve it too is the administrator\'s policy (chargeback.config.json for the add-in, the policy file for the command line). A book may say No; Yes is refused.', 'No'],
  ['Settings', 'RestatementJournal', 'When a published period is run again and published (a restatement): Difference (the default) posts only what changed per cost center and GL account against the last published version; Reverse and repost reverses the last version in full and posts the new one.', 'Difference'],
  ['Settings', 'RestatementPeriod', 'Which period a restatement\'s journal posts in: Restated (the default: the restated month itself), Open (the month it is published in, as a prior-period adjustment, for a ledger that has closed the month), or an open period YYYY-MM.', 'Restated'],
  ...JOURNAL_FORMAT_SETTING_NAMES.map((name): [string, string, string, string] => ['Settings', name, JOURNAL_FORMAT_SETTING_HELP[name].meaning, JOURNAL_FORMAT_SETTING_HELP[name].example]),
];

/** Settings the ReadMe does not explain (a test keeps this empty; the command line must not crash over it). */
export function settingsUnexplained(): string[] {
  return SETTING_NAMES.filter((name) => !ROWS.some(([table, column]) => table === 'Settings' && column === name));
}

export function rulesReadMeTable(): TableSpec {
  return {
    name: 'ReadMe',
    columns: [
      { header: 'Table', width: 14 },
      { header: 'Column', width: 26 },
      { header: 'What it means', width: 100 },
      { header: 'Example', width: 34 },
    ],
    rows: ROWS.map((row): CellValue[] => [...row]),
  };
}
