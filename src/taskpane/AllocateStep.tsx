/** Step 3, Allocate: run the engine over Costs and the rules; show totals, unallocated share, reconciliation. */
import { Button, makeStyles, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { Notice } from './notice';
import type { AllocationView, TaskPaneOperations } from './operations';
import { useFigureTableStyles } from './figure-table';
import { useStepAction } from './step-action';

export interface AllocateStepProps {
  ops: Pick<TaskPaneOperations, 'allocate'>;
  /** The period pulled in the Data step, if known in this session. */
  period: string | undefined;
  onNotice: (notice: Notice | undefined) => void;
  /** The id of what says why allocating is not possible now (approved, or no data yet): the button stays focusable. */
  blockedBy?: string;
  onAllocated?: (period: string) => void;
  /** Counts the pulls since the pane opened: figures allocated before the last one are not the workbook's any more. */
  costsPulled?: number;
}

const useStyles = makeStyles({
  step: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  figures: { display: 'grid', gridTemplateColumns: 'auto auto', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS, justifyContent: 'start' },
  amount: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
  ok: { color: tokens.colorPaletteGreenForeground1, textAlign: 'right', fontWeight: tokens.fontWeightSemibold },
  bad: { color: tokens.colorPaletteRedForeground1, textAlign: 'right', fontWeight: tokens.fontWeightSemibold },
});

export function AllocateStep({ ops, period, onNotice, blockedBy, onAllocated, costsPulled = 0 }: AllocateStepProps) {
  const styles = useStyles();
  const table = useFigureTableStyles();
  const { busy, attempt } = useStepAction<'allocate'>('allocate', onNotice);
  const [view, setView] = useState<AllocationView>();
  // New costs in the workbook: the figures shown were allocated from the old ones, so they go.
  useEffect(() => setView(undefined), [costsPulled]);

  const run = () =>
    attempt('allocate', async () => {
      try {
        const result = await ops.allocate(period);
        setView(result);
        onAllocated?.(result.period);
        onNotice({ intent: 'success', title: 'Allocated', body: `Chargeback, Allocation and Reconciliation for ${result.period} are written; the Audit sheet has the run.` });
      } catch (error) {
        // A failed run shows no figures: they would be the previous run's.
        setView(undefined);
        throw error;
      }
    });

  const reconciled = view && Number(view.difference) === 0;
  return (
    <section className={styles.step} aria-label="Allocate">
      <Text>Allocates the Costs table with the rules and writes the Chargeback statement (with a chart), the Allocation detail and the Reconciliation to the source.</Text>
      <div>
        <Button appearance="primary" disabled={Boolean(busy)} disabledFocusable={Boolean(blockedBy)} aria-describedby={blockedBy} onClick={() => void run()}>
          {busy ? 'Allocating…' : `Allocate${period ? ` ${period}` : ''}`}
        </Button>
      </div>
      {view && (
        <>
          <div className={styles.figures} data-testid="allocation-figures">
            <Text>Charged to cost centers</Text>
            <Text className={styles.amount} data-testid="charged-total">{`${view.chargedTotal} ${view.currency}`}</Text>
            <Text>{`Unallocated (${view.unallocatedShare}%)`}</Text>
            <Text className={styles.amount} data-testid="unallocated">{`${view.unallocated} ${view.currency}`}</Text>
            <Text weight="semibold">Statement total</Text>
            <Text weight="semibold" className={styles.amount} data-testid="allocated-total">{`${view.allocatedTotal} ${view.currency}`}</Text>
            <Text title={`The cost data's total ${view.metric}, rounded`}>Source total</Text>
            <Text className={styles.amount} data-testid="source-total">{`${view.sourceTotal} ${view.currency}`}</Text>
            <Text weight="semibold">Difference</Text>
            <Text className={reconciled ? styles.ok : styles.bad} data-testid="difference">
              {view.difference}
            </Text>
          </div>
          <Table size="small" className={table.table} aria-label="Chargeback by cost center">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Cost center</TableHeaderCell>
                <TableHeaderCell className={table.number}>Direct</TableHeaderCell>
                <TableHeaderCell className={table.number}>Shared</TableHeaderCell>
                <TableHeaderCell className={table.number}>Total</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {view.costCenters.map((c) => (
                <TableRow key={c.costCenter}>
                  <TableCell title={c.name}>{c.costCenter}</TableCell>
                  <TableCell className={table.amount}>{c.direct}</TableCell>
                  <TableCell className={table.amount}>{c.shared}</TableCell>
                  <TableCell className={table.amount}>{c.total}</TableCell>
                </TableRow>
              ))}
              <TableRow className={table.totals} data-testid="allocation-totals">
                <TableCell>Total</TableCell>
                <TableCell className={table.amount}>{view.directTotal}</TableCell>
                <TableCell className={table.amount}>{view.sharedTotal}</TableCell>
                <TableCell className={table.amount}>{view.allocatedTotal}</TableCell>
              </TableRow>
            </TableBody>
          </Table>
        </>
      )}
    </section>
  );
}
