/**
 * After a read, in the Data step: billed and effective cost per billing period and provider, to
 * tie to the provider's invoice before the costs are put in the workbook.
 */
import { Caption1, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import { useMemo } from 'react';
import { controlTotals } from '../core/control-totals';
import type { CostLine } from '../core/costs';
import { useFigureTableStyles } from './figure-table';
import { grouped } from './operations';

export function ControlTotals({ lines }: { lines: readonly CostLine[] }) {
  const styles = useFigureTableStyles();
  const totals = useMemo(() => controlTotals(lines), [lines]);
  return (
    <div data-testid="control-totals">
      <Text as="h3" weight="semibold" size={300} block>
        Control totals
      </Text>
      <Caption1 as="p">Tie these to the invoice: BilledCost is what the provider invoices; EffectiveCost spreads commitment purchases over their term.</Caption1>
      <Table size="small" className={styles.table} aria-label="Control totals by period and provider">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Period, provider</TableHeaderCell>
            <TableHeaderCell className={styles.number}>Billed</TableHeaderCell>
            <TableHeaderCell className={styles.number}>Effective</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {totals.map((t) => (
            <TableRow key={`${t.period} ${t.provider} ${t.currency}`} data-testid="control-total">
              <TableCell title={`${t.rows.toLocaleString()} FOCUS rows`}>{`${t.period} ${t.provider || '(no provider)'}`}</TableCell>
              <TableCell className={styles.amount}>{`${grouped(t.billed)} ${t.currency}`}</TableCell>
              <TableCell className={styles.amount}>{`${grouped(t.effective)} ${t.currency}`}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
