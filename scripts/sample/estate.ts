/**
 * The sample's cloud estate: a company ("Contoso") on Azure, AWS and Google Cloud, with product
 * teams in their own sub-accounts, a networking hub, a shared platform, security tooling, a support
 * plan on each cloud, an Azure reservation and an AWS Savings Plan, and a forgotten sandbox nobody
 * mapped (the unallocated line).
 */
import { AWS, AZURE, Meter, METERS, Provider, Region, REGIONS, SUB_ACCOUNTS, SubAccount } from './catalog';
import { guidFor, Random } from './random';
import { price, quantity, Quantity, UnitPrice } from './focus-csv';

export interface Day {
  /** `2026-10-05` */
  date: string;
  /** 0-based day of the month */
  index: number;
  daysInMonth: number;
  weekend: boolean;
}

/** How much of its pricing unit a resource uses on a day; undefined when it did not run. */
export type Usage = (day: Day, random: Random) => Quantity | undefined;

export interface Commitment {
  provider: Provider;
  sub: SubAccount;
  id: string;
  name: string;
  category: 'Usage' | 'Spend';
  type: string;
  region: Region;
  meter: Meter;
  /** Usage: hours of capacity per day. Spend: dollars per hour (as a unit price). */
  hourlyCommitment: UnitPrice;
  /** Usage: VM-hours per hour. */
  units: bigint;
  /** The amortized price per pricing unit that a covered resource's EffectiveCost uses. */
  coveredPrice: (meter: Meter) => UnitPrice;
}

export interface Resource {
  sub: SubAccount;
  name: string;
  id: string;
  region: Region;
  meter: Meter;
  usage: Usage;
  tags?: Record<string, string>;
  resourceGroup?: string;
  commitment?: Commitment;
  pricingCategory?: 'Standard' | 'Dynamic';
  /** First billing period the resource exists (`YYYY-MM`). */
  since?: string;
  /** Earns a sustained-use credit at month end (Google Cloud). */
  sustainedUseCredit?: boolean;
}

// ---- how resources are used ----

const hours = (h: number) => quantity(h);
export const always: Usage = () => hours(24);
/** Busy on weekdays, off at weekends (dev boxes, batch jobs). */
export const weekdays = (low: number, high: number): Usage => (day, random) => (day.weekend ? undefined : hours(random.int(low, high)));
/** Scales out and in with load. */
export const autoscaled = (low: number, high: number): Usage => (_day, random) => hours(random.int(low, high));
/** Stored GB, growing through the month, billed as the day's share of a GB-month. */
export const storedGb = (gb: number, monthlyGrowthPercent: number): Usage => (day) =>
  quantity((gb * (1 + (monthlyGrowthPercent / 100) * (day.index / day.daysInMonth))) / day.daysInMonth);
/** Transferred or ingested units per day, lower at weekends. */
export const perDay = (low: number, high: number): Usage => (day, random) => {
  const amount = (random.int(low * 100, high * 100) / 100) * (day.weekend ? 0.55 : 1);
  return quantity(amount + random.int(0, 9999) / 1e6);
};

// ---- commitments ----

export const AZURE_RESERVATION: Commitment = {
  provider: AZURE,
  sub: SUB_ACCOUNTS.platformShared,
  id: `/providers/microsoft.capacity/reservationorders/${guidFor('ri-order')}/reservations/${guidFor('ri')}`,
  name: 'VM_RI_D4s_v5_EastUS_1yr',
  category: 'Usage',
  type: 'Reservation',
  region: REGIONS.eastus,
  meter: METERS.d4sV5,
  units: 5n,
  hourlyCommitment: price('0.1196'),
  coveredPrice: () => price('0.1196'),
};

export const AWS_SAVINGS_PLAN: Commitment = {
  provider: AWS,
  sub: SUB_ACCOUNTS.orgManagement,
  id: `arn:aws:savingsplans::${SUB_ACCOUNTS.orgManagement.id}:savingsplan/${guidFor('sp')}`,
  name: 'Compute Savings Plan 1yr No Upfront',
  category: 'Spend',
  type: 'Compute Savings Plan',
  region: REGIONS.global,
  meter: METERS.m6iXlarge,
  units: 1n,
  hourlyCommitment: price('1.3'),
  // 28% off list for the instance families it covers
  coveredPrice: (m) => (m.listPrice * 72n) / 100n,
};

// ---- the resources ----

const S = SUB_ACCOUNTS;
const M = METERS;
const R = REGIONS;

function azure(sub: SubAccount, rg: string, name: string, m: Meter, usage: Usage, extra: Partial<Resource> = {}): Resource {
  const region = extra.region ?? R.eastus;
  return { sub, name, id: m.resourceId(name, sub, region, rg), region, meter: m, usage, resourceGroup: rg, ...extra };
}
function aws(sub: SubAccount, name: string, m: Meter, usage: Usage, extra: Partial<Resource> = {}): Resource {
  const region = extra.region ?? R.usEast1;
  return { sub, name, id: m.resourceId(name, sub, region, ''), region, meter: m, usage, ...extra };
}
function gcp(sub: SubAccount, name: string, m: Meter, usage: Usage, extra: Partial<Resource> = {}): Resource {
  const region = extra.region ?? R.usCentral1;
  return { sub, name, id: m.resourceId(name, sub, region, ''), region, meter: m, usage, ...extra };
}
const range = (count: number) => Array.from({ length: count }, (_, i) => i + 1);
const two = (n: number) => String(n).padStart(2, '0');

/** The payments team's European checkout, on the euro billing account of Contoso Europe GmbH. */
function paymentsEu(): Resource[] {
  const sub = S.paymentsEu;
  const tags = { CostCenter: 'CC-PAY', env: 'prod', app: 'checkout-eu' };
  const region = R.westeurope;
  return [
    ...range(2).flatMap((n) => [
      azure(sub, 'rg-payments-checkout-eu', `vm-checkout-eu-${two(n)}`, M.d4sV5, always, { tags, region }),
      azure(sub, 'rg-payments-checkout-eu', `vm-checkout-eu-${two(n)}_osdisk`, M.premiumDisk, always, { tags, region }),
    ]),
    azure(sub, 'rg-payments-checkout-eu', 'sqldb-checkout-eu', M.sqlGp, always, { tags, region }),
    azure(sub, 'rg-payments-checkout-eu', 'stpaycheckouteu', M.blobHot, storedGb(1200, 6), { tags, region }),
    // untagged: mapped by its subscription name (team-payments-*)
    azure(sub, 'rg-payments-checkout-eu', 'vnet-payments-eu', M.azureEgress, perDay(20, 40), { region }),
  ];
}

function paymentsProd(): Resource[] {
  const sub = S.paymentsProd;
  const tags = (app: string) => ({ CostCenter: 'CC-PAY', env: 'prod', app });
  const api = range(3).flatMap((n) => [
    azure(sub, 'rg-payments-checkout', `vm-checkout-${two(n)}`, M.d4sV5, always, { tags: tags('checkout'), commitment: AZURE_RESERVATION }),
    azure(sub, 'rg-payments-checkout', `vm-checkout-${two(n)}_osdisk`, M.premiumDisk, always, { tags: tags('checkout') }),
    azure(sub, 'rg-payments-checkout', `vm-checkout-${two(n)}`, M.defenderServers, always, { tags: tags('checkout') }),
  ]);
  const workers = range(2).flatMap((n) => [
    azure(sub, 'rg-payments-ledger', `vm-ledger-worker-${two(n)}`, M.d2sV5, autoscaled(14, 24), { tags: tags('ledger') }),
    azure(sub, 'rg-payments-ledger', `vm-ledger-worker-${two(n)}_osdisk`, M.premiumDisk, always),
    azure(sub, 'rg-payments-ledger', `vm-ledger-worker-${two(n)}`, M.defenderServers, always),
  ]);
  return [
    ...api,
    ...workers,
    // Runs the finance data mart the data team uses: tagged to them, so the tag wins over the subscription.
    azure(sub, 'rg-payments-reporting', 'vm-reporting-replica', M.d4sV5, always, { tags: { CostCenter: 'CC-DATA', env: 'prod', app: 'reporting' }, commitment: AZURE_RESERVATION }),
    azure(sub, 'rg-payments-reporting', 'vm-reporting-replica_osdisk', M.premiumDisk, always, { tags: { CostCenter: 'CC-DATA', env: 'prod', app: 'reporting' } }),
    azure(sub, 'rg-payments-checkout', 'stpaycheckoutprod', M.blobHot, storedGb(2400, 8), { tags: tags('checkout') }),
    azure(sub, 'rg-payments-ledger', 'stpayledgerarchive', M.blobHot, storedGb(9800, 3)),
    azure(sub, 'rg-payments-ledger', 'sqldb-ledger', M.sqlGp, always, { tags: tags('ledger') }),
    azure(sub, 'rg-payments-checkout', 'sqldb-checkout', M.sqlGp, always, { tags: tags('checkout') }),
    azure(sub, 'rg-payments-checkout', 'asp-checkout-web', M.appServiceP1v3, always, { tags: tags('checkout') }),
    azure(sub, 'rg-payments-checkout', 'lb-checkout', M.loadBalancer, perDay(180, 260), { tags: tags('checkout') }),
    azure(sub, 'rg-payments-checkout', 'vnet-payments-prod', M.azureEgress, perDay(60, 95)),
  ];
}

function searchDev(): Resource[] {
  const sub = S.searchDev;
  const tags = { CostCenter: 'CC-SRCH', env: 'dev', app: 'search' };
  return [
    azure(sub, 'rg-search-dev', 'vm-search-dev-01', M.d4sV5, weekdays(9, 12), { tags, commitment: AZURE_RESERVATION }),
    azure(sub, 'rg-search-dev', 'vm-search-dev-01_osdisk', M.premiumDisk, always, { tags }),
    ...range(2).flatMap((n) => [
      azure(sub, 'rg-search-dev', `vm-indexer-dev-${two(n)}`, M.d2sV5, weekdays(8, 11), { tags }),
      azure(sub, 'rg-search-dev', `vm-indexer-dev-${two(n)}_osdisk`, M.premiumDisk, always),
    ]),
    azure(sub, 'rg-search-dev', 'stsearchdevcorpus', M.blobHot, storedGb(1500, 12)),
    // The ML team experiments in the search dev subscription, untagged: their resource group maps them.
    azure(sub, 'rg-ml-experiments', 'vm-ml-notebook-01', M.d4sV5, weekdays(6, 10)),
    azure(sub, 'rg-ml-experiments', 'vm-ml-notebook-01_osdisk', M.premiumDisk, always),
    azure(sub, 'rg-ml-experiments', 'stmlexperiments', M.blobHot, storedGb(3200, 20)),
    azure(sub, 'rg-search-dev', 'vm-search-dev-01', M.defenderServers, always),
  ];
}

function hubNetwork(): Resource[] {
  const sub = S.hubNetwork;
  const tags = { CostCenter: 'CC-PLAT', env: 'prod', app: 'network-hub' };
  return [
    azure(sub, 'rg-hub-connectivity', 'vgw-hub-eastus', M.vpnGateway, always, { tags }),
    azure(sub, 'rg-hub-connectivity', 'erc-hub-eastus', M.expressRoute, always, { tags }),
    azure(sub, 'rg-hub-security', 'afw-hub-eastus', M.firewall, always, { tags }),
    azure(sub, 'rg-hub-security', 'afw-hub-eastus', M.firewallData, perDay(900, 1400), { tags }),
    azure(sub, 'rg-hub-connectivity', 'vnet-hub-eastus', M.peering, perDay(1100, 1700), { tags }),
    azure(sub, 'rg-hub-connectivity', 'vnet-hub-eastus', M.azureEgress, perDay(140, 220), { tags }),
    ...range(3).map((n) => azure(sub, 'rg-hub-connectivity', `pip-hub-${two(n)}`, M.publicIp, always, { tags })),
    azure(sub, 'rg-hub-connectivity-weu', 'vgw-hub-westeurope', M.vpnGateway, always, { tags, region: R.westeurope }),
  ];
}

function platformShared(): Resource[] {
  const sub = S.platformShared;
  const tags = { CostCenter: 'CC-PLAT', env: 'prod', app: 'aks-shared' };
  return [
    ...range(6).flatMap((n) => [
      azure(sub, 'mc_rg-aks-shared_aks-shared-eastus', `aks-nodepool1-vmss_${n - 1}`, M.d8sV5Aks, n <= 4 ? always : autoscaled(8, 24), { tags }),
      azure(sub, 'mc_rg-aks-shared_aks-shared-eastus', `aks-nodepool1-vmss_${n - 1}_osdisk`, M.premiumDisk, always, { tags }),
    ]),
    azure(sub, 'rg-aks-shared', 'aks-shared-eastus', M.defenderContainers, (day, random) => quantity(random.int(36, 48) * 24), { tags }),
    azure(sub, 'rg-observability', 'log-shared-eastus', M.logAnalytics, perDay(18, 30), { tags }),
    azure(sub, 'rg-aks-shared', 'acrsharedeastus', M.containerRegistry, always, { tags }),
    azure(sub, 'rg-aks-shared', 'kv-aks-shared', M.keyVault, perDay(40, 70), { tags }),
  ];
}

function dataProd(): Resource[] {
  const sub = S.dataProd;
  const tags = (app: string) => ({ costcenter: 'CC-DATA', env: 'prod', app });
  return [
    ...range(4).flatMap((n) => [
      aws(sub, `etl-worker-${two(n)}`, M.m6iXlarge, always, { tags: tags('etl'), commitment: AWS_SAVINGS_PLAN }),
      aws(sub, `etl-worker-${two(n)}-root`, M.ebsGp3, storedGb(200, 0), { tags: tags('etl') }),
    ]),
    ...range(2).flatMap((n) => [
      aws(sub, `spark-driver-${two(n)}`, M.m6i2xlarge, always, { tags: tags('spark'), commitment: AWS_SAVINGS_PLAN }),
      aws(sub, `spark-driver-${two(n)}-data`, M.ebsGp3, storedGb(1000, 5), { tags: tags('spark') }),
    ]),
    aws(sub, 'spark-executor-spot-pool', M.m6i2xlarge, autoscaled(10, 40), { tags: tags('spark') }),
    // A monitoring agent host run by the platform team in the data account.
    aws(sub, 'observability-agent', M.t3Medium, always, { tags: { costcenter: 'CC-PLAT', env: 'prod', app: 'observability' } }),
    aws(sub, 'contoso-datalake-raw', M.s3, storedGb(61000, 6), { tags: tags('datalake') }),
    aws(sub, 'contoso-datalake-curated', M.s3, storedGb(18000, 4), { tags: tags('datalake') }),
    aws(sub, 'contoso-data-tmp', M.s3, storedGb(2500, -10)),
    aws(sub, 'warehouse-meta', M.rds, always, { tags: tags('warehouse') }),
    aws(sub, 'airflow-meta', M.rds, always, { tags: tags('airflow') }),
    aws(sub, 'data-prod-nat-a', M.natGateway, always),
    aws(sub, 'data-prod-vpc', M.awsEgress, perDay(90, 160)),
    aws(sub, '/aws/etl/workers', M.cloudWatchLogs, perDay(10, 18), { tags: tags('etl') }),
  ];
}

function mobileProd(): Resource[] {
  const sub = S.mobileProd;
  const tags = (app: string) => ({ costcenter: 'CC-MOB', env: 'prod', app });
  return [
    ...range(2).flatMap((n) => [
      aws(sub, `mobile-api-${two(n)}`, M.c6iLarge, autoscaled(16, 24), { tags: tags('mobile-api'), commitment: AWS_SAVINGS_PLAN }),
      aws(sub, `mobile-api-${two(n)}-root`, M.ebsGp3, storedGb(100, 0), { tags: tags('mobile-api') }),
    ]),
    ...range(2).flatMap((n) => [
      aws(sub, `push-gateway-${two(n)}`, M.m6iXlarge, always, { tags: tags('push'), region: R.euWest1 }),
      aws(sub, `push-gateway-${two(n)}-root`, M.ebsGp3, storedGb(100, 0), { tags: tags('push'), region: R.euWest1 }),
    ]),
    aws(sub, 'mobile-user-db', M.rds, always, { tags: tags('mobile-api') }),
    aws(sub, 'contoso-mobile-assets', M.s3, storedGb(4200, 2), { tags: tags('cdn') }),
    aws(sub, 'contoso-mobile-crash-dumps', M.s3, storedGb(900, 15)),
    aws(sub, 'E2MOBILEASSETS', M.cloudFront, perDay(400, 650), { tags: tags('cdn'), region: R.global }),
    aws(sub, 'mobile-prod-nat-a', M.natGateway, always, { tags: tags('mobile-api') }),
    aws(sub, 'mobile-prod-vpc', M.awsEgress, perDay(25, 45)),
  ];
}

function securityTooling(): Resource[] {
  const sub = S.securityTooling;
  const tags = { owner: 'secops', env: 'prod', app: 'security' };
  return [
    aws(sub, 'org-detector', M.guardDuty, perDay(30, 45), { tags }),
    aws(sub, 'default', M.securityHub, perDay(5200, 6400), { tags }),
    aws(sub, 'ec2-scanning', M.inspector, (_day, random) => quantity(random.int(30, 34) * 24), { tags }),
    aws(sub, 'edge-webacl', M.waf, perDay(14, 22), { tags, region: R.global }),
  ];
}

function orgManagement(): Resource[] {
  const sub = S.orgManagement;
  const tags = { costcenter: 'CC-PLAT', env: 'prod', app: 'landing-zone' };
  return [
    aws(sub, 'org-trail', M.cloudTrail, perDay(8, 12), { tags }),
    aws(sub, 'default', M.awsConfig, perDay(2500, 4200), { tags }),
    aws(sub, 'contoso-org-audit-logs', M.s3, storedGb(14000, 5), { tags }),
    aws(sub, '/aws/landing-zone', M.cloudWatchLogs, perDay(3, 6), { tags }),
  ];
}

/** Nobody maps this account and nothing in it is tagged: the unallocated line. */
function sandboxLegacy(): Resource[] {
  const sub = S.sandboxLegacy;
  return [
    aws(sub, 'poc-kafka-broker', M.m5_2xlarge, always),
    aws(sub, 'poc-kafka-broker-data', M.ebsGp3, storedGb(500, 0)),
    aws(sub, 'jenkins-old', M.t3Medium, always),
    aws(sub, 'jenkins-old-root', M.ebsGp3, storedGb(80, 0)),
    aws(sub, 'contoso-sandbox-scratch', M.s3, storedGb(3100, 1)),
  ];
}

function searchProd(): Resource[] {
  const sub = S.searchProd;
  // Google Cloud labels are lower case: the mapping matches cost centers case-insensitively.
  const labels = (app: string) => ({ costcenter: 'cc-srch', env: 'prod', app });
  return [
    ...range(6).flatMap((n) => [
      gcp(sub, `search-node-${n}`, M.n2Standard4, n <= 4 ? always : autoscaled(10, 24), { tags: labels('search'), sustainedUseCredit: n <= 4 }),
      gcp(sub, `search-node-${n}-boot`, M.persistentDisk, storedGb(250, 0), { tags: labels('search') }),
    ]),
    gcp(sub, 'contoso-search-snapshots', M.gcs, storedGb(8200, 6), { tags: labels('search') }),
    gcp(sub, 'contoso-search-logs', M.gcs, storedGb(2100, 10)),
    gcp(sub, 'search_analytics', M.bigQuery, perDay(1, 3), { tags: labels('analytics') }),
    gcp(sub, 'default', M.gcpEgress, perDay(120, 200)),
  ];
}

function mlDev(): Resource[] {
  const sub = S.mlDev;
  const labels = { costcenter: 'cc-ml', env: 'dev', app: 'training' };
  return [
    ...range(2).map((n) => gcp(sub, `gpu-trainer-${n}`, M.n1T4Spot, weekdays(10, 20), { tags: labels, pricingCategory: 'Dynamic' })),
    gcp(sub, 'ranking-model-training', M.vertexTraining, weekdays(8, 40), { tags: labels }),
    gcp(sub, 'contoso-ml-datasets', M.gcs, storedGb(12000, 8), { tags: labels }),
    gcp(sub, 'ml_features', M.bigQuery, perDay(0.5, 2), { tags: labels }),
    // New in October: an inference service, so the two months differ.
    gcp(sub, 'ranking-inference-1', M.n2Standard4, always, { tags: { ...labels, env: 'prod', app: 'inference' }, since: '2026-10', sustainedUseCredit: true }),
  ];
}

export function allResources(): Resource[] {
  return [
    ...paymentsProd(),
    ...paymentsEu(),
    ...searchDev(),
    ...hubNetwork(),
    ...platformShared(),
    ...dataProd(),
    ...mobileProd(),
    ...securityTooling(),
    ...orgManagement(),
    ...sandboxLegacy(),
    ...searchProd(),
    ...mlDev(),
  ];
}
