/** Where the command line finds the administrator's sign-off policy, and what a file may and may not do. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadPolicy, ownerProblem, systemPolicyFile } from '../../src/cli/policy';
import { tempDir } from '../support/files';

const file = (policy: unknown) => {
  const at = path.join(tempDir('chargeback-policy-'), 'config.json');
  writeFileSync(at, typeof policy === 'string' ? policy : JSON.stringify(policy));
  return at;
};
const missing = () => path.join(tempDir('chargeback-policy-'), 'none.json');

describe("the administrator's policy for the command line", () => {
  it('is found in /etc/chargeback/config.json, or %ProgramData%\\Chargeback\\config.json on Windows', () => {
    expect(systemPolicyFile('linux', {})).toBe('/etc/chargeback/config.json');
    expect(systemPolicyFile('win32', { ProgramData: 'D:\\ProgramData' })).toBe('D:\\ProgramData\\Chargeback\\config.json');
  });

  it('is the defaults with no file: no self-approval, typed names accepted', async () => {
    await expect(loadPolicy({}, missing())).resolves.toEqual({ allowSelfApproval: false, requireSignIn: false });
  });

  it('reads CHARGEBACK_POLICY where there is no system file', async () => {
    await expect(loadPolicy({ CHARGEBACK_POLICY: file({ requireSignIn: true, graph: 'https://graph.microsoft.us' }) }, missing())).resolves.toEqual({ allowSelfApproval: false, requireSignIn: true, graph: 'https://graph.microsoft.us' });
  });

  it('lets CHARGEBACK_POLICY only tighten the system file, never loosen it', async () => {
    const system = file({ allowSelfApproval: false, requireSignIn: true });
    await expect(loadPolicy({ CHARGEBACK_POLICY: file({ allowSelfApproval: true, requireSignIn: false }) }, system)).resolves.toEqual({ allowSelfApproval: false, requireSignIn: true });
    const lax = file({ allowSelfApproval: true });
    await expect(loadPolicy({ CHARGEBACK_POLICY: file({ requireSignIn: true }) }, lax)).resolves.toEqual({ allowSelfApproval: false, requireSignIn: true });
  });

  it('refuses a file that is named but missing, or not JSON: never silently the defaults', async () => {
    const gone = missing();
    await expect(loadPolicy({ CHARGEBACK_POLICY: gone }, missing())).rejects.toThrow(`${gone}: no such file (CHARGEBACK_POLICY names the administrator's policy file)`);
    const broken = file('{"allowSelfApproval": tru');
    await expect(loadPolicy({}, broken)).rejects.toThrow(`${broken}: the administrator's policy is not JSON`);
  });

  it('refuses a policy file that belongs to the user it would restrain (root, the administrator, excepted)', () => {
    expect(ownerProblem('/home/pat/policy.json', 1000, 1000)).toBe('/home/pat/policy.json: this policy file belongs to you, so it cannot restrain you: the administrator\'s policy must be a file you cannot change (owned by root or an administrator)');
    expect(ownerProblem('/etc/chargeback/config.json', 0, 1000)).toBeUndefined();
    expect(ownerProblem('/etc/chargeback/config.json', 0, 0)).toBeUndefined();
  });
});
