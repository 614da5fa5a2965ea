/**
 * Which spelling of a cost center code the statement uses. Codes are matched ignoring case and
 * surrounding spaces (rules.ts `codeKey`); the statement writes the spelling of CostCenters, so a
 * mapping to `cc-pay` or ` CC-PAY ` books `CC-PAY`. The allocation run and CB.COSTCENTER both
 * spell codes through here.
 */
import { codeKey } from './rules';

/** The CostCenters spelling of a code, or undefined when CostCenters does not list it. */
export function listedSpelling(listed: readonly string[]): (code: string) => string | undefined {
  const byKey = new Map<string, string>();
  for (const code of listed) if (!byKey.has(codeKey(code))) byKey.set(codeKey(code), code.trim());
  return (code) => byKey.get(codeKey(code));
}

/**
 * The statement's spelling of every code: that of CostCenters, then of the Unallocated setting,
 * then of the first time the code was seen (a `{value}` code CostCenters does not list), trimmed.
 */
export function canonicalCodes(listed: readonly string[], unallocated: string): (code: string) => string {
  const spelled = listedSpelling(listed);
  const seen = new Map<string, string>();
  if (spelled(unallocated) === undefined) seen.set(codeKey(unallocated), unallocated.trim());
  return (code) => {
    const canonical = spelled(code) ?? seen.get(codeKey(code));
    if (canonical !== undefined) return canonical;
    seen.set(codeKey(code), code.trim());
    return code.trim();
  };
}
