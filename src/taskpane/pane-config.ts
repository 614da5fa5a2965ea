/**
 * What the deployment's admin sets once so finance staff never see an app registration: the
 * Microsoft Entra tenant, the app registration's client id, the default SharePoint site, library
 * and folder, or a default Blob container. It lives in `chargeback.config.json` beside the task
 * pane (copied there by the build from CHARGEBACK_CONFIG, or put there after), read from the pane's
 * own origin. No file means nothing is configured; a file that is not right is an error that says
 * which field and why, shown in the pane, and the pane works on without it.
 * Nothing in it is secret, and nothing secret may go in it: anyone who can open the pane can read it.
 */
import { z } from 'zod';
import { ApprovalPolicy, approvalPolicyFields, approvalPolicyOf } from '../core/approval-policy';

export const PANE_CONFIG_FILE = 'chargeback.config.json';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
const httpsUrl = (what: string) => z.string().refine((text) => /^https:\/\/[^/?#]+/i.test(text) && URL.canParse(text), `must be an https URL (${what})`);

const schema = z
  .object({
    tenant: z
      .string()
      .refine((t) => GUID.test(t) || DOMAIN.test(t) || t === 'organizations', 'must be the tenant id (a GUID) or its domain, such as contoso.onmicrosoft.com')
      .optional(),
    clientId: z.string().regex(GUID, "must be the app registration's Application (client) ID, a GUID such as 00000000-0000-0000-0000-000000000000").optional(),
    sharePoint: z
      .object({
        siteUrl: httpsUrl('such as https://contoso.sharepoint.com/sites/Finance').optional(),
        library: z.string().trim().min(1, 'must name a document library, such as Documents').optional(),
        folder: z.string().trim().min(1, 'must name a folder, such as Chargeback').optional(),
      })
      .strict()
      .optional(),
    blobContainerUrl: httpsUrl('such as https://account.blob.core.windows.net/finance')
      .refine((url) => !/[?&]sig=/i.test(url), 'must not carry a SAS: this file is readable by anyone who can open the pane; each user adds the SAS when publishing')
      .optional(),
    // The sign-off policy (src/core/approval-policy.ts): the administrator's, never the book's.
    ...approvalPolicyFields,
  })
  .strict();

export type PaneConfig = z.infer<typeof schema>;

export class PaneConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PaneConfigError';
  }
}

/** The configuration in `text`, or a PaneConfigError naming each wrong field. */
export function parsePaneConfig(text: string): PaneConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PaneConfigError(`${PANE_CONFIG_FILE} is not JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.join('.');
    const known = field === 'sharePoint' ? 'siteUrl, library, folder' : 'tenant, clientId, sharePoint, blobContainerUrl, allowSelfApproval, requireSignIn';
    const message = issue.code === 'unrecognized_keys' ? `${issue.keys.map((k) => `"${k}"`).join(', ')} ${issue.keys.length === 1 ? 'is not a setting' : 'are not settings'} (the settings are ${known})` : issue.message;
    return field ? `${field} ${message}` : message;
  });
  throw new PaneConfigError(`${PANE_CONFIG_FILE}: ${problems.join('; ')}`);
}

export interface LoadedPaneConfig {
  config: PaneConfig;
  /** Why the file was not used, for the pane to show; undefined when it was, or when there is none. */
  problem?: string;
}

/** Reads `chargeback.config.json` beside the page at `pageUrl`. */
export async function loadPaneConfig(pageUrl: string, fetcher: typeof fetch = fetch): Promise<LoadedPaneConfig> {
  const url = new URL(PANE_CONFIG_FILE, pageUrl);
  let response: Response;
  try {
    response = await fetcher(url.href, { cache: 'no-cache', credentials: 'same-origin' });
  } catch (error) {
    return { config: {}, problem: `${PANE_CONFIG_FILE} could not be read: ${(error as Error).message}` };
  }
  // No file: nothing configured, which is not a problem.
  if (response.status === 404) return { config: {} };
  if (!response.ok) return { config: {}, problem: `${PANE_CONFIG_FILE} could not be read: the server answered ${response.status}` };
  try {
    return { config: parsePaneConfig(await response.text()) };
  } catch (error) {
    return { config: {}, problem: (error as Error).message };
  }
}

/**
 * The administrator's sign-off policy. A configuration that could not be read says nothing of it,
 * so sign-off then requires a signed-in approver: a broken file never loosens the policy.
 */
export function approvalPolicyFor(loaded: LoadedPaneConfig): ApprovalPolicy {
  const policy = approvalPolicyOf(loaded.config);
  return loaded.problem ? { allowSelfApproval: false, requireSignIn: true } : policy;
}

/** The sign-in authority: the configured tenant, or any work or school account. */
export function authorityFor(config: PaneConfig): string {
  return `https://login.microsoftonline.com/${config.tenant ?? 'common'}`;
}
