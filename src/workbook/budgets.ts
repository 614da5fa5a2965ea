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

export interface BudgetApplyStepOptions extends BudgetStepOptions, ApplyOptions {
  /**
   * Saves the workbook once the Audit log records what apply is about to write, before the first
   * write to Azure (the command line writes the file; in Excel the entry is in the workbook already).
   */
  persist?: () => Promise<void>;
}

/** The month the context's clock is in, as Azure's start-date rules count it. */
export const currentMonthOf = (context: { user?: string; now?: () => Date }) => (context.now ? context.now() : new Date()).toISOString().slice(0, 7);

/** Plans the sync of the workbook's Budgets (and CostCenters.Budget) against what Azure has. */
export async function planWorkbookBudgets(gateway: WorkbookGateway, api: BudgetsApi, context: StepContext, options: BudgetStepOptions = {}): Promise<BudgetPlan> {
  const { rules, problems, tables } = await checkRules(gateway);
  if (!rules) throw new RuleError(problems);
  return planBudgetSync(api, tables, rules, { currentMonth: currentMonthOf(context), scope: options.scope });
}

/**
 * Plans and applies the sync; the Audit row names what was written and digests the Budgets table as
 * applied. Before the first write to Azure, an Audit row names every budget apply is about to
 * write, and the workbook is saved: an apply killed part way leaves a log that says which budgets
 * Azure may hold (the intent with no result after it).
 */
export async function applyWorkbookBudgets(gateway: WorkbookGateway, api: BudgetsApi, context: StepContext, options: BudgetApplyStepOptions = {}): Promise<{ plan: BudgetPlan; outcome: ApplyOutcome }> {
  const plan = await planWorkbookBudgets(gateway, api, context, options);
  const applied: AppliedBudget[] = [];
  const log = async (details: string) => {
    const budgets = await gateway.readTable('Budgets');
    const contentDigest = budgets ? await sha256Hex(canonicalRows('Budgets', budgets.headers, budgets.rows)) : '';
    await appendAudit(gateway, { action: 'Budgets', by: context.user, period: '', details: `pushed to Cost Management (${api.endpoint}): ${details}`, contentDigest }, context);
  };
  const intent = plannedWrites(plan, options.prune === true);
  if (intent.length > 0) {
    await log(`about to write ${intent.join(', ')}; the next Budgets entry says what was written (without one, apply stopped part way and Azure may hold any of these)`);
    await options.persist?.();
  }
  let outcome: ApplyOutcome;
  try {
    outcome = await applyBudgetPlan(api, plan, { ...options, applied });
  } catch (error) {
    // Azure keeps what was written before the failure, so the log says so too (and closes the intent it logged).
    const why = error instanceof Error ? error.message : String(error);
    if (applied.some((a) => a.action !== 'unchanged' && a.action !== 'skipped')) await log(`stopped part-way (${why}); before that ${applySummary({ applied })}`);
    else if (intent.length > 0) await log(`stopped before writing anything (${why})`);
    throw error;
  }
  await log(applySummary(outcome));
  return { plan, outcome };
}

/** What applying the plan writes to Azure, budget by budget: `create NAME at SCOPE`, ... */
function plannedWrites(plan: BudgetPlan, prune: boolean): string[] {
  const named = (action: string, list: BudgetPlan['create']) => list.map((p) => `${action} ${p.name} at ${p.scope}`);
  return [...named('create', plan.create), ...named('update', plan.update), ...named('replace', plan.replace), ...(prune ? named('delete', plan.orphaned) : [])];
}
