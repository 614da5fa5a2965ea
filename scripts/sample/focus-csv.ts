/**
 * FOCUS 1.2 rows as CSV. Amounts are built from integers and written as decimal text, so the
 * file never carries binary-float artifacts such as 0.30000000000000004.
 */

/** Money in 10^-10 USD: a quantity with 4 decimals times a unit price with 6 decimals. */
export type Amount = bigint;
/** A quantity in 10^-4 units ("24" hours is 240000n). */
export type Quantity = bigint;
/** A unit price in 10^-6 USD ("0.192" per hour is 192000n). */
export type UnitPrice = bigint;

export const AMOUNT_DIGITS = 10;
export const QUANTITY_DIGITS = 4;
export const PRICE_DIGITS = 6;
export const CENT: Amount = 10n ** 8n;

export const quantity = (units: number): Quantity => BigInt(Math.round(units * 10 ** QUANTITY_DIGITS));
export const price = (text: string): UnitPrice => parseDecimal(text, PRICE_DIGITS);
export const dollars = (text: string): Amount => parseDecimal(text, AMOUNT_DIGITS);
export const costOf = (q: Quantity, p: UnitPrice): Amount => q * p;

/** "12.5" with `digits` decimals as an integer, from text so no float is involved. */
function parseDecimal(text: string, digits: number): bigint {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match || (match[3] ?? '').length > digits) throw new Error(`bad decimal ${text}`);
  const value = BigInt(match[2] + (match[3] ?? '').padEnd(digits, '0'));
  return match[1] ? -value : value;
}

/** Integer with `digits` implied decimals as text, trailing zeros trimmed to `minDecimals`. */
export function formatDecimal(value: bigint, digits: number, minDecimals = 0): string {
  const negative = value < 0n;
  const text = (negative ? -value : value).toString().padStart(digits + 1, '0');
  let fraction = text.slice(text.length - digits).replace(/0+$/, '');
  if (fraction.length < minDecimals) fraction = fraction.padEnd(minDecimals, '0');
  return `${negative ? '-' : ''}${text.slice(0, text.length - digits)}${fraction ? '.' + fraction : ''}`;
}

export const formatAmount = (amount: Amount) => formatDecimal(amount, AMOUNT_DIGITS, 2);
export const formatQuantity = (q: Quantity) => formatDecimal(q, QUANTITY_DIGITS);
export const formatPrice = (p: UnitPrice) => formatDecimal(p, PRICE_DIGITS, 2);

/** Rounds to whole cents, half away from zero (how taxes and fees are invoiced). */
export function roundToCents(amount: Amount): Amount {
  const magnitude = amount < 0n ? -amount : amount;
  const rounded = ((magnitude + CENT / 2n) / CENT) * CENT;
  return amount < 0n ? -rounded : rounded;
}

/** FOCUS 1.2 columns written to the sample, in file order, plus the Azure resource group. */
export const SAMPLE_COLUMNS = [
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingAccountType',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'CommitmentDiscountCategory',
  'CommitmentDiscountId',
  'CommitmentDiscountName',
  'CommitmentDiscountQuantity',
  'CommitmentDiscountStatus',
  'CommitmentDiscountType',
  'CommitmentDiscountUnit',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'ContractedUnitPrice',
  'EffectiveCost',
  'InvoiceId',
  'InvoiceIssuerName',
  'ListCost',
  'ListUnitPrice',
  'PricingCategory',
  'PricingCurrency',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'RegionId',
  'RegionName',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'ServiceSubcategory',
  'SkuId',
  'SkuMeter',
  'SubAccountId',
  'SubAccountName',
  'SubAccountType',
  'Tags',
  'x_ResourceGroupName',
] as const;

export type FocusColumn = (typeof SAMPLE_COLUMNS)[number];
export type FocusRow = Partial<Record<FocusColumn, string>>;

/** One CSV field, quoted (RFC 4180) when it holds a quote, a comma or a line break. */
export function csvCell(value: string | undefined): string {
  if (value === undefined || value === '') return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The rows as RFC 4180 CSV with a header, `\n` line ends and a final newline. */
export function toCsv(rows: readonly FocusRow[]): string {
  const lines = [SAMPLE_COLUMNS.join(',')];
  for (const row of rows) lines.push(SAMPLE_COLUMNS.map((column) => csvCell(row[column])).join(','));
  return lines.join('\n') + '\n';
}

/** Tags as FOCUS wants them: a JSON object, keys in the order given. */
export function tagsJson(tags: Record<string, string> | undefined): string {
  return tags && Object.keys(tags).length > 0 ? JSON.stringify(tags) : '';
}
