/**
 * A seeded, realistic month of FOCUS 1.2 cost data for the benchmark: the full FOCUS column set
 * plus Azure-style `x_` columns, thousands of resources across tens of subscriptions, a few
 * hundred tag combinations, usage, purchases, credits, tax and commitment discounts (used and
 * unused). Costs carry up to 10 decimals, as real exports do. The same seed gives the same bytes.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { csvCell } from '../scripts/sample/focus-csv';
import { Random } from '../scripts/sample/random';

/** FOCUS 1.2 columns, in the order the FOCUS specification lists them, then provider columns. */
export const FOCUS_COLUMNS = [
  'AvailabilityZone',
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingAccountType',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'CapacityReservationId',
  'CapacityReservationStatus',
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
  'PricingCurrencyContractedUnitPrice',
  'PricingCurrencyEffectiveCost',
  'PricingCurrencyListUnitPrice',
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
  'SkuPriceDetails',
  'SkuPriceId',
  'SubAccountId',
  'SubAccountName',
  'SubAccountType',
  'Tags',
  'x_ResourceGroupName',
  'x_BillingProfileId',
  'x_CostCenter',
] as const;

/** Teams that own subscriptions and tag resources; the bench rules map their cost center codes. */
export const BENCH_TEAMS = ['payments', 'search', 'checkout', 'identity', 'data', 'ml', 'mobile', 'web', 'platform', 'security', 'analytics', 'support'] as const;
export const teamCostCenter = (index: number) => `CC-${100 + index * 10}`;

interface Service {
  name: string;
  category: string;
  subcategory: string;
  type: string;
  provider: string;
  unit: string;
}

const SERVICES: Service[] = [
  { name: 'Virtual Machines', category: 'Compute', subcategory: 'Virtual Machines', type: 'Microsoft.Compute/virtualMachines', provider: 'Microsoft.Compute', unit: 'Hours' },
  { name: 'Azure Kubernetes Service', category: 'Compute', subcategory: 'Containers', type: 'Microsoft.ContainerService/managedClusters', provider: 'Microsoft.ContainerService', unit: 'Hours' },
  { name: 'Azure App Service', category: 'Compute', subcategory: 'Platform as a Service', type: 'Microsoft.Web/sites', provider: 'Microsoft.Web', unit: 'Hours' },
  { name: 'Azure Functions', category: 'Compute', subcategory: 'Serverless Compute', type: 'Microsoft.Web/sites', provider: 'Microsoft.Web', unit: 'Executions' },
  { name: 'Storage', category: 'Storage', subcategory: 'Object Storage', type: 'Microsoft.Storage/storageAccounts', provider: 'Microsoft.Storage', unit: 'GB-Months' },
  { name: 'Managed Disks', category: 'Storage', subcategory: 'Block Storage', type: 'Microsoft.Compute/disks', provider: 'Microsoft.Compute', unit: 'GB-Months' },
  { name: 'Azure SQL Database', category: 'Databases', subcategory: 'Relational Databases', type: 'Microsoft.Sql/servers/databases', provider: 'Microsoft.Sql', unit: 'Hours' },
  { name: 'Azure Cosmos DB', category: 'Databases', subcategory: 'NoSQL Databases', type: 'Microsoft.DocumentDB/databaseAccounts', provider: 'Microsoft.DocumentDB', unit: 'Request Units' },
  { name: 'Azure Cache for Redis', category: 'Databases', subcategory: 'Caching', type: 'Microsoft.Cache/Redis', provider: 'Microsoft.Cache', unit: 'Hours' },
  { name: 'Virtual Network', category: 'Networking', subcategory: 'Network Infrastructure', type: 'Microsoft.Network/virtualNetworks', provider: 'Microsoft.Network', unit: 'GB' },
  { name: 'Load Balancer', category: 'Networking', subcategory: 'Network Infrastructure', type: 'Microsoft.Network/loadBalancers', provider: 'Microsoft.Network', unit: 'Hours' },
  { name: 'Azure Firewall', category: 'Networking', subcategory: 'Network Security', type: 'Microsoft.Network/azureFirewalls', provider: 'Microsoft.Network', unit: 'Hours' },
  { name: 'Bandwidth', category: 'Networking', subcategory: 'Network Infrastructure', type: 'Microsoft.Network/publicIPAddresses', provider: 'Microsoft.Network', unit: 'GB' },
  { name: 'Azure Monitor', category: 'Management and Governance', subcategory: 'Observability', type: 'Microsoft.OperationalInsights/workspaces', provider: 'Microsoft.OperationalInsights', unit: 'GB' },
  { name: 'Key Vault', category: 'Security', subcategory: 'Secret Management', type: 'Microsoft.KeyVault/vaults', provider: 'Microsoft.KeyVault', unit: 'Operations' },
  { name: 'Microsoft Defender for Cloud', category: 'Security', subcategory: 'Security Posture Management', type: 'Microsoft.Security/pricings', provider: 'Microsoft.Security', unit: 'Hours' },
  { name: 'Azure OpenAI', category: 'AI and Machine Learning', subcategory: 'Generative AI', type: 'Microsoft.CognitiveServices/accounts', provider: 'Microsoft.CognitiveServices', unit: 'Tokens' },
  { name: 'Azure Machine Learning', category: 'AI and Machine Learning', subcategory: 'Machine Learning', type: 'Microsoft.MachineLearningServices/workspaces', provider: 'Microsoft.MachineLearningServices', unit: 'Hours' },
  { name: 'Event Hubs', category: 'Integration', subcategory: 'Messaging', type: 'Microsoft.EventHub/namespaces', provider: 'Microsoft.EventHub', unit: 'Hours' },
  { name: 'Azure Data Factory', category: 'Analytics', subcategory: 'Data Processing', type: 'Microsoft.DataFactory/factories', provider: 'Microsoft.DataFactory', unit: 'Runs' },
];
const REGIONS = [
  ['eastus', 'East US'],
  ['eastus2', 'East US 2'],
  ['westeurope', 'West Europe'],
  ['northeurope', 'North Europe'],
  ['westus2', 'West US 2'],
  ['southeastasia', 'Southeast Asia'],
] as const;
const ENVIRONMENTS = ['prod', 'dev', 'test', 'staging'] as const;

function guid(next: () => number): string {
  const hex = () => Math.floor(next() * 0x10000).toString(16).padStart(4, '0');
  return `${hex()}${hex()}-${hex()}-4${hex().slice(1)}-a${hex().slice(1)}-${hex()}${hex()}${hex()}`;
}

/** A cost in 1e-10 units as a decimal string with up to 10 decimals ("12.0034500000" → "12.003450000"). */
function decimal(units: number): string {
  const negative = units < 0;
  const magnitude = Math.abs(units);
  const whole = Math.floor(magnitude / 1e10);
  const fraction = (magnitude - whole * 1e10).toString().padStart(10, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? '.' + fraction : ''}`;
}

export interface GenerateOptions {
  rows: number;
  seed?: number;
  /** `YYYY-MM`; default 2026-10. */
  period?: string;
}

/** Writes `rows` FOCUS rows (plus a header) as CSV to `file`; returns the bytes written. */
export function generateFocusCsv(file: string, options: GenerateOptions): number {
  const random = new Random(options.seed ?? 42);
  const next = () => random.next();
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const [year, month] = (options.period ?? '2026-10').split('-').map(Number);
  const periodStart = new Date(Date.UTC(year, month - 1, 1));
  const periodEnd = new Date(Date.UTC(year, month, 1));
  const days = Math.round((periodEnd.getTime() - periodStart.getTime()) / 86_400_000);
  const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const billingAccountId = `/providers/Microsoft.Billing/billingAccounts/${Math.floor(next() * 1e8)}`;
  const billingProfileId = `/providers/Microsoft.Billing/billingAccounts/${Math.floor(next() * 1e8)}/billingProfiles/BP-${Math.floor(next() * 1e4)}`;

  // 40 subscriptions, owned by teams; a few are shared platform subscriptions.
  const subscriptions = Array.from({ length: 40 }, (_, i) => {
    const team = i < 4 ? 'platform' : BENCH_TEAMS[i % BENCH_TEAMS.length];
    const name = i < 4 ? ['hub-network', 'shared-services', 'security-tooling', 'connectivity'][i] : `${team}-${pick(ENVIRONMENTS)}-${i}`;
    return { id: guid(next), name, team };
  });
  // ~300 resource groups, ~350 tag combinations, 6,000 resources.
  const resourceGroups = Array.from({ length: 300 }, (_, i) => {
    const subscription = subscriptions[i % subscriptions.length];
    return { name: `rg-${subscription.team}-${i}`, subscription };
  });
  const tagCombos = Array.from({ length: 350 }, (_, i) => {
    if (i % 12 === 0) return ''; // untagged
    const team = BENCH_TEAMS.indexOf(pick(BENCH_TEAMS));
    const tags: Record<string, string> = { costcenter: teamCostCenter(team), env: pick(ENVIRONMENTS), app: `app-${i % 90}` };
    if (i % 5 === 0) tags.owner = `${BENCH_TEAMS[team]}-lead@contoso.com`;
    if (i % 29 === 0) delete tags.costcenter; // tagged, but without a cost center
    return JSON.stringify(tags);
  });
  const resources = Array.from({ length: 6000 }, (_, i) => {
    const group = resourceGroups[Math.floor(next() * next() * resourceGroups.length)];
    const service = SERVICES[Math.floor(next() * SERVICES.length)];
    const region = pick(REGIONS);
    const kind = service.type.split('/').pop()!;
    const name = `${kind.slice(0, 6).toLowerCase()}-${group.subscription.team}-${i}`;
    const id = `/subscriptions/${group.subscription.id}/resourceGroups/${group.name}/providers/${service.type}/${name}`;
    const sku = { id: `DZH318Z0${Math.floor(next() * 1e4).toString(36).toUpperCase()}`, meter: `${service.subcategory} ${pick(['D2s v5', 'E4s v5', 'P10', 'S1', 'Standard', 'Premium'])}` };
    const unitPrice = Math.floor(1e8 + next() * next() * 5e10); // 0.01 .. 5.01 per unit, in 1e-10
    return { group, service, region, name, id, sku, unitPrice, tags: tagCombos[Math.floor(next() * next() * tagCombos.length)] };
  });
  const commitments = Array.from({ length: 12 }, (_, i) => ({
    id: `/providers/Microsoft.Capacity/reservationOrders/${guid(next)}/reservations/${guid(next)}`,
    name: `ri-${pick(['D2s_v5', 'E4s_v5', 'sql-vcore'])}-${i}`,
    type: i % 3 === 0 ? 'Savings Plan' : 'Reservation',
  }));

  const header = FOCUS_COLUMNS.join(',') + '\n';
  const handle = openSync(file, 'w');
  let bytes = 0;
  const write = (text: string) => (bytes += writeSync(handle, text));
  try {
    write(header);
    let batch: string[] = [];
    for (let n = 0; n < options.rows; n++) {
      const resource = resources[Math.floor(next() * next() * resources.length)];
      const { service, group } = resource;
      const day = Math.floor(next() * days);
      const chargeStart = new Date(periodStart.getTime() + day * 86_400_000);
      const chargeEnd = new Date(chargeStart.getTime() + 86_400_000);
      const roll = next();
      let category = 'Usage';
      let chargeClass = '';
      let frequency = 'Usage-Based';
      let commitment: (typeof commitments)[number] | undefined;
      let status = '';
      let quantity = Math.floor(1 + next() * 240) / 10;
      let list = Math.round(quantity * resource.unitPrice);
      let contracted = Math.round(list * 0.9);
      let billed = contracted;
      let effective = contracted;
      if (roll < 0.12 && service.category === 'Compute') {
        commitment = pick(commitments);
        status = roll < 0.1 ? 'Used' : 'Unused';
        billed = 0;
        effective = Math.round(contracted * 0.62);
        if (status === 'Unused') quantity = 0;
      } else if (roll < 0.125) {
        category = 'Purchase';
        frequency = 'Recurring';
        commitment = pick(commitments);
        billed = Math.floor(next() * 5e13); // up to 5,000.00
        effective = 0;
        list = billed;
        contracted = billed;
      } else if (roll < 0.13) {
        category = 'Credit';
        frequency = 'One-Time';
        billed = -Math.floor(next() * 1e12);
        effective = billed;
        list = 0;
        contracted = 0;
      } else if (roll < 0.135) {
        category = 'Tax';
        frequency = 'Recurring';
        billed = Math.floor(next() * 2e11);
        effective = billed;
      } else if (roll < 0.137) {
        category = 'Adjustment';
        chargeClass = 'Correction';
        frequency = 'One-Time';
        billed = Math.floor((next() - 0.5) * 1e11);
        effective = billed;
      }
      const unitList = decimal(resource.unitPrice);
      const unitContracted = decimal(Math.round(resource.unitPrice * 0.9));
      const cells = [
        resource.region[0] + (next() < 0.5 ? '-1' : '-2'),
        decimal(billed),
        billingAccountId,
        'Contoso Ltd',
        'Billing Profile',
        'USD',
        iso(periodEnd),
        iso(periodStart),
        '',
        '',
        category,
        chargeClass,
        `${service.name} ${resource.sku.meter} - ${resource.region[1]}`,
        frequency,
        iso(chargeEnd),
        iso(chargeStart),
        commitment ? (commitment.type === 'Savings Plan' ? 'Spend' : 'Usage') : '',
        commitment?.id ?? '',
        commitment?.name ?? '',
        commitment ? String(quantity) : '',
        status,
        commitment?.type ?? '',
        commitment ? 'Hours' : '',
        category === 'Usage' ? String(quantity) : '',
        category === 'Usage' ? service.unit : '',
        decimal(contracted),
        unitContracted,
        decimal(effective),
        `G${100000000 + month * 1000 + year}`,
        'Microsoft',
        decimal(list),
        unitList,
        commitment ? 'Committed' : 'Standard',
        'USD',
        unitContracted,
        decimal(effective),
        unitList,
        String(quantity),
        service.unit,
        'Microsoft',
        'Microsoft',
        resource.region[0],
        resource.region[1],
        resource.id,
        resource.name,
        service.type,
        service.category,
        service.name,
        service.subcategory,
        resource.sku.id,
        resource.sku.meter,
        `{"UnitOfMeasure":"1 ${service.unit}","PriceType":"Consumption"}`,
        `${resource.sku.id}/0001`,
        `/subscriptions/${group.subscription.id}`,
        group.subscription.name,
        'Subscription',
        resource.tags,
        group.name,
        billingProfileId,
        '',
      ];
      batch.push(cells.map(csvCell).join(','));
      if (batch.length === 5000) {
        write(batch.join('\n') + '\n');
        batch = [];
      }
    }
    if (batch.length > 0) write(batch.join('\n') + '\n');
  } finally {
    closeSync(handle);
  }
  return bytes;
}

/** Writes the CSV as snappy Parquet with DuckDB: costs as DECIMAL(38,10), dates as timestamps, as cloud exports do. */
export async function csvToParquet(csvFile: string, parquetFile: string): Promise<void> {
  // Loaded only when needed, so our child process never carries DuckDB in its memory.
  const { DuckDBInstance } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const money = ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'PricingCurrencyEffectiveCost'];
  const types = Object.fromEntries(FOCUS_COLUMNS.map((c) => [c, money.includes(c) ? 'DECIMAL(38,10)' : c.endsWith('PeriodStart') || c.endsWith('PeriodEnd') ? 'TIMESTAMP' : 'VARCHAR']));
  const sqlTypes = '{' + Object.entries(types).map(([c, t]) => `'${c}': '${t}'`).join(', ') + '}';
  try {
    await connection.run(`COPY (SELECT * FROM read_csv(${sqlString(csvFile)}, header = true, columns = ${sqlTypes})) TO ${sqlString(parquetFile)} (FORMAT parquet, COMPRESSION snappy)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;
