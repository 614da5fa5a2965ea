/**
 * The administrator's policy on sign-off. It lives outside the workbook, where the person it
 * restrains cannot edit it: in the add-in's configuration (chargeback.config.json, served with the
 * add-in) and, for the command line, a configuration file the administrator controls (src/cli/policy.ts).
 * A book's own Settings cannot loosen it.
 *
 * - `allowSelfApproval` (default false): whoever pulled or allocated a period may approve it too;
 *   every such approval is marked in the Audit log and the manifest.
 * - `requireSignIn` (default false): only signed-in identities approve (Microsoft Entra ID: the pane's
 *   nested app authentication, `chargeback approve --signed-in`); typed names and operating-system
 *   accounts are refused, and publishing refuses an approval that was not signed in.
 */
import { z } from 'zod';
import { howKnown, personIn, sharedPerson } from './identity';

export interface ApprovalPolicy {
  allowSelfApproval: boolean;
  requireSignIn: boolean;
}

export const DEFAULT_POLICY: ApprovalPolicy = { allowSelfApproval: false, requireSignIn: false };

/** The policy's fields as they are written in a configuration file. */
export const approvalPolicyFields = {
  allowSelfApproval: z.boolean({ error: 'must be true or false' }).optional(),
  requireSignIn: z.boolean({ error: 'must be true or false' }).optional(),
};

/** The policy a configuration names, defaults for what it does not. */
export function approvalPolicyOf(config: { allowSelfApproval?: boolean; requireSignIn?: boolean }): ApprovalPolicy {
  return { allowSelfApproval: config.allowSelfApproval ?? false, requireSignIn: config.requireSignIn ?? false };
}

/** What the policy says of one sign-off: refused (and why, in words for the person refused), or allowed, marked when it is a self-approval. */
export type SignOffDecision = { allowed: false; reason: string; kind: 'sign in required' | 'self-approval' } | { allowed: true; selfApprovalOf?: string };

/**
 * Whether `approver` (an Audit By text) may approve `period`, which `preparers` (the By texts of its
 * Pull and Allocate entries) prepared. The reason never tells the person restrained how to lift the
 * restraint: it tells them whom to ask.
 */
export function signOffDecision(preparers: readonly string[], period: string, approver: string, policy: ApprovalPolicy): SignOffDecision {
  if (policy.requireSignIn && howKnown(approver) !== 'signed in') {
    return {
      allowed: false,
      kind: 'sign in required',
      reason: `approval refused for ${period}: your organisation accepts only a signed-in approver (Microsoft Entra ID), and ${personIn(approver)} is ${howKnown(approver) === 'typed' ? 'a typed name' : 'an operating-system account'}; sign in to approve (in Excel, sign in to Office; on the command line, approve --signed-in)`,
    };
  }
  for (const preparer of preparers) {
    const same = sharedPerson(preparer, approver);
    if (!same) continue;
    if (policy.allowSelfApproval) return { allowed: true, selfApprovalOf: same };
    return {
      allowed: false,
      kind: 'self-approval',
      reason: `approval refused for ${period}: ${same} prepared it (pulled or allocated, see Audit), and the preparer may not approve their own work; ask a reviewer to open this workbook and approve it`,
    };
  }
  return { allowed: true };
}

/** The words an Approve entry's details carry when the policy let the preparer approve. */
export function selfApprovalMark(person: string): string {
  return `self-approval: ${person} prepared it, allowed by the administrator's policy`;
}
