/**
 * Review's checks as a reviewer reads them: what needs attention open, OK and info folded (a
 * click away), and after a change since approval one root cause with the checks that follow from
 * it folded under it. Laid out by reviewLayout (review-view.ts).
 */
import { Caption1, Link, makeStyles, Text, tokens } from '@fluentui/react-components';
import type { CheckSeverity, ReviewCheck } from '../core/review';
import { grouped } from './operations';
import type { CheckGroup } from './review-view';

const useStyles = makeStyles({
  group: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, margin: 0, padding: 0 },
  summary: { cursor: 'pointer', paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS },
  checks: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  check: { display: 'flex', flexDirection: 'column', paddingLeft: tokens.spacingHorizontalS, borderLeftWidth: '3px', borderLeftStyle: 'solid' },
  Blocking: { borderLeftColor: tokens.colorPaletteRedBorder2 },
  Warning: { borderLeftColor: tokens.colorPaletteMarigoldBorder2 },
  OK: { borderLeftColor: tokens.colorPaletteGreenBorder2 },
  Info: { borderLeftColor: tokens.colorNeutralStroke1 },
  headline: { display: 'flex', justifyContent: 'space-between', gap: tokens.spacingHorizontalS },
  figure: { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' },
  detail: { color: tokens.colorNeutralForeground3 },
});

export interface CheckGroupsProps {
  groups: CheckGroup[];
  /** Folded: each group a disclosure, closed until the reviewer opens it. */
  folded?: boolean;
  onSelect: (check: ReviewCheck) => void;
}

export function CheckGroups({ groups, folded, onSelect }: CheckGroupsProps) {
  const styles = useStyles();
  return (
    <>
      {groups.map((group) => {
        const heading = `${group.title} (${group.checks.length})`;
        const list = (
          <ul className={styles.checks}>
            {group.checks.map((c, index) => (
              <CheckItem key={index} check={c} className={`${styles.check} ${styles[c.severity as CheckSeverity]}`} onSelect={() => onSelect(c)} />
            ))}
          </ul>
        );
        return folded ? (
          <details key={group.severity} className={styles.group} data-testid={`checks-${group.severity}`}>
            <summary className={styles.summary}>
              <Text weight="semibold" size={300}>
                {heading}
              </Text>
            </summary>
            {list}
          </details>
        ) : (
          <section key={group.severity} className={styles.group} aria-label={group.title} data-testid={`checks-${group.severity}`}>
            <Text as="h3" weight="semibold" size={300}>
              {heading}
            </Text>
            {list}
          </section>
        );
      })}
    </>
  );
}

/** The checks that follow from a root cause, folded under it. */
export function DerivedChecks({ groups, onSelect }: { groups: CheckGroup[]; onSelect: (check: ReviewCheck) => void }) {
  const styles = useStyles();
  const count = groups.reduce((n, g) => n + g.checks.length, 0);
  if (count === 0) return null;
  return (
    <details data-testid="derived-checks">
      <summary className={styles.summary}>{`What follows from it (${count} check${count === 1 ? '' : 's'})`}</summary>
      <CheckGroups groups={groups} onSelect={onSelect} />
    </details>
  );
}

function CheckItem({ check, className, onSelect }: { check: ReviewCheck; className: string; onSelect: () => void }) {
  const styles = useStyles();
  return (
    <li className={className} data-testid="check">
      <div className={styles.headline}>
        <Text weight="semibold">{`${check.check}${check.subject ? ` · ${check.subject}` : ''}`}</Text>
        <Text className={styles.figure} data-testid="check-figure">
          {grouped(check.figure)}
        </Text>
      </div>
      <Caption1 className={styles.detail}>{check.detail}</Caption1>
      {check.where && (
        <Caption1>
          <Link as="button" onClick={onSelect} title="Select the rows behind this check in the workbook">
            {check.where}
          </Link>
        </Caption1>
      )}
    </li>
  );
}
