/**
 * One billing period of the sample estate as FOCUS rows: daily usage per resource, commitment
 * discounts (used, unused and the monthly purchase), support plans, credits, taxes, and in
 * October a correction of a September charge and a refund.
 */
import { Amount, formatDecimal, costOf, dollars, FocusRow, formatAmount, formatPrice, formatQuantity, Quantity, roundToCents, tagsJson, UnitPrice } from './focus-csv';
import { AWS, AZURE, GCP, Provider, SUB_ACCOUNTS, SubAccount } from './catalog';
import { allResources, AZURE_RESERVATION, AWS_SAVINGS_PLAN, Commitment, Day, Resource } from './estate';
import { digitsFor, Random } from './random';

const HOURS_PER_DAY: Quantity = 240000n;

interface Month {
  period: string;
  start: string;
  end: string;
  days: Day[];
}

export function monthOf(period: string): Month {
  const [year, month] = period.split('-').map(Number);
  const first = Date.UTC(year, month - 1, 1);
  const next = Date.UTC(year, month, 1);
  const days: Day[] = [];
  for (let t = first, index = 0; t < next; t += 86_400_000, index++) {
    const date = new Date(t);
    days.push({ date: date.toISOString().slice(0, 10), index, daysInMonth: Math.round((next - first) / 86_400_000), weekend: date.getUTCDay() === 0 || date.getUTCDay() === 6 });
  }
  return { period, start: iso(first), end: iso(next), days };
}

const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
const dayStart = (date: string) => `${date}T00:00:00Z`;
const dayEnd = (date: string) => iso(Date.parse(`${date}T00:00:00Z`) + 86_400_000);

function accountColumns(provider: Provider, sub: SubAccount | undefined, month: Month): FocusRow {
  return {
    BillingAccountId: provider.billingAccountId,
    BillingAccountName: provider.billingAccountName,
    BillingAccountType: provider.billingAccountType,
    BillingCurrency: provider.billingCurrency ?? 'USD',
    BillingPeriodStart: month.start,
    BillingPeriodEnd: month.end,
    InvoiceId: `${provider.invoicePrefix}${digitsFor(`${provider.providerName}:${month.period}`, 9)}`,
    InvoiceIssuerName: provider.invoiceIssuerName,
    ProviderName: provider.providerName,
    PublisherName: provider.publisherName,
    PricingCurrency: provider.billingCurrency ?? 'USD',
    SubAccountId: sub?.id,
    SubAccountName: sub?.name,
    SubAccountType: sub ? provider.subAccountType : undefined,
  };
}

function resourceColumns(resource: Resource): FocusRow {
  const { meter } = resource;
  return {
    RegionId: resource.region.id,
    RegionName: resource.region.name,
    ResourceId: resource.id,
    ResourceName: resource.name,
    ResourceType: meter.resourceType,
    ServiceName: meter.serviceName,
    ServiceCategory: meter.serviceCategory,
    ServiceSubcategory: meter.serviceSubcategory,
    SkuId: resource.sub.provider.skuId(meter.sku),
    SkuMeter: meter.sku,
    Tags: tagsJson(resource.tags),
    x_ResourceGroupName: resource.resourceGroup,
  };
}

const contractedPrice = (provider: Provider, list: UnitPrice) => (list * provider.contractedPercent) / 100n;

/** Money columns of a charge whose cost is the same amount in every figure (tax, credit, fee). */
const flatCost = (amount: Amount): FocusRow => {
  const text = formatAmount(amount);
  return { BilledCost: text, EffectiveCost: text, ListCost: text, ContractedCost: text };
};

function chargePeriod(start: string, end: string): FocusRow {
  return { ChargePeriodStart: start, ChargePeriodEnd: end };
}

/** What was spent, per resource and per sub-account, to price support, credits and tax. */
class MonthTotals {
  readonly billedByResource = new Map<Resource, Amount>();
  readonly billedBySub = new Map<SubAccount, Amount>();
  readonly billedByProvider = new Map<Provider, Amount>();

  add(sub: SubAccount | undefined, provider: Provider, billed: Amount, resource?: Resource): void {
    if (resource) this.billedByResource.set(resource, (this.billedByResource.get(resource) ?? 0n) + billed);
    if (sub) this.billedBySub.set(sub, (this.billedBySub.get(sub) ?? 0n) + billed);
    this.billedByProvider.set(provider, (this.billedByProvider.get(provider) ?? 0n) + billed);
  }
}

export function focusMonth(period: string): FocusRow[] {
  const month = monthOf(period);
  const resources = allResources().filter((r) => (r.since ?? period) <= period);
  const totals = new MonthTotals();
  const rows: FocusRow[] = [];
  const randoms = new Map(resources.map((r) => [r, new Random(`${period}:${r.id}:${r.meter.sku}`)]));
  const commitments = [AZURE_RESERVATION, AWS_SAVINGS_PLAN];

  for (const day of month.days) {
    const used = new Map<Commitment, Amount>(commitments.map((c) => [c, 0n]));
    for (const resource of resources) {
      const quantity = resource.usage(day, randoms.get(resource)!);
      if (quantity === undefined || quantity <= 0n) continue;
      const row = usageRow(month, day, resource, quantity);
      rows.push(row.row);
      totals.add(resource.sub, resource.sub.provider, row.billed, resource);
      if (resource.commitment) used.set(resource.commitment, used.get(resource.commitment)! + row.commitmentUse);
    }
    for (const commitment of commitments) rows.push(unusedRow(month, day, commitment, used.get(commitment)!));
  }

  for (const commitment of commitments) {
    const row = purchaseRow(month, commitment);
    rows.push(row);
    totals.add(commitment.sub, commitment.provider, dailyCommitment(commitment) * BigInt(month.days.length));
  }
  rows.push(...supportRows(month, totals));
  rows.push(...creditRows(month, totals));
  if (period === '2026-10') rows.push(...octoberCorrections(month, resources, totals));
  rows.push(...taxRows(month, totals));
  return rows;
}

function usageRow(month: Month, day: Day, resource: Resource, quantity: Quantity): { row: FocusRow; billed: Amount; commitmentUse: Amount } {
  const { meter } = resource;
  const provider = resource.sub.provider;
  const contracted = contractedPrice(provider, meter.listPrice);
  const commitment = resource.commitment;
  const coveredPrice = commitment?.coveredPrice(meter);
  const billed = commitment ? 0n : costOf(quantity, contracted);
  const effective = coveredPrice === undefined ? billed : costOf(quantity, coveredPrice);
  const row: FocusRow = {
    ...accountColumns(provider, resource.sub, month),
    ...resourceColumns(resource),
    ...chargePeriod(dayStart(day.date), dayEnd(day.date)),
    ChargeCategory: 'Usage',
    ChargeDescription: meter.description,
    ChargeFrequency: 'Usage-Based',
    PricingCategory: commitment ? 'Committed' : (resource.pricingCategory ?? 'Standard'),
    PricingQuantity: formatQuantity(quantity),
    PricingUnit: meter.pricingUnit,
    ConsumedQuantity: formatQuantity(quantity),
    ConsumedUnit: meter.consumedUnit,
    ListUnitPrice: formatPrice(meter.listPrice),
    ContractedUnitPrice: formatPrice(contracted),
    ListCost: formatAmount(costOf(quantity, meter.listPrice)),
    ContractedCost: formatAmount(costOf(quantity, contracted)),
    BilledCost: formatAmount(billed),
    EffectiveCost: formatAmount(effective),
  };
  if (!commitment) return { row, billed, commitmentUse: 0n };
  Object.assign(row, commitmentColumns(commitment), {
    CommitmentDiscountStatus: 'Used',
    CommitmentDiscountQuantity: commitment.category === 'Usage' ? formatQuantity(quantity) : formatAmount(effective),
  });
  return { row, billed, commitmentUse: commitment.category === 'Usage' ? quantity : effective };
}

function commitmentColumns(commitment: Commitment): FocusRow {
  return {
    CommitmentDiscountId: commitment.id,
    CommitmentDiscountName: commitment.name,
    CommitmentDiscountCategory: commitment.category,
    CommitmentDiscountType: commitment.type,
    CommitmentDiscountUnit: commitment.category === 'Usage' ? 'Hours' : 'USD',
  };
}

/** A day's commitment in money: capacity hours at the reservation rate, or the hourly spend. */
function dailyCommitment(commitment: Commitment): Amount {
  return commitment.category === 'Usage'
    ? costOf(HOURS_PER_DAY * commitment.units, commitment.hourlyCommitment)
    : costOf(HOURS_PER_DAY, commitment.hourlyCommitment);
}

/** The part of the day's commitment nothing used: FOCUS puts it on the commitment itself. */
function unusedRow(month: Month, day: Day, commitment: Commitment, used: Amount): FocusRow {
  const usage = commitment.category === 'Usage';
  const unusedQuantity = usage ? HOURS_PER_DAY * commitment.units - used : 0n;
  const unused = usage ? costOf(unusedQuantity, commitment.hourlyCommitment) : dailyCommitment(commitment) - used;
  if (unused < 0n) throw new Error(`${commitment.name} is over-used on ${day.date}: lower the covered usage`);
  return {
    ...accountColumns(commitment.provider, commitment.sub, month),
    ...commitmentRowColumns(commitment),
    ...chargePeriod(dayStart(day.date), dayEnd(day.date)),
    ChargeCategory: 'Usage',
    ChargeDescription: `Unused ${commitment.type.toLowerCase()}: ${commitment.name}`,
    ChargeFrequency: 'Usage-Based',
    PricingCategory: 'Committed',
    PricingQuantity: usage ? formatQuantity(unusedQuantity) : formatAmount(unused),
    PricingUnit: usage ? 'Hours' : 'USD',
    CommitmentDiscountStatus: 'Unused',
    CommitmentDiscountQuantity: usage ? formatQuantity(unusedQuantity) : formatAmount(unused),
    BilledCost: '0.00',
    EffectiveCost: formatAmount(unused),
    ListCost: formatAmount(unused),
    ContractedCost: formatAmount(unused),
  };
}

function commitmentRowColumns(commitment: Commitment): FocusRow {
  return {
    ...commitmentColumns(commitment),
    RegionId: commitment.region.id,
    RegionName: commitment.region.name,
    ResourceId: commitment.id,
    ResourceName: commitment.name,
    ResourceType: commitment.type,
    ServiceName: commitment.meter.serviceName,
    ServiceCategory: commitment.meter.serviceCategory,
    ServiceSubcategory: commitment.meter.serviceSubcategory,
    SkuId: commitment.provider.skuId(`${commitment.type}:${commitment.name}`),
  };
}

/** The monthly payment for the commitment: billed now, amortized into the used and unused rows. */
function purchaseRow(month: Month, commitment: Commitment): FocusRow {
  const fee = dailyCommitment(commitment) * BigInt(month.days.length);
  return monthlyFee(month, commitment.provider, commitment.sub, fee, {
    ...commitmentRowColumns(commitment),
    EffectiveCost: '0.00',
    ChargeDescription: `Monthly payment: ${commitment.name}`,
    CommitmentDiscountQuantity: commitment.category === 'Usage' ? formatQuantity(HOURS_PER_DAY * commitment.units * BigInt(month.days.length)) : formatAmount(fee),
  });
}

function monthlyFee(month: Month, provider: Provider, sub: SubAccount | undefined, fee: Amount, fields: FocusRow): FocusRow {
  return {
    ...accountColumns(provider, sub, month),
    ...chargePeriod(month.start, month.end),
    ...flatCost(fee),
    ChargeCategory: 'Purchase',
    ChargeFrequency: 'Recurring',
    PricingCategory: 'Standard',
    PricingQuantity: '1',
    PricingUnit: 'Months',
    ListUnitPrice: formatAmount(fee),
    ContractedUnitPrice: formatAmount(fee),
    ...fields,
  };
}

/** Support plans: a flat fee on Azure, a percent of spend on AWS (Business tiers) and Google Cloud. */
function supportRows(month: Month, totals: MonthTotals): FocusRow[] {
  const aws = totals.billedByProvider.get(AWS) ?? 0n;
  const tier1 = dollars('10000');
  const awsFee = roundToCents(aws <= tier1 ? aws / 10n : tier1 / 10n + ((aws - tier1) * 7n) / 100n);
  const gcpFee = roundToCents(dollars('29') + ((totals.billedByProvider.get(GCP) ?? 0n) * 3n) / 100n);
  const support = (name: string, sku: string, description: string): FocusRow => ({
    ServiceName: name,
    ServiceCategory: 'Management and Governance',
    ServiceSubcategory: 'Support',
    ChargeDescription: description,
    SkuMeter: sku,
  });
  const rows = [
    monthlyFee(month, AZURE, undefined, dollars('100'), { ...support('Azure Support', 'Standard Support', 'Azure Standard Support plan'), SkuId: AZURE.skuId('support') }),
    monthlyFee(month, AWS, SUB_ACCOUNTS.orgManagement, awsFee, { ...support('AWS Support (Business)', 'Business Support', 'AWS Support (Business): 10% of the first $10K and 7% from $10K to $80K of monthly AWS usage'), SkuId: AWS.skuId('support') }),
    monthlyFee(month, GCP, undefined, gcpFee, { ...support('Google Cloud Support', 'Standard Support', 'Google Cloud Standard Support: $29 plus 3% of monthly spend'), SkuId: GCP.skuId('support') }),
  ];
  totals.add(undefined, AZURE, dollars('100'));
  totals.add(SUB_ACCOUNTS.orgManagement, AWS, awsFee);
  totals.add(undefined, GCP, gcpFee);
  return rows;
}

function creditRow(month: Month, provider: Provider, sub: SubAccount, amount: Amount, fields: FocusRow): FocusRow {
  return {
    ...accountColumns(provider, sub, month),
    ...chargePeriod(month.start, month.end),
    ...flatCost(amount),
    ChargeCategory: 'Credit',
    ChargeFrequency: 'One-Time',
    ...fields,
  };
}

/** Google Cloud's sustained-use discounts on always-on VMs, and an AWS promotional credit. */
function creditRows(month: Month, totals: MonthTotals): FocusRow[] {
  const rows: FocusRow[] = [];
  for (const [resource, billed] of totals.billedByResource) {
    if (!resource.sustainedUseCredit) continue;
    const credit = -((billed * 20n) / 100n);
    rows.push(creditRow(month, GCP, resource.sub, credit, { ...resourceColumns(resource), ChargeFrequency: 'Usage-Based', ChargeDescription: `Sustained use discount: ${resource.meter.sku} running in Americas` }));
    totals.add(resource.sub, GCP, credit);
  }
  const promo = dollars('-250');
  rows.push(
    creditRow(month, AWS, SUB_ACCOUNTS.mobileProd, promo, {
      ServiceName: 'Amazon Elastic Compute Cloud',
      ServiceCategory: 'Compute',
      ServiceSubcategory: 'Virtual Machines',
      ChargeDescription: 'AWS Activate promotional credit',
      RegionId: 'us-east-1',
      RegionName: 'US East (N. Virginia)',
    }),
  );
  totals.add(SUB_ACCOUNTS.mobileProd, AWS, promo);
  return rows;
}

/** October carries a correction of a September overcharge and a refund. */
function octoberCorrections(month: Month, resources: Resource[], totals: MonthTotals): FocusRow[] {
  const bucket = resources.find((r) => r.name === 'contoso-datalake-raw')!;
  const correction = -costOf(10000n * 2300n, contractedPrice(AWS, bucket.meter.listPrice)) / 30n;
  const refund = dollars('-12');
  totals.add(bucket.sub, AWS, correction);
  totals.add(SUB_ACCOUNTS.mobileProd, AWS, refund);
  return [
    {
      ...accountColumns(AWS, bucket.sub, month),
      ...resourceColumns(bucket),
      ...chargePeriod('2026-09-14T00:00:00Z', '2026-09-15T00:00:00Z'),
      ...flatCost(correction),
      ChargeCategory: 'Usage',
      ChargeClass: 'Correction',
      ChargeDescription: 'Correction: 2,300 GB of S3 storage metered twice on 2026-09-14',
      ChargeFrequency: 'Usage-Based',
      PricingCategory: 'Standard',
      PricingUnit: bucket.meter.pricingUnit,
    },
    {
      ...accountColumns(AWS, SUB_ACCOUNTS.mobileProd, month),
      ...chargePeriod(month.start, month.end),
      ...flatCost(refund),
      ChargeCategory: 'Adjustment',
      ChargeDescription: 'Refund: Route 53 domain registration cancelled within the grace period',
      ChargeFrequency: 'One-Time',
      ServiceName: 'Amazon Route 53',
      ServiceCategory: 'Networking',
      ServiceSubcategory: 'Domain Name Services',
      RegionId: 'global',
      RegionName: 'Global',
    },
  ];
}

/** Sales tax per AWS account and Google Cloud project on the month's net charges. */
function taxRows(month: Month, totals: MonthTotals): FocusRow[] {
  const rates: [Provider, bigint][] = [
    [AWS, 625n],
    [GCP, 600n],
  ];
  const rows: FocusRow[] = [];
  for (const [provider, basisPoints] of rates) {
    for (const sub of Object.values(SUB_ACCOUNTS)) {
      if (sub.provider !== provider) continue;
      const net = totals.billedBySub.get(sub) ?? 0n;
      if (net <= 0n) continue;
      const tax = roundToCents((net * basisPoints) / 10000n);
      rows.push({
        ...accountColumns(provider, sub, month),
        ...chargePeriod(month.start, month.end),
        ...flatCost(tax),
        ChargeCategory: 'Tax',
        ChargeDescription: `US sales tax ${formatDecimal(basisPoints, 2)}% on ${sub.name}`,
        ChargeFrequency: 'Recurring',
        ServiceName: 'Tax',
        ServiceCategory: 'Other',
        ServiceSubcategory: 'Other',
      });
    }
  }
  return rows;
}
