/**
 * The administrator's sign-off policy for the command line (src/core/approval-policy.ts): a JSON
 * file the administrator controls, never the workbook.
 *
 * Where it is found:
 * - the system file: `/etc/chargeback/config.json` (Linux, macOS), `%ProgramData%\Chargeback\config.json`
 *   (Windows). Where it exists it is the policy, and CHARGEBACK_POLICY may only tighten it.
 * - where there is no system file, CHARGEBACK_POLICY may name the administrator's file elsewhere
 *   (a shared drive, a build agent's configuration).
 * - neither: the defaults (no self-approval, typed names accepted).
 *
 * On Linux and macOS a policy file must not belong to the user running the command (unless that
 * user is root, the administrator): a file its own user can edit restrains no one. A file that is
 * there but cannot be read or is not right is an error, never silently the defaults.
 *
 * {"allowSelfApproval": false, "requireSignIn": true, "graph": "https://graph.microsoft.com"}
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type ApprovalPolicy, approvalPolicyFields, approvalPolicyOf, DEFAULT_POLICY } from '../core/approval-policy';
import { InputError } from './failures';

export const POLICY_ENV = 'CHARGEBACK_POLICY';

/** The system file's path on this platform. */
export function systemPolicyFile(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return path.win32.join(env.ProgramData || 'C:\\ProgramData', 'Chargeback', 'config.json');
  return '/etc/chargeback/config.json';
}

/** The policy, and the Graph endpoint `approve --signed-in` asks who is signed in (a national cloud's; https://graph.microsoft.com when not said). */
export type CliPolicy = ApprovalPolicy & { graph?: string };

const schema = z.object({ ...approvalPolicyFields, graph: z.string().refine((text) => URL.canParse(text), 'must be a URL, such as https://graph.microsoft.us').optional() }).strict();

/** The policy in a file's text, or an error naming the file and each wrong field. */
export function parsePolicy(text: string, file: string): CliPolicy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: the administrator's policy is not JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ...approvalPolicyOf(parsed.data), ...(parsed.data.graph ? { graph: parsed.data.graph } : {}) };
  const problems = parsed.error.issues.map((issue) =>
    issue.code === 'unrecognized_keys' ? `${issue.keys.map((k) => `"${k}"`).join(', ')} is not a policy setting (the settings are allowSelfApproval, requireSignIn, graph)` : `${issue.path.join('.') || 'the file'} ${issue.message}`,
  );
  throw new InputError(`${file}: the administrator's policy is not right: ${problems.join('; ')}`);
}

/** Why a file's owner makes it no policy: one its own user can change restrains no one. */
export function ownerProblem(file: string, owner: number, user: number | undefined): string | undefined {
  if (user === undefined || user === 0 || owner !== user) return undefined;
  return `${file}: this policy file belongs to you, so it cannot restrain you: the administrator's policy must be a file you cannot change (owned by root or an administrator)`;
}

async function readPolicyFile(file: string): Promise<CliPolicy | undefined> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(`${file}: the administrator's policy cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (!stat.isFile()) throw new InputError(`${file}: the administrator's policy must be a file`);
  const problem = ownerProblem(file, stat.uid, process.getuid?.());
  if (problem) throw new InputError(problem);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: the administrator's policy cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parsePolicy(text, file);
}

/** The stricter of two policies: where the system file exists, another file can only tighten it. */
function stricter(a: CliPolicy, b: CliPolicy): CliPolicy {
  return { ...a, allowSelfApproval: a.allowSelfApproval && b.allowSelfApproval, requireSignIn: a.requireSignIn || b.requireSignIn };
}

/** The policy in force for this command, and where it came from (for messages). */
export async function loadPolicy(env: NodeJS.ProcessEnv = process.env, systemFile = systemPolicyFile(process.platform, env)): Promise<CliPolicy> {
  const system = await readPolicyFile(systemFile);
  const named = env[POLICY_ENV]?.trim();
  const other = named ? await readPolicyFile(path.resolve(named)) : undefined;
  if (named && !other) throw new InputError(`${named}: no such file (${POLICY_ENV} names the administrator's policy file)`);
  if (system) return other ? stricter(system, other) : system;
  return other ?? DEFAULT_POLICY;
}
