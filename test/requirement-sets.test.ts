/**
 * Every Office API the add-in calls belongs to a requirement set (the "[Api set: ...]" and
 * "Requirement set" remarks of the Office.js type definitions, from Microsoft's reference). Each
 * must be declared in manifest.xml, so Excel versions without it never load the add-in, or be
 * asked for at run time with `isSetSupported` before it is used. This walks the code Excel loads
 * (the webpack entries and all they import) with the TypeScript checker and holds it to that.
 *
 * Not seen: members named in strings (`load('values')`), which the checker cannot resolve, and
 * the document file (src/workbook/office-file.ts), which describes Office by its own interfaces so
 * tests can drive it: its sets, File and CompressedFile, are asked for at run time
 * (src/taskpane/workbook-file.ts, tested in test/taskpane/workbook-file.test.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..');
/** What Excel loads: the task pane page (with the functions, shared runtime) and the sign-in dialog. */
const ENTRIES = ['src/taskpane/index.tsx', 'src/taskpane/auth-dialog.ts', 'src/functions/functions.ts'];
const OFFICE_TYPES = /node_modules\/@types\/(office-js|custom-functions-runtime|office-runtime)\//;
interface SetUse {
  set: string;
  version: string;
  api: string;
  where: string;
}

function declaredSets(): Map<string, string> {
  const xml = readFileSync(path.join(ROOT, 'manifest.xml'), 'utf8');
  const sets = new Map<string, string>();
  for (const match of xml.matchAll(/<Set Name="([^"]+)"(?: MinVersion="([^"]+)")?\s*\/>/g)) sets.set(match[1], match[2] ?? '1.1');
  return sets;
}

/**
 * Requirement sets named in a declaration's own doc comment: Excel's "[Api set: ExcelApi 1.9]", and
 * the common API's "Requirement set(s)" list, less Outlook's Mailbox and the sets needed only "if
 * the messageOptions parameter is used" or "when using Office.FileType.Text", which this code
 * does not (the compressed file's set is asked for at run time: src/taskpane/workbook-file.ts).
 */
function setsOf(declaration: ts.Declaration): { set: string; version: string }[] {
  const source = declaration.getSourceFile();
  const comments = ts.getLeadingCommentRanges(source.text, declaration.getFullStart()) ?? [];
  const doc = comments.length > 0 ? source.text.slice(comments[comments.length - 1].pos, comments[comments.length - 1].end) : '';
  const found: { set: string; version: string }[] = [];
  for (const match of doc.matchAll(/\[Api set: (\w+) ([\d.]+)/g)) found.push({ set: match[1], version: match[2] });
  const lines = doc.split('\n').map((line) => line.replace(/^\s*\/?\*+\/?\s?/, '').trim());
  const heading = lines.findIndex((line) => line.startsWith('**Requirement set'));
  if (heading >= 0) {
    const listed = [lines[heading]];
    for (const line of lines.slice(heading + 1)) {
      if (line === '') continue;
      if (!line.startsWith('- ')) break;
      listed.push(line);
    }
    for (const line of listed) {
      if (/\bIf the\b|when using/i.test(line)) continue;
      for (const match of line.matchAll(/requirement-sets\/(?:common|excel)\/[^|]*\|\s*(\w+)(?: ([\d.]+))?\s*\}/g)) found.push({ set: match[1], version: match[2] ?? '1.1' });
    }
  }
  return found;
}

const newer = (a: string, b: string) => {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return false;
};

/** Every Office API member the shipped code touches, with the sets its documentation names. */
function officeApiUses(): { uses: SetUse[]; sources: string } {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const program = ts.createProgram(ENTRIES.map((entry) => path.join(ROOT, entry)), { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const uses: SetUse[] = [];
  let sources = '';
  const record = (symbol: ts.Symbol | undefined, node: ts.Node) => {
    if (!symbol) return;
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declarations = (target.declarations ?? []).filter((d) => OFFICE_TYPES.test(d.getSourceFile().fileName.replace(/\\/g, '/')));
    if (declarations.length === 0) return;
    // Overloads may differ: the call needs no more than its least demanding declaration.
    const perDeclaration = declarations.map(setsOf);
    const sets = perDeclaration.reduce((least, next) => (next.length < least.length ? next : least));
    const file = node.getSourceFile();
    const { line } = file.getLineAndCharacterOfPosition(node.getStart());
    for (const { set, version } of sets) uses.push({ set, version, api: node.getText(), where: `${path.relative(ROOT, file.fileName)}:${line + 1}` });
  };
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || !file.fileName.startsWith(path.join(ROOT, 'src'))) continue;
    sources += file.text;
    const visit = (node: ts.Node) => {
      if (ts.isPropertyAccessExpression(node)) record(checker.getSymbolAtLocation(node.name), node);
      else if (ts.isElementAccessExpression(node)) {
        // CustomFunctions.ErrorCode[code]: every member the index can name.
        const index = checker.getTypeAtLocation(node.argumentExpression);
        const object = checker.getTypeAtLocation(node.expression);
        for (const key of index.isUnion() ? index.types : [index]) if (key.isStringLiteral()) record(object.getProperty(key.value), node);
      }      else if (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) {
        // An option in an object literal handed to Office ({ allowSort: true }): its contextual type's member.
        const literal = node.parent;
        const type = ts.isObjectLiteralExpression(literal) ? checker.getContextualType(literal) : undefined;
        if (type && ts.isIdentifier(node.name)) record(type.getProperty(node.name.text), node.name);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return { uses, sources };
}

describe('requirement sets', () => {
  const declared = declaredSets();
  let scan: ReturnType<typeof officeApiUses>;
  beforeAll(() => {
    scan = officeApiUses();
  });

  it('finds the Office APIs the add-in uses (the scan sees them)', () => {
    const apis = new Set(scan.uses.map((use) => `${use.set}: ${use.api}`));
    expect([...apis]).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ExcelApi: .*suspendScreenUpdatingUntilNextSync$/),
        expect.stringMatching(/^CustomFunctionsRuntime: (new )?CustomFunctions\.Error/),
        expect.stringMatching(/^DialogApi: Office\.context\.ui\.displayDialogAsync$/),
        expect.stringMatching(/^CustomFunctionsRuntime: CustomFunctions\.ErrorCode\[error\.code\]$/),
      ]),
    );
  });

  it('declares in the manifest, or checks at run time, every set an API the add-in calls needs', () => {
    const unmet = scan.uses.filter(({ set, version }) => {
      const minimum = declared.get(set);
      if (minimum !== undefined && !newer(version, minimum)) return false;
      return !new RegExp(`isSetSupported\\(\\s*['"]${set}['"]`).test(scan.sources);
    });
    const lines = [...new Set(unmet.map((use) => `${use.set} ${use.version}: ${use.api} (${use.where})`))];
    expect(lines).toEqual([]);
  });

  it('declares no set higher than the add-in needs, so it loads on every Excel that can run it', () => {
    const needed = new Map<string, string>();
    for (const { set, version } of scan.uses) if (!needed.has(set) || newer(version, needed.get(set)!)) needed.set(set, version);
    // SharedRuntime is declared for the manifest's long-lived shared runtime, which no API call shows.
    for (const [set, minimum] of declared) {
      if (set === 'SharedRuntime') continue;
      expect([set, minimum]).toEqual([set, needed.get(set)]);
    }
  });
});
