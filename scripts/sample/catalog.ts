/**
 * What the sample's clouds sell: the three providers and their billing accounts, the sub-accounts,
 * regions, and the meters (service, SKU, unit and list price) resources are billed on.
 */
import { hexFor, guidFor } from './random';
import { price, UnitPrice } from './focus-csv';

export interface Provider {
  providerName: string;
  publisherName: string;
  invoiceIssuerName: string;
  billingAccountId: string;
  billingAccountName: string;
  billingAccountType: string;
  subAccountType: string;
  invoicePrefix: string;
  /** Negotiated price as a percent of list (an enterprise discount). */
  contractedPercent: bigint;
  skuId: (sku: string) => string;
  /** The currency the account is billed (and priced) in; USD when not given. */
  billingCurrency?: string;
}

export interface SubAccount {
  provider: Provider;
  id: string;
  name: string;
}

export interface Region {
  id: string;
  name: string;
}

export interface Meter {
  serviceName: string;
  serviceCategory: string;
  serviceSubcategory: string;
  resourceType: string;
  sku: string;
  pricingUnit: string;
  consumedUnit: string;
  listPrice: UnitPrice;
  description: string;
  /** Builds the provider's resource id from the resource name. */
  resourceId: (name: string, sub: SubAccount, region: Region, resourceGroup: string) => string;
}

// ---- providers and sub-accounts ----

export const AZURE: Provider = {
  providerName: 'Microsoft',
  publisherName: 'Microsoft',
  invoiceIssuerName: 'Microsoft',
  billingAccountId: '/providers/Microsoft.Billing/billingAccounts/8611537',
  billingAccountName: 'Contoso Ltd',
  billingAccountType: 'Billing Account',
  subAccountType: 'Subscription',
  invoicePrefix: 'G0',
  contractedPercent: 100n,
  skuId: (sku) => `${hexFor(`azure-product:${sku}`, 12).toUpperCase()}/${hexFor(`azure-sku:${sku}`, 4).toUpperCase()}`,
};

/** Contoso's European entity has its own Azure billing account, billed and priced in euros. */
export const AZURE_EU: Provider = {
  ...AZURE,
  billingAccountId: '/providers/Microsoft.Billing/billingAccounts/9902214',
  billingAccountName: 'Contoso Europe GmbH',
  invoicePrefix: 'E0',
  billingCurrency: 'EUR',
};

export const AWS: Provider = {
  providerName: 'AWS',
  publisherName: 'Amazon Web Services',
  invoiceIssuerName: 'Amazon Web Services, Inc.',
  billingAccountId: '318274650912',
  billingAccountName: 'Contoso AWS Organization',
  billingAccountType: 'Billing Account',
  subAccountType: 'Linked Account',
  invoicePrefix: 'EUINUS26-',
  contractedPercent: 97n,
  skuId: (sku) => hexFor(`aws-sku:${sku}`, 14).toUpperCase(),
};

export const GCP: Provider = {
  providerName: 'Google Cloud',
  publisherName: 'Google Cloud',
  invoiceIssuerName: 'Google',
  billingAccountId: '01A7C3-5F92B1-D04E88',
  billingAccountName: 'Contoso GCP Billing',
  billingAccountType: 'Billing Account',
  subAccountType: 'Project',
  invoicePrefix: '52',
  contractedPercent: 100n,
  skuId: (sku) => hexFor(`gcp-sku:${sku}`, 12).toUpperCase().replace(/(.{4})(.{4})(.{4})/, '$1-$2-$3'),
};

const azureSub = (name: string): SubAccount => ({ provider: AZURE, id: `/subscriptions/${guidFor(`sub:${name}`)}`, name });
const awsAccount = (name: string, id: string): SubAccount => ({ provider: AWS, id, name });
const gcpProject = (name: string, suffix: string): SubAccount => ({ provider: GCP, id: `${name}-${suffix}`, name });

export const SUB_ACCOUNTS = {
  paymentsProd: azureSub('team-payments-prod'),
  searchDev: azureSub('team-search-dev'),
  hubNetwork: azureSub('hub-network'),
  platformShared: azureSub('platform-shared'),
  paymentsEu: { provider: AZURE_EU, id: `/subscriptions/${guidFor('sub:team-payments-eu')}`, name: 'team-payments-eu' } as SubAccount,
  dataProd: awsAccount('team-data-prod', '604118273395'),
  mobileProd: awsAccount('team-mobile-prod', '771905342867'),
  securityTooling: awsAccount('security-tooling', '215530987741'),
  orgManagement: awsAccount('org-management', '318274650912'),
  sandboxLegacy: awsAccount('sandbox-legacy', '902216474530'),
  searchProd: gcpProject('team-search-prod', '418207'),
  mlDev: gcpProject('team-ml-dev', '771034'),
};

export const REGIONS = {
  eastus: { id: 'eastus', name: 'East US' },
  westeurope: { id: 'westeurope', name: 'West Europe' },
  usEast1: { id: 'us-east-1', name: 'US East (N. Virginia)' },
  euWest1: { id: 'eu-west-1', name: 'Europe (Ireland)' },
  global: { id: 'global', name: 'Global' },
  usCentral1: { id: 'us-central1', name: 'Iowa' },
  europeWest1: { id: 'europe-west1', name: 'Belgium' },
};

// ---- meters: what each kind of resource is billed for ----

type MeterShape = Omit<Meter, 'listPrice' | 'resourceId' | 'consumedUnit'> & { list: string; consumedUnit?: string };

const azureId = (armType: string) => (name: string, sub: SubAccount, _region: Region, rg: string) =>
  `${sub.id}/resourcegroups/${rg}/providers/${armType}/${name}`.toLowerCase();
/** An ARN; with `hashed`, the id after the prefix is a stable hex id derived from the name (i-0…, vol-0…). */
const awsArn = (service: string, prefix: string, hashed = false) => (name: string, sub: SubAccount, region: Region) =>
  `arn:aws:${service}:${region.id === 'global' ? '' : region.id}:${sub.id}:${prefix}${hashed ? hexFor(`${sub.id}:${name}`, 16) : name}`;
const gcpId = (api: string, path: string) => (name: string, sub: SubAccount, region: Region) =>
  `//${api}/projects/${sub.id}/${path.replace('{region}', region.id)}/${name}`;

const meter = (shape: MeterShape, resourceId: Meter['resourceId']): Meter => ({
  ...shape,
  consumedUnit: shape.consumedUnit ?? shape.pricingUnit,
  listPrice: price(shape.list),
  resourceId,
});

const azureVm = (size: string, list: string, armType = 'microsoft.compute/virtualmachines') =>
  meter(
    { serviceName: 'Virtual Machines', serviceCategory: 'Compute', serviceSubcategory: 'Virtual Machines', resourceType: armType.endsWith('scalesets') ? 'Virtual machine scale set' : 'Virtual machine', sku: size, pricingUnit: 'Hours', list, description: `${size} Linux virtual machine` },
    azureId(armType),
  );
const ec2 = (size: string, list: string) =>
  meter(
    { serviceName: 'Amazon Elastic Compute Cloud', serviceCategory: 'Compute', serviceSubcategory: 'Virtual Machines', resourceType: 'Instance', sku: size, pricingUnit: 'Hours', list, description: `$${list} per On Demand Linux ${size} Instance Hour` },
    awsArn('ec2', 'instance/i-0', true),
  );
const gce = (size: string, list: string) =>
  meter(
    { serviceName: 'Compute Engine', serviceCategory: 'Compute', serviceSubcategory: 'Virtual Machines', resourceType: 'compute.googleapis.com/Instance', sku: size, pricingUnit: 'Hours', list, description: `${size} instance running in Americas` },
    gcpId('compute.googleapis.com', 'zones/{region}-a/instances'),
  );

export const METERS = {
  // Azure
  d4sV5: azureVm('Standard_D4s_v5', '0.192'),
  d2sV5: azureVm('Standard_D2s_v5', '0.096'),
  b2s: azureVm('Standard_B2s', '0.0416'),
  d8sV5Aks: azureVm('Standard_D8s_v5', '0.384', 'microsoft.compute/virtualmachinescalesets'),
  premiumDisk: meter({ serviceName: 'Storage', serviceCategory: 'Storage', serviceSubcategory: 'Block Storage', resourceType: 'Disk', sku: 'P10 LRS Disk', pricingUnit: 'Hours', list: '0.027', description: 'Premium SSD Managed Disks - P10 LRS' }, azureId('microsoft.compute/disks')),
  blobHot: meter({ serviceName: 'Storage', serviceCategory: 'Storage', serviceSubcategory: 'Object Storage', resourceType: 'Storage account', sku: 'Hot LRS Data Stored', pricingUnit: 'GB-Month', list: '0.0184', description: 'Blob Storage - Hot LRS data stored' }, azureId('microsoft.storage/storageaccounts')),
  sqlGp: meter({ serviceName: 'SQL Database', serviceCategory: 'Databases', serviceSubcategory: 'Relational Databases', resourceType: 'SQL database', sku: 'General Purpose Gen5 vCore', pricingUnit: 'Hours', list: '0.5044', description: 'SQL Database Single - General Purpose - Compute Gen5 - 2 vCore' }, azureId('microsoft.sql/servers/databases')),
  appServiceP1v3: meter({ serviceName: 'Azure App Service', serviceCategory: 'Web', serviceSubcategory: 'Application Platforms', resourceType: 'App Service plan', sku: 'P1 v3 App', pricingUnit: 'Hours', list: '0.2', description: 'Azure App Service Premium v3 Plan - P1 v3' }, azureId('microsoft.web/serverfarms')),
  loadBalancer: meter({ serviceName: 'Load Balancer', serviceCategory: 'Networking', serviceSubcategory: 'Network Infrastructure', resourceType: 'Load balancer', sku: 'Standard Data Processed', pricingUnit: 'GB', list: '0.005', description: 'Load Balancer - Standard data processed' }, azureId('microsoft.network/loadbalancers')),
  azureEgress: meter({ serviceName: 'Bandwidth', serviceCategory: 'Networking', serviceSubcategory: 'Network Infrastructure', resourceType: 'Virtual network', sku: 'Standard Data Transfer Out', pricingUnit: 'GB', list: '0.087', description: 'Bandwidth - Data Transfer Out - Zone 1' }, azureId('microsoft.network/virtualnetworks')),
  defenderServers: meter({ serviceName: 'Microsoft Defender for Cloud', serviceCategory: 'Security', serviceSubcategory: 'Threat Detection and Response', resourceType: 'Virtual machine', sku: 'Defender for Servers P2 Node', pricingUnit: 'Hours', list: '0.02', description: 'Microsoft Defender for Servers Plan 2' }, azureId('microsoft.compute/virtualmachines')),
  defenderContainers: meter({ serviceName: 'Microsoft Defender for Cloud', serviceCategory: 'Security', serviceSubcategory: 'Threat Detection and Response', resourceType: 'Kubernetes service', sku: 'Defender for Containers vCore', pricingUnit: 'Hours', list: '0.0095', description: 'Microsoft Defender for Containers - vCore hours' }, azureId('microsoft.containerservice/managedclusters')),
  keyVault: meter({ serviceName: 'Key Vault', serviceCategory: 'Security', serviceSubcategory: 'Secret Management', resourceType: 'Key vault', sku: 'Standard Operations', pricingUnit: '10K Operations', list: '0.03', description: 'Key Vault - Standard operations' }, azureId('microsoft.keyvault/vaults')),
  logAnalytics: meter({ serviceName: 'Log Analytics', serviceCategory: 'Management and Governance', serviceSubcategory: 'Observability', resourceType: 'Log Analytics workspace', sku: 'Analytics Logs Data Ingestion', pricingUnit: 'GB', list: '2.3', description: 'Log Analytics - Analytics logs data ingestion' }, azureId('microsoft.operationalinsights/workspaces')),
  containerRegistry: meter({ serviceName: 'Container Registry', serviceCategory: 'Developer Tools', serviceSubcategory: 'Development Environments', resourceType: 'Container registry', sku: 'Premium Registry Unit', pricingUnit: 'Hours', list: '0.069445', description: 'Container Registry Premium - registry unit' }, azureId('microsoft.containerregistry/registries')),
  vpnGateway: meter({ serviceName: 'VPN Gateway', serviceCategory: 'Networking', serviceSubcategory: 'Network Connectivity', resourceType: 'VPN gateway', sku: 'VpnGw2', pricingUnit: 'Hours', list: '0.49', description: 'VPN Gateway - VpnGw2' }, azureId('microsoft.network/virtualnetworkgateways')),
  firewall: meter({ serviceName: 'Azure Firewall', serviceCategory: 'Networking', serviceSubcategory: 'Network Security', resourceType: 'Firewall', sku: 'Standard Deployment', pricingUnit: 'Hours', list: '1.25', description: 'Azure Firewall - Standard deployment' }, azureId('microsoft.network/azurefirewalls')),
  firewallData: meter({ serviceName: 'Azure Firewall', serviceCategory: 'Networking', serviceSubcategory: 'Network Security', resourceType: 'Firewall', sku: 'Standard Data Processed', pricingUnit: 'GB', list: '0.016', description: 'Azure Firewall - Standard data processed' }, azureId('microsoft.network/azurefirewalls')),
  expressRoute: meter({ serviceName: 'ExpressRoute', serviceCategory: 'Networking', serviceSubcategory: 'Network Connectivity', resourceType: 'ExpressRoute circuit', sku: 'Standard Metered 1 Gbps Circuit', pricingUnit: 'Hours', list: '0.5973', description: 'ExpressRoute - Standard metered data 1 Gbps circuit' }, azureId('microsoft.network/expressroutecircuits')),
  peering: meter({ serviceName: 'Virtual Network', serviceCategory: 'Networking', serviceSubcategory: 'Network Infrastructure', resourceType: 'Virtual network', sku: 'Intra-Region Peering Data Transfer', pricingUnit: 'GB', list: '0.01', description: 'Virtual Network Peering - intra-region ingress and egress' }, azureId('microsoft.network/virtualnetworks')),
  publicIp: meter({ serviceName: 'Virtual Network', serviceCategory: 'Networking', serviceSubcategory: 'Network Infrastructure', resourceType: 'Public IP address', sku: 'Standard IPv4 Static Public IP', pricingUnit: 'Hours', list: '0.005', description: 'IP Addresses - Standard IPv4 static public IP' }, azureId('microsoft.network/publicipaddresses')),
  // AWS
  m6iXlarge: ec2('m6i.xlarge', '0.192'),
  m6i2xlarge: ec2('m6i.2xlarge', '0.384'),
  c6iLarge: ec2('c6i.large', '0.085'),
  t3Medium: ec2('t3.medium', '0.0416'),
  m5_2xlarge: ec2('m5.2xlarge', '0.384'),
  ebsGp3: meter({ serviceName: 'Amazon Elastic Compute Cloud', serviceCategory: 'Storage', serviceSubcategory: 'Block Storage', resourceType: 'Volume', sku: 'EBS:VolumeUsage.gp3', pricingUnit: 'GB-Month', list: '0.08', description: '$0.08 per GB-month of General Purpose (gp3) provisioned storage' }, awsArn('ec2', 'volume/vol-0', true)),
  s3: meter({ serviceName: 'Amazon Simple Storage Service', serviceCategory: 'Storage', serviceSubcategory: 'Object Storage', resourceType: 'Bucket', sku: 'TimedStorage-ByteHrs', pricingUnit: 'GB-Month', list: '0.023', description: '$0.023 per GB - first 50 TB / month of storage used' }, (name) => `arn:aws:s3:::${name}`),
  rds: meter({ serviceName: 'Amazon Relational Database Service', serviceCategory: 'Databases', serviceSubcategory: 'Relational Databases', resourceType: 'DB Instance', sku: 'db.r6g.large PostgreSQL', pricingUnit: 'Hours', list: '0.258', description: '$0.258 per RDS db.r6g.large Multi-AZ instance hour running PostgreSQL' }, awsArn('rds', 'db:')),
  natGateway: meter({ serviceName: 'Amazon Virtual Private Cloud', serviceCategory: 'Networking', serviceSubcategory: 'Network Infrastructure', resourceType: 'NAT Gateway', sku: 'NatGateway-Hours', pricingUnit: 'Hours', list: '0.045', description: '$0.045 per NAT Gateway Hour' }, awsArn('ec2', 'natgateway/nat-0', true)),
  awsEgress: meter({ serviceName: 'AWS Data Transfer', serviceCategory: 'Networking', serviceSubcategory: 'Network Infrastructure', resourceType: 'Data Transfer', sku: 'DataTransfer-Out-Bytes', pricingUnit: 'GB', list: '0.09', description: '$0.090 per GB - first 10 TB / month data transfer out' }, awsArn('ec2', 'vpc/vpc-0', true)),
  cloudFront: meter({ serviceName: 'Amazon CloudFront', serviceCategory: 'Networking', serviceSubcategory: 'Content Delivery', resourceType: 'Distribution', sku: 'US-DataTransfer-Out-Bytes', pricingUnit: 'GB', list: '0.085', description: '$0.085 per GB - first 10 TB / month data transfer out (US)' }, awsArn('cloudfront', 'distribution/')),
  cloudWatchLogs: meter({ serviceName: 'Amazon CloudWatch', serviceCategory: 'Management and Governance', serviceSubcategory: 'Observability', resourceType: 'Log Group', sku: 'DataProcessing-Bytes', pricingUnit: 'GB', list: '0.5', description: '$0.50 per GB custom log data ingested' }, awsArn('logs', 'log-group:')),
  cloudTrail: meter({ serviceName: 'AWS CloudTrail', serviceCategory: 'Management and Governance', serviceSubcategory: 'Governance', resourceType: 'Trail', sku: 'PaidEventsRecorded', pricingUnit: '100K Events', list: '2', description: '$2.00 per 100,000 management events recorded' }, awsArn('cloudtrail', 'trail/')),
  awsConfig: meter({ serviceName: 'AWS Config', serviceCategory: 'Management and Governance', serviceSubcategory: 'Governance', resourceType: 'Config Rule', sku: 'ConfigurationItemRecorded', pricingUnit: 'Configuration Items', list: '0.003', description: '$0.003 per Configuration Item recorded' }, awsArn('config', 'config-recorder/')),
  guardDuty: meter({ serviceName: 'Amazon GuardDuty', serviceCategory: 'Security', serviceSubcategory: 'Threat Detection and Response', resourceType: 'Detector', sku: 'PaidEventsAnalyzed', pricingUnit: 'GB', list: '1', description: '$1.00 per GB of VPC Flow and DNS logs analyzed' }, awsArn('guardduty', 'detector/')),
  securityHub: meter({ serviceName: 'AWS Security Hub', serviceCategory: 'Security', serviceSubcategory: 'Security Posture Management', resourceType: 'Hub', sku: 'PaidComplianceCheck', pricingUnit: 'Checks', list: '0.001', description: '$0.0010 per security check' }, awsArn('securityhub', 'hub/')),
  inspector: meter({ serviceName: 'Amazon Inspector', serviceCategory: 'Security', serviceSubcategory: 'Vulnerability Management', resourceType: 'Scan', sku: 'EC2InstanceScan', pricingUnit: 'Instance-Hours', list: '0.0016', description: '$0.0016 per instance-hour scanned (Amazon EC2)' }, awsArn('inspector2', 'coverage/')),
  waf: meter({ serviceName: 'AWS WAF', serviceCategory: 'Security', serviceSubcategory: 'Network Security', resourceType: 'Web ACL', sku: 'Requests', pricingUnit: '1M Requests', list: '0.6', description: '$0.60 per million requests' }, awsArn('wafv2', 'global/webacl/')),
  // Google Cloud
  n2Standard4: gce('n2-standard-4', '0.194236'),
  n1T4Spot: meter({ serviceName: 'Compute Engine', serviceCategory: 'AI and Machine Learning', serviceSubcategory: 'Machine Learning', resourceType: 'compute.googleapis.com/Instance', sku: 'Spot Preemptible Nvidia Tesla T4 GPU', pricingUnit: 'Hours', list: '0.14', description: 'Spot Preemptible Nvidia Tesla T4 GPU running in Americas' }, gcpId('compute.googleapis.com', 'zones/{region}-a/instances')),
  persistentDisk: meter({ serviceName: 'Compute Engine', serviceCategory: 'Storage', serviceSubcategory: 'Block Storage', resourceType: 'compute.googleapis.com/Disk', sku: 'SSD backed PD Capacity', pricingUnit: 'GB-Month', list: '0.17', description: 'SSD backed PD Capacity' }, gcpId('compute.googleapis.com', 'zones/{region}-a/disks')),
  gcs: meter({ serviceName: 'Cloud Storage', serviceCategory: 'Storage', serviceSubcategory: 'Object Storage', resourceType: 'storage.googleapis.com/Bucket', sku: 'Standard Storage US Regional', pricingUnit: 'GB-Month', list: '0.02', description: 'Standard Storage US Regional' }, (name) => `//storage.googleapis.com/projects/_/buckets/${name}`),
  bigQuery: meter({ serviceName: 'BigQuery', serviceCategory: 'Analytics', serviceSubcategory: 'Data Processing', resourceType: 'bigquery.googleapis.com/Dataset', sku: 'Analysis', pricingUnit: 'TiB', list: '6.25', description: 'Analysis (on-demand)' }, gcpId('bigquery.googleapis.com', 'datasets')),
  vertexTraining: meter({ serviceName: 'Vertex AI', serviceCategory: 'AI and Machine Learning', serviceSubcategory: 'Machine Learning', resourceType: 'aiplatform.googleapis.com/CustomJob', sku: 'Custom Training n1-standard-8', pricingUnit: 'Hours', list: '0.4372', description: 'Vertex AI: Training on N1 Predefined Instance Core running in Americas' }, gcpId('aiplatform.googleapis.com', 'locations/{region}/customJobs')),
  gcpEgress: meter({ serviceName: 'Networking', serviceCategory: 'Networking', serviceSubcategory: 'Network Infrastructure', resourceType: 'compute.googleapis.com/Network', sku: 'Network Internet Egress from Americas to Americas', pricingUnit: 'GB', list: '0.12', description: 'Network Internet Data Transfer Out from Americas to Americas' }, gcpId('compute.googleapis.com', 'global/networks')),
};
