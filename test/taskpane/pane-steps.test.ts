import { localTime, nextStep, PANE_STEPS, stepLabel } from '../../src/taskpane/pane-steps';
import type { PaneStatus } from '../../src/taskpane/pane-status';

const status = (change: Partial<PaneStatus>): PaneStatus => ({ state: 'no data', hasCosts: false, hasRules: false, ...change });
const step = (id: string) => PANE_STEPS.find((s) => s.id === id)!;

describe('the pane steps', () => {
  it('say why a step cannot run yet, and which step comes first', () => {
    expect(step('allocate').needs!(status({}))).toEqual({ why: 'There are no costs in this workbook yet.', first: 'data' });
    expect(step('allocate').needs!(status({ hasCosts: true, state: 'pulled' }))).toEqual({ why: 'The workbook has no rules yet.', first: 'rules' });
    expect(step('allocate').needs!(status({ hasCosts: true, hasRules: true, state: 'pulled' }))).toBeUndefined();
    expect(step('publish').needs!(status({ hasCosts: true, hasRules: true, state: 'allocated' }))?.first).toBe('review');
  });

  it('name the next step for each state', () => {
    expect(nextStep(status({}), PANE_STEPS)?.id).toBe('data');
    expect(nextStep(status({ state: 'pulled', hasCosts: true }), PANE_STEPS)?.id).toBe('rules');
    expect(nextStep(status({ state: 'pulled', hasCosts: true, hasRules: true }), PANE_STEPS)?.id).toBe('allocate');
    expect(nextStep(status({ state: 'approved' }), PANE_STEPS)?.id).toBe('publish');
    expect(stepLabel(PANE_STEPS, 'review')).toBe('4. Review');
  });

  it('show times in local time with the zone', () => {
    expect(localTime('2026-11-03T10:00:00Z', 'en-US')).toMatch(/^Nov 3, 2026, \d{1,2}:00 [AP]M \S+/);
    expect(localTime('not a time')).toBe('not a time');
  });
});
