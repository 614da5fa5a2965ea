/** Step 2, Rules: create the rule tables (or load the sample's), then check them. */
import { Button, makeStyles, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { RuleTables } from '../core/rules';
import type { Notice } from './notice';
import type { RulesCheck, TaskPaneOperations } from './operations';
import { ProblemList } from './problems';
import { useStepAction } from './step-action';

export interface RulesStepProps {
  ops: Pick<TaskPaneOperations, 'createRuleTables' | 'loadRules' | 'checkRules' | 'selectCell'>;
  /** The sample's rules, offered when the sample data was pulled. */
  sampleRules: RuleTables | undefined;
  onNotice: (notice: Notice | undefined) => void;
  /** After the rule tables were created or replaced. */
  onRulesWritten?: () => void;
}

const useStyles = makeStyles({
  step: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

export function RulesStep({ ops, sampleRules, onNotice, onRulesWritten }: RulesStepProps) {
  const styles = useStyles();
  const { busy, attempt } = useStepAction<'create' | 'sample' | 'check'>('rules', onNotice);
  const [checked, setChecked] = useState<RulesCheck>();

  const create = () =>
    attempt('create', async () => {
      const created = await ops.createRuleTables();
      if (created.length > 0) onRulesWritten?.();
      onNotice(
        created.length > 0
          ? { intent: 'success', title: 'Rule tables created', body: `Added ${created.join(', ')}, each with an example row. Replace the examples with your cost centers and rules, then check them.` }
          : { intent: 'info', title: 'The rule tables are there', body: 'The workbook already has every rule table; nothing was changed.' },
      );
    });

  const useSample = () =>
    attempt('sample', async () => {
      await ops.loadRules(sampleRules!, 'the bundled sample');
      onRulesWritten?.();
      setChecked(undefined);
      onNotice({ intent: 'success', title: 'Sample rules loaded', body: 'The rule tables now hold the sample rules. Check them, then allocate.' });
    });

  const check = () =>
    attempt('check', async () => {
      const check = await ops.checkRules();
      const found = check.problems;
      setChecked(check);
      onNotice(
        found.length === 0
          ? { intent: 'success', title: 'The rules are valid', body: 'Next: Allocate.' }
          : { intent: 'warning', title: `${found.length} problem${found.length === 1 ? '' : 's'} in the rules`, body: 'Select a problem to go to its cell. Allocation stops until they are fixed.' },
      );
    });

  return (
    <section className={styles.step} aria-label="Rules">
      <Text>
        The rules are ordinary Excel tables: CostCenters, Mappings (first match wins), SharedPools, FixedSplits, Drivers and Settings. Edit them in the workbook; Method and Dimension
        offer drop-down lists.
      </Text>
      <div className={styles.row}>
        <Button appearance="primary" disabled={Boolean(busy)} onClick={() => void create()}>
          Create rule tables
        </Button>
        {sampleRules && (
          <Button disabled={Boolean(busy)} onClick={() => void useSample()}>
            Use the sample rules
          </Button>
        )}
        <Button disabled={Boolean(busy)} onClick={() => void check()}>
          Check rules
        </Button>
      </div>
      {checked && checked.problems.length > 0 && <ProblemList problems={checked.problems} onSelect={(p) => void ops.selectCell(p.table, p.row, p.column)} />}
      {checked && (
        <Table size="small" aria-label="Rule tables checked">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Rule table</TableHeaderCell>
              <TableHeaderCell>Rows</TableHeaderCell>
              <TableHeaderCell>Problems</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {checked.counts.map(({ table, rows }) => (
              <TableRow key={table}>
                <TableCell>{table}</TableCell>
                <TableCell>{rows}</TableCell>
                <TableCell>{checked.problems.filter((p) => p.table === table).length || '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
