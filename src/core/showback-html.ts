/**
 * A showback statement as one printable HTML page (no script, no external file: it opens and
 * prints the same from a file share, a mail attachment or a browser). Every text is escaped.
 */
import { formatMinor, MinorUnits } from './money';
import { groupThousands, ShowbackStatement } from './showback';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
body { font-family: "Segoe UI", Arial, sans-serif; margin: 2em; color: #1b1b1b; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
p.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1.5em; }
th, td { border-bottom: 1px solid #ccc; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
td.amount, th.amount { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tfoot td { font-weight: bold; border-top: 2px solid #1b1b1b; }
@media print { body { margin: 1cm; } h2 { page-break-after: avoid; } tr { page-break-inside: avoid; } }
`;

/** The statement's headline figures, in the order both the page and the workbook show them. */
export function statementSummary(statement: ShowbackStatement): [label: string, amount: MinorUnits | undefined, note: string][] {
  const rows: [string, MinorUnits | undefined, string][] = [
    ['Direct cost', statement.direct, 'cost the rules sent to this cost center'],
    ['Shared cost', statement.shared, 'its shares of the shared pools'],
    ['Total charged', statement.total, `${statement.metric}, ${statement.currency}`],
    ['Budget', statement.budget, statement.budget === undefined ? 'no budget in CostCenters' : 'CostCenters Budget'],
    ['Variance', statement.variance, statement.variance === undefined ? '' : statement.variance > 0n ? 'over budget' : 'within budget'],
  ];
  if (statement.previous) {
    rows.push([`Total ${statement.previous.period}`, statement.previous.total, 'the month before, as published']);
    rows.push(['Change on the month before', statement.total - statement.previous.total, '']);
  } else rows.push(['The month before', undefined, 'not published on this share']);
  return rows;
}

export function showbackHtml(statement: ShowbackStatement): string {
  const m = (v: MinorUnits | undefined) => (v === undefined ? '' : escape(groupThousands(formatMinor(v, statement.minorDigits))));
  const title = `Cloud cost statement ${statement.period}: ${statement.costCenter}${statement.name ? ` ${statement.name}` : ''}`;
  const summary = statementSummary(statement)
    .map(([label, amount, note]) => `<tr><th scope="row">${escape(label)}</th><td class="amount">${m(amount)}</td><td>${escape(note)}</td></tr>`)
    .join('\n');
  const lines = statement.lines
    .map((l) => `<tr><td>${escape(l.provider)}</td><td>${escape(l.subAccount)}</td><td>${escape(l.service)}</td><td>${escape(l.rule)}</td><td class="amount">${m(l.amount)}</td></tr>`)
    .join('\n');
  const shares = statement.shares
    .map((s) => `<tr><td>${escape(s.pool)}</td><td class="amount">${m(s.poolTotal)}</td><td>${escape(s.method)}</td><td>${escape(s.basis)}</td><td class="amount">${escape(s.sharePercent)}</td><td>${escape(s.rule)}</td><td class="amount">${m(s.amount)}</td></tr>`)
    .join('\n');
  const explanations = statement.shares.map((s) => `<li>${escape(s.explanation)}</li>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escape(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escape(title)}</h1>
<p class="meta">Owner: ${escape(statement.owner || '(none in CostCenters)')} · GL account ${escape(statement.glAccount || '(none)')}${statement.parent ? ` · rolls up to ${escape(statement.parent)}` : ''} · version ${statement.version} · approved by ${escape(statement.approvedBy)} at ${escape(statement.approvedAt)} · amounts in ${escape(statement.currency)}</p>
<h2>Summary</h2>
<table>
<tbody>
${summary}
</tbody>
</table>
<h2>Direct cost</h2>
<table>
<thead><tr><th>Provider</th><th>Sub-account</th><th>Service</th><th>Rule</th><th class="amount">Amount</th></tr></thead>
<tbody>
${lines || '<tr><td colspan="5">No direct cost this month.</td></tr>'}
</tbody>
<tfoot><tr><td colspan="4">Direct cost</td><td class="amount">${m(statement.direct)}</td></tr></tfoot>
</table>
<h2>Shared cost</h2>
<table>
<thead><tr><th>Pool</th><th class="amount">Pool total</th><th>Method</th><th>Basis</th><th class="amount">Your share</th><th>Rule</th><th class="amount">Amount</th></tr></thead>
<tbody>
${shares || '<tr><td colspan="7">No share of a shared pool this month.</td></tr>'}
</tbody>
<tfoot><tr><td colspan="6">Shared cost</td><td class="amount">${m(statement.shared)}</td></tr></tfoot>
</table>
${explanations ? `<ul>\n${explanations}\n</ul>` : ''}
</body>
</html>
`;
}
