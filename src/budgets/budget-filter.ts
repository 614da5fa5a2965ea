/**
 * The filter that makes a budget track one cost center's spend: derived from the cost center's
 * Mappings where they translate into Cost Management's filter, or written out in the Filter column.
 *
 * A budget filter can only AND its clauses (the model has `and`, `dimensions`, `tags`), while
 * mappings OR theirs (first match wins), so only mappings that all look at one dimension translate:
 * their patterns (without wildcards) become one `In` list.
 */
import { isTagDimension, tagKeyOf } from '../core/focus';
import { matchesPattern, VALUE_PLACEHOLDER } from '../core/match';
import { Mapping } from '../core/rules';
import { BudgetFilter, ComparisonExpression, FilterClause } from './budget';
import { Read } from './budget-fields';

/** FOCUS columns whose values Cost Management filters on, under its own dimension names. */
export const FOCUS_TO_BUDGET_DIMENSION: Record<string, string> = {
  subaccountname: 'SubscriptionName',
  x_resourcegroupname: 'ResourceGroupName',
};

/** `none` in the Filter column: the budget tracks everything at its scope. */
export const NO_FILTER = 'none';

type Clause = { kind: 'tags' | 'dimensions'; name: string; values: string[] };

function clauseFor(dimension: string): Pick<Clause, 'kind' | 'name'> | undefined {
  if (isTagDimension(dimension)) return { kind: 'tags', name: tagKeyOf(dimension) };
  const name = FOCUS_TO_BUDGET_DIMENSION[dimension.toLowerCase()];
  return name ? { kind: 'dimensions', name } : undefined;
}

function filterOf(clauses: Clause[]): BudgetFilter | undefined {
  const parts: FilterClause[] = clauses.map((c) => ({ [c.kind]: { name: c.name, operator: 'In', values: c.values } as ComparisonExpression }));
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { and: parts };
}

const hasWildcard = (pattern: string) => /[*?]/.test(pattern);

/** The filter the cost center's mappings translate into, or why they do not. */
export function filterFromMappings(costCenter: string, mappings: readonly Mapping[]): Read<BudgetFilter | undefined> {
  const own = mappings.filter((m) =>
    m.costCenter.trim().toLowerCase() === VALUE_PLACEHOLDER ? matchesPattern(costCenter, m.pattern) : m.costCenter.toLowerCase() === costCenter.toLowerCase(),
  );
  if (own.length === 0) return { problem: `no Mappings row sends cost to ${costCenter}: write a Filter (or ${NO_FILTER} for everything at the scope)` };
  let clause: Clause | undefined;
  for (const mapping of own) {
    const where = `Mappings row ${mapping.source.row} (${mapping.dimension} ${mapping.pattern})`;
    const target = clauseFor(mapping.dimension);
    if (!target) return { problem: `${where} does not translate into a budget filter (only Tag:<key>, SubAccountName and x_ResourceGroupName do): write a Filter` };
    const byValue = mapping.costCenter.trim().toLowerCase() === VALUE_PLACEHOLDER;
    if (!byValue && hasWildcard(mapping.pattern)) return { problem: `${where} has a wildcard, which a budget filter cannot express: write a Filter` };
    if (clause && (clause.kind !== target.kind || clause.name.toLowerCase() !== target.name.toLowerCase())) {
      return { problem: `${costCenter}'s mappings look at ${clause.kind === 'tags' ? `Tag:${clause.name}` : clause.name} and at ${mapping.dimension}; a budget filter cannot say "either" (${where}): write a Filter` };
    }
    clause ??= { ...target, values: [] };
    const value = byValue ? costCenter : mapping.pattern.trim();
    if (!clause.values.some((v) => v.toLowerCase() === value.toLowerCase())) clause.values.push(value);
  }
  return { value: filterOf(clause ? [clause] : []) };
}

/**
 * The Filter column: clauses joined by `;` that all must hold, each `Name = value, value` where
 * Name is `Tag:<key>`, a Cost Management dimension (`ResourceGroupName`, `SubscriptionId`,
 * `MeterCategory`, …) or the FOCUS columns SubAccountName and x_ResourceGroupName. `none` means
 * no filter.
 */
export function readFilter(text: string): Read<BudgetFilter | undefined> {
  if (text.trim().toLowerCase() === NO_FILTER) return { value: undefined };
  const clauses: Clause[] = [];
  for (const part of text.split(';').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([^=]+?)\s*=\s*(.+)$/.exec(part);
    if (!match) return { problem: `"${part}" is not Name = value[, value]: e.g. Tag:team = checkout; ResourceGroupName = rg-pay` };
    const name = match[1].trim();
    const values = match[2].split(',').map((v) => v.trim()).filter(Boolean);
    if (values.length === 0) return { problem: `"${part}" has no values` };
    const target = clauseFor(name) ?? (/^[A-Za-z][A-Za-z0-9]*$/.test(name) ? { kind: 'dimensions' as const, name } : undefined);
    if (!target || (target.kind === 'tags' && target.name === '')) return { problem: `"${name}" is neither Tag:<key> nor a Cost Management dimension name` };
    if (clauses.some((c) => c.kind === target.kind && c.name.toLowerCase() === target.name.toLowerCase())) return { problem: `${name} appears twice: list its values in one clause` };
    clauses.push({ ...target, values });
  }
  if (clauses.length === 0) return { problem: `the Filter is empty: write Name = value or ${NO_FILTER}` };
  return { value: filterOf(clauses) };
}
