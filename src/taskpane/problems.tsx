/** Rule problems, each with a link that selects the offending cell in the workbook. */
import { Link, makeStyles, Text, tokens } from '@fluentui/react-components';
import { problemPlace, RuleProblem } from '../core/rules';

const useStyles = makeStyles({
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

export function ProblemList({ problems, onSelect }: { problems: RuleProblem[]; onSelect: (problem: RuleProblem) => void }) {
  const styles = useStyles();
  return (
    <ul className={styles.list} aria-label="Rule problems">
      {problems.map((problem, index) => (
        <li key={index} data-testid="rule-problem">
          {problem.table !== 'Rules' ? (
            <Link as="button" onClick={() => onSelect(problem)} title="Select this cell in the workbook">
              {problemPlace(problem)}
            </Link>
          ) : (
            <Text weight="semibold">{problemPlace(problem)}</Text>
          )}
          <Text>: {problem.message}</Text>
        </li>
      ))}
    </ul>
  );
}
