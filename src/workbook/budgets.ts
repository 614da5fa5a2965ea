/**
 * The Budgets step, written once against the gateway: plan the one-way sync of the workbook's
 * budgets to Cost Management, and apply it with an Audit row saying what was written.
 */
import { canonicalRows, sha256Hex } from '../core/digest';
import { RuleError } from '../core/rules';
import { BudgetsApi } from '../budgets/budgets-api';
import { BudgetPlan } from '../budgets/plan';
import { AppliedBudget, applyBudgetPlan, ApplyOptions, ApplyOutcome, applySummary, planBudgetSync } from '../budgets/sync';
import { WorkbookGateway } from './gateway';
import { appendAudit, checkRules, StepContext } from './steps';

export interface BudgetStepOptions {
  /** `--scope`: where rows that name no Scope go, instead of Settings BudgetScope. */
  scope?: string;
}

/** The month the context's clock is in, as Azure's start-date rules count it. */
export const currentMonthOf = (context: { user?: string; now?: () => Date }) => (context.now ? context.now() : new Date()).toISOString().slice(0, 7);

/** Plans the sync of the workbook's Budgets (and CostCenters.Budget) against what Azure has. */
export async function planWorkbookBudgets(gateway: WorkbookGateway, api: BudgetsApi, context: StepContext, options: BudgetStepOptions = {}): Promise<BudgetPlan> {
  const { rules, problems, tables } = await checkRules(gateway);
  if (!rules) throw new RuleError(problems);
  return planBudgetSync(api, tables, rules, { currentMonth: currentMonthOf(context), scope: options.scope });
}

/** Plans and applies the sync; the Audit row names what was written and digests the Budgets table as applied. */
export async function applyWorkbookBudgets(
  gateway: WorkbookGateway,
  api: BudgetsApi,
  context: StepContext,
  options: BudgetStepOptions & ApplyOptions = {},
): Promise<{ plan: BudgetPlan; outcome: ApplyOutcome }> {
  const plan = await planWorkbookBudgets(gateway, api, context, options);
  const applied: AppliedBudget[] = [];
  const log = async (details: string) => {
    const budgets = await gateway.readTable('Budgets');
    const contentDigest = budgets ? await sha256Hex(canonicalRows('Budgets', budgets.headers, budgets.rows)) : '';
    await appendAudit(gateway, { action: 'Budgets', by: context.user, period: '', details: `pushed to Cost Management (${api.endpoint}): ${details}`, contentDigest }, context);
  };
  let outcome: ApplyOutcome;
  try {
    outcome = await applyBudgetPlan(api, plan, { ...options, applied });
  } catch (error) {
    // Azure keeps what was written before the failure, so the log says so too.
    if (applied.some((a) => a.action !== 'unchanged' && a.action !== 'skipped')) {
      await log(`stopped part-way (${error instanceof Error ? error.message : String(error)}); before that ${applySummary({ applied })}`);
    }
    throw error;
  }
  await log(applySummary(outcome));
  return { plan, outcome };
}
