/**
 * What every step's buttons share: one action at a time (the buttons say which is running), the
 * last notice cleared when a new action starts, and an error shown as a notice saying what to do.
 */
import { useState } from 'react';
import { errorNotice, Notice } from './notice';

export function useStepAction<Action extends string>(step: Parameters<typeof errorNotice>[1], onNotice: (notice: Notice | undefined) => void) {
  const [busy, setBusy] = useState<Action>();
  async function attempt(what: Action, action: () => Promise<void>): Promise<void> {
    setBusy(what);
    onNotice(undefined);
    try {
      await action();
    } catch (error) {
      onNotice(errorNotice(error, step));
    } finally {
      setBusy(undefined);
    }
  }
  return { busy, attempt };
}
