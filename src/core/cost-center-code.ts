/**
 * How long a cost center code may be. A code names files on the share (each cost center's showback
 * statement, `showback/<code>.xlsx`) and appears in journals and ERP uploads, so it must fit a file
 * name on every share (255 characters on Windows, SharePoint and most file systems, with room for
 * the folder, a suffix and the extension) and a GL segment. ERP cost center codes are far shorter
 * (SAP: 10 characters; Oracle and Dynamics segments: 25 to 30).
 */
export const COST_CENTER_CODE_LIMIT = 64;

/** Why a cost center code cannot be used, or undefined when it can. */
export function costCenterCodeProblem(code: string): string | undefined {
  const length = [...code.trim()].length;
  if (length <= COST_CENTER_CODE_LIMIT) return undefined;
  return `cost center code "${code.trim().slice(0, 20)}…" is ${length.toLocaleString('en-US')} characters long, more than the ${COST_CENTER_CODE_LIMIT} a code may have (it names the cost center's files on the share): use a shorter code`;
}

/**
 * The most cost centers one chargeback may have: listed in CostCenters, or produced by a `{value}`
 * mapping from the cost data, together. Each is a statement row, a journal line and a showback
 * statement on the share; ERP charts of cost centers hold hundreds to a few thousand. Past this a
 * `{value}` mapping is almost surely reading the wrong column (a resource id, not a team), and the
 * run would exhaust the memory budget (docs/performance.md) rather than say so.
 */
export const COST_CENTER_LIMIT = 10_000;

