/**
 * The cells of a Budgets row, read into what Cost Management takes: the period as start and end
 * dates, the thresholds and contacts as notifications. Each reader returns the value or a message
 * saying what is wrong with the cell; the caller names the row and column.
 */
import { isBillingPeriod } from '../core/period';
import { BudgetNotification, THRESHOLD_TYPES, ThresholdType } from './budget';

export type Read<T> = { value: T } | { problem: string };

// ---- Months --------------------------------------------------------------------------------

/** A month as a count (year × 12 + month − 1), so months compare and add as numbers. */
export function monthIndex(period: string): number {
  return Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7)) - 1;
}

export function monthOf(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export const firstDayOf = (period: string) => `${period}-01T00:00:00Z`;

export function lastDayOf(period: string): string {
  const next = monthOf(monthIndex(period) + 1);
  const last = new Date(Date.parse(`${next}-01T00:00:00Z`) - 86_400_000);
  return `${last.toISOString().slice(0, 10)}T00:00:00Z`;
}

/** Cost Management's first month: "Budget start date must be on or after June 1, 2017" (the model). */
export const FIRST_BUDGET_MONTH = '2017-06';
/** "Future start date should not be more than twelve months" (the model). */
export const MONTHS_AHEAD = 12;

export interface BudgetPeriod {
  /** `YYYY-MM` of the first month; undefined for an open budget (from the current month on). */
  from?: string;
  /** `YYYY-MM` of the last month; undefined when open-ended. */
  to?: string;
}

/** A period cell: text `YYYY-MM`, an Excel date on the first of a month, or a date string. */
function monthText(value: unknown): string | undefined {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined;
    return value.getUTCDate() === 1 ? value.toISOString().slice(0, 7) : `not-first:${value.toISOString().slice(0, 10)}`;
  }
  const text = String(value).trim();
  if (isBillingPeriod(text)) return text;
  const date = /^(\d{4}-\d{2})-(\d{2})(?:T00:00:00(?:\.000)?Z?)?$/.exec(text);
  if (date) return date[2] === '01' ? date[1] : `not-first:${text.slice(0, 10)}`;
  return undefined;
}

const RANGE = /^(.+?)\s*(?:\.\.|\bto\b|–|—|\s-\s)\s*(.+)$/i;

/** `YYYY-MM` (that month only), `YYYY-MM..YYYY-MM` (a range), or empty (every month from now on). */
export function readPeriod(value: unknown): Read<BudgetPeriod> {
  if (value === null || value === undefined || String(value).trim() === '') return { value: {} };
  const range = value instanceof Date ? undefined : RANGE.exec(String(value).trim());
  const parts = range ? [range[1], range[2]] : [value];
  const months: string[] = [];
  for (const part of parts) {
    const month = monthText(part);
    if (month === undefined) return { problem: `Period "${String(value)}" is not YYYY-MM or a range YYYY-MM..YYYY-MM` };
    if (month.startsWith('not-first:')) return { problem: `a budget starts on the first of a month: write the Period as YYYY-MM, not ${month.slice(10)}` };
    months.push(month);
  }
  const [from, to = from] = months;
  if (monthIndex(to) < monthIndex(from)) return { problem: `Period ${from}..${to} ends before it starts` };
  return { value: { from, to } };
}

/** Start-date rules Azure enforces, checked before anything is sent. */
export function startDateProblem(from: string, currentMonth: string): string | undefined {
  if (monthIndex(from) < monthIndex(FIRST_BUDGET_MONTH)) return `a budget cannot start before ${FIRST_BUDGET_MONTH} (Cost Management's first month), not ${from}`;
  if (monthIndex(from) > monthIndex(currentMonth) + MONTHS_AHEAD) {
    return `a budget cannot start more than ${MONTHS_AHEAD} months ahead: ${from} is after ${monthOf(monthIndex(currentMonth) + MONTHS_AHEAD)}`;
  }
  return undefined;
}

// ---- Thresholds ----------------------------------------------------------------------------

export interface Threshold {
  type: ThresholdType;
  /** Percent of the budget amount, at most two decimals. */
  percent: number;
}

/** Used when a row leaves Thresholds empty: warn at 80 % and 100 % of actual cost and when the forecast passes 100 %. */
export const DEFAULT_THRESHOLDS = 'Actual 80%, Actual 100%, Forecasted 100%';

/** "Budget can have up to 5 notifications with thresholdType: Actual and 5 … Forecasted" (the model). */
export const NOTIFICATIONS_PER_TYPE = 5;
/** "Must be between 0 and 1000" (the model), percent with at most 2 decimals. */
export const MAX_THRESHOLD = 1000;

const THRESHOLD = /^(?:([A-Za-z]+)\s+)?(\d+(?:\.\d+)?)\s*%?(?:\s+([A-Za-z]+))?$/;

/** `Actual 80%, Forecasted 100%` (a bare `90%` is Actual). */
export function readThresholds(value: unknown): Read<Threshold[]> {
  const text = value === null || value === undefined || String(value).trim() === '' ? DEFAULT_THRESHOLDS : String(value);
  const thresholds: Threshold[] = [];
  for (const item of text.split(/[,;\n]/).map((t) => t.trim()).filter(Boolean)) {
    const match = THRESHOLD.exec(item);
    if (!match || (match[1] && match[3])) return { problem: `"${item}" is not a threshold: write Actual 80% or Forecasted 100%` };
    const word = match[1] ?? match[3] ?? 'Actual';
    const type = THRESHOLD_TYPES.find((t) => t.toLowerCase() === word.toLowerCase());
    if (!type) {
      if (word.toLowerCase() === 'forecast') return { problem: `write Forecasted, not Forecast ("${item}"): Forecasted is Cost Management's name for a threshold on forecast cost` };
      return { problem: `"${word}" in "${item}" is not a threshold type: use Actual or Forecasted` };
    }
    const percent = Number(match[2]);
    if (!/^\d+(\.\d{1,2})?$/.test(match[2]) || percent > MAX_THRESHOLD) return { problem: `threshold ${match[2]}% must be between 0 and ${MAX_THRESHOLD} with at most 2 decimals` };
    if (thresholds.some((t) => t.type === type && t.percent === percent)) return { problem: `threshold ${type} ${match[2]}% is listed twice` };
    thresholds.push({ type, percent });
  }
  for (const type of THRESHOLD_TYPES) {
    const count = thresholds.filter((t) => t.type === type).length;
    if (count > NOTIFICATIONS_PER_TYPE) return { problem: `${count} ${type} thresholds: a budget has at most ${NOTIFICATIONS_PER_TYPE} notifications of each type` };
  }
  if (thresholds.length === 0) return { problem: 'no thresholds: a budget alerts nobody without one' };
  return { value: thresholds };
}

// ---- Contacts ------------------------------------------------------------------------------

export interface Contacts {
  emails: string[];
  /** Action groups, as full Azure resource ids. */
  actionGroups: string[];
}

/** The model's "@maxItems(50)" on contactEmails and contactGroups. */
export const MAX_CONTACTS = 50;

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;
const ACTION_GROUP = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/microsoft\.insights\/actionGroups\/[^/]+$/i;

export const isEmail = (text: string) => EMAIL.test(text.trim());

/** Emails and action-group resource ids, separated by commas, semicolons or spaces. */
export function readContacts(value: unknown): Read<Contacts> {
  const contacts: Contacts = { emails: [], actionGroups: [] };
  const text = value === null || value === undefined ? '' : String(value);
  for (const item of text.split(/[,;\s]+/).filter(Boolean)) {
    if (EMAIL.test(item)) contacts.emails.push(item);
    else if (ACTION_GROUP.test(item)) contacts.actionGroups.push(item);
    else return { problem: `"${item}" is neither an email address nor an action group (/subscriptions/…/resourceGroups/…/providers/microsoft.insights/actionGroups/NAME)` };
  }
  if (contacts.emails.length > MAX_CONTACTS || contacts.actionGroups.length > MAX_CONTACTS) return { problem: `at most ${MAX_CONTACTS} emails and ${MAX_CONTACTS} action groups` };
  return { value: contacts };
}

/** One notification per threshold, keyed as the Azure portal keys them (`Actual_GreaterThan_80_Percent`). */
export function notificationsFor(thresholds: readonly Threshold[], contacts: Contacts): Record<string, BudgetNotification> {
  const notifications: Record<string, BudgetNotification> = {};
  for (const { type, percent } of thresholds) {
    const key = `${type}_GreaterThan_${String(percent).replace('.', '_')}_Percent`;
    notifications[key] = {
      enabled: true,
      operator: 'GreaterThan',
      threshold: percent,
      thresholdType: type,
      contactEmails: [...contacts.emails],
      ...(contacts.actionGroups.length > 0 ? { contactGroups: [...contacts.actionGroups] } : {}),
    };
  }
  return notifications;
}
