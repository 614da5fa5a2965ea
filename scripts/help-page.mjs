// The add-in's help page (help.html): the user guides in docs/ rendered into one page, served
// beside the task pane. The manifest's SupportUrl and the Get Started "Learn more" link point at
// it, so what Excel links to is what the repository documents, never a second copy to keep in step.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Marked } from 'marked';

/** The guides, in the order a new user reads them; each becomes a <section id="NAME">. */
export const HELP_DOCS = ['add-in', 'rules', 'functions', 'publishing', 'reporting'];
/** Where the guides' screenshots are served, relative to help.html (the build copies docs/screenshots there). */
export const HELP_SCREENSHOTS = 'help/screenshots/';

/** A heading's anchor as GitHub makes it, so links written for the docs on GitHub keep working. */
function slug(text) {
  return text
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One guide as HTML: its anchors prefixed with its name, so the guides cannot collide on one page. */
function renderGuide(name, markdown, titles) {
  const seen = new Map();
  const anchor = (doc, fragment) => `#${doc}--${fragment}`;
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      heading({ tokens, depth, text }) {
        const base = slug(text);
        const count = seen.get(base) ?? 0;
        seen.set(base, count + 1);
        const id = depth === 1 ? name : anchor(name, count === 0 ? base : `${base}-${count}`).slice(1);
        return `<h${depth} id="${id}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
      link({ href, title, tokens }) {
        let text = this.parser.parseInline(tokens);
        const guide = /^([\w-]+)\.md(?:#(.*))?$/.exec(href);
        // "see [publishing.md](publishing.md)" reads as the guide's title on one page.
        if (guide && titles.has(guide[1]) && /^[\w-]+\.md$/.test(text)) text = escapeHtml(titles.get(guide[1]));
        let target = href;
        if (guide && HELP_DOCS.includes(guide[1])) target = guide[2] ? anchor(guide[1], guide[2]) : `#${guide[1]}`;
        else if (href.startsWith('#')) target = anchor(name, href.slice(1));
        else if (!/^[a-z]+:/i.test(href)) return text; // a file of the repository: not served with the add-in
        return `<a href="${escapeHtml(target)}"${title ? ` title="${escapeHtml(title)}"` : ''}>${text}</a>`;
      },
      image({ href, title, text }) {
        const src = href.startsWith('screenshots/') ? HELP_SCREENSHOTS + href.slice('screenshots/'.length) : href;
        return `<img src="${escapeHtml(src)}" alt="${escapeHtml(text)}"${title ? ` title="${escapeHtml(title)}"` : ''}>`;
      },
    },
  });
  return `<section id="${name}">\n${marked.parse(markdown)}</section>\n`;
}

const STYLE = `
  body { font: 15px/1.5 "Segoe UI", system-ui, sans-serif; color: #242424; margin: 0; }
  nav { background: #107c41; color: #fff; padding: 12px 24px; }
  nav a { color: #fff; margin-right: 18px; }
  main { max-width: 860px; margin: 0 auto; padding: 8px 24px 48px; }
  section + section { border-top: 1px solid #ddd; margin-top: 32px; }
  img { max-width: 100%; border: 1px solid #ddd; }
  table { border-collapse: collapse; } th, td { border: 1px solid #ddd; padding: 4px 8px; vertical-align: top; }
  code, pre { font-family: Consolas, monospace; background: #f5f5f5; } pre { padding: 8px; overflow-x: auto; }`;

/** The whole help page, from the guides under `root`/docs. */
export function helpPage(root) {
  const guides = HELP_DOCS.map((name) => ({ name, markdown: readFileSync(path.join(root, 'docs', `${name}.md`), 'utf8') }));
  const titles = new Map(guides.map(({ name, markdown }) => [name, /^#\s+(.+)$/m.exec(markdown)?.[1].replace(/`/g, '') ?? name]));
  const nav = guides.map(({ name }) => `<a href="#${name}">${escapeHtml(titles.get(name))}</a>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chargeback for Excel: help</title>
<style>${STYLE}
</style>
</head>
<body>
<nav>${nav}</nav>
<main>
${guides.map(({ name, markdown }) => renderGuide(name, markdown, titles)).join('')}</main>
</body>
</html>
`;
}
