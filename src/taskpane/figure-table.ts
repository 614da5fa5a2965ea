/**
 * How the pane's tables of money look: right-aligned figures under right-aligned headers, a
 * totals row set apart, and a fixed layout that wraps names rather than push a 320 px pane sideways.
 */
import { makeStyles, tokens } from '@fluentui/react-components';

export const useFigureTableStyles = makeStyles({
  table: {
    tableLayout: 'fixed',
    width: '100%',
    // figures a step smaller than the text, so 23,884.20 fits a column of a 320 px pane unbroken
    fontSize: tokens.fontSizeBase200,
    '& th, & td': { paddingLeft: tokens.spacingHorizontalXS, paddingRight: tokens.spacingHorizontalXS },
    '& th:first-child, & td:first-child': { width: '30%', overflowWrap: 'anywhere' },
  },
  amount: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
  // Fluent's header cell lays out as a flex button: its content is pushed to the right.
  number: { textAlign: 'right', '& > *': { justifyContent: 'flex-end' } },
  totals: { fontWeight: tokens.fontWeightSemibold, borderTopWidth: tokens.strokeWidthThick, borderTopStyle: 'solid', borderTopColor: tokens.colorNeutralStroke1 },
});
