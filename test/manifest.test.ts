/**
 * The add-in manifest, checked offline: well-formed XML, a GUID id, every resid defined, the URLs
 * pointing at files the webpack build produces, the CB namespace and the shared runtime declared.
 * (`npm run validate` checks it against Microsoft's online validator as well.)
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AUTH_DIALOG_PAGE } from '../src/taskpane/auth-dialog-protocol';

const ROOT = path.join(__dirname, '..');
const xml = readFileSync(path.join(ROOT, 'manifest.xml'), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const webpackConfig = require(path.join(ROOT, 'webpack.config.js'));

type Node = Record<string, any>;
const parsed: Node = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['Set', 'bt:Image', 'bt:Url', 'bt:String', 'Runtime', 'ExtensionPoint', 'Control', 'Group'].includes(name) }).parse(xml);
const app: Node = parsed.OfficeApp;
const host: Node = app.VersionOverrides.Hosts.Host;
const resources: Node = app.VersionOverrides.Resources;

/** Every value of an attribute anywhere under a node. */
function attributes(node: unknown, name: string, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => attributes(n, name, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === `@${name}`) found.push(String(value));
      else attributes(value, name, found);
    }
  }
  return found;
}

const defined = new Map<string, string>();
for (const kind of ['bt:Images', 'bt:Urls', 'bt:ShortStrings', 'bt:LongStrings']) {
  const items: Node[] = Object.values(resources[kind] ?? {}).flat() as Node[];
  for (const item of items) defined.set(item['@id'], item['@DefaultValue']);
}

async function buildOutputs(): Promise<Set<string>> {
  const config = await webpackConfig({}, { mode: 'development' });
  const outputs = new Set<string>(Object.keys(config.entry).map((name) => `${name}.js`));
  for (const plugin of config.plugins) {
    const options = plugin.userOptions ?? plugin.options ?? {};
    if (plugin.constructor.name === 'HtmlWebpackPlugin') outputs.add(options.filename);
    if (plugin.constructor.name === 'CustomFunctionsMetadataPlugin') outputs.add(options.output);
    for (const pattern of plugin.patterns ?? []) {
      if (pattern.from === 'assets/icon-*.png') for (const size of [16, 32, 64, 80, 128]) if (existsSync(path.join(ROOT, `assets/icon-${size}.png`))) outputs.add(`assets/icon-${size}.png`);
    }
  }
  return outputs;
}

// pages: each HtmlWebpackPlugin's options, untyped like the rest of the webpack config here
type ProductionBuild = { config: Node; pages: any[] };
let production: Promise<ProductionBuild> | undefined;
/** The production build's webpack configuration and the options of the HTML pages it writes (built once). */
function productionBuild(): Promise<ProductionBuild> {
  production ??= (async () => {
    const config = await webpackConfig({}, { mode: 'production' });
    return { config, pages: config.plugins.filter((p: Node) => p.constructor.name === 'HtmlWebpackPlugin').map((p: Node) => p.userOptions) };
  })();
  return production;
}

describe('manifest.xml', () => {
  it('is well-formed XML with a GUID for its id', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(app['@xsi:type']).toBe('TaskPaneApp');
    expect(String(app.Id)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    expect(String(app.Version)).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('defines every resid it uses, once, in 32 characters or fewer', () => {
    const used = new Set(attributes(app.VersionOverrides.Hosts, 'resid'));
    for (const resid of used) expect([resid, defined.has(resid)]).toEqual([resid, true]);
    for (const id of defined.keys()) expect(id.length).toBeLessThanOrEqual(32);
    const ids = attributes(resources, 'id');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('points every URL at a file the webpack build produces, on the development server', async () => {
    const outputs = await buildOutputs();
    const urls = [
      app.IconUrl['@DefaultValue'],
      app.HighResolutionIconUrl['@DefaultValue'],
      app.SupportUrl['@DefaultValue'],
      app.DefaultSettings.SourceLocation['@DefaultValue'],
      ...[...defined.entries()].filter(([id]) => id.startsWith('Icon.') || id.endsWith('.Url')).map(([, value]) => value),
    ];
    for (const url of urls) {
      expect(url.startsWith(webpackConfig.DEV_URL)).toBe(true);
      expect([url, outputs.has(url.slice(webpackConfig.DEV_URL.length))]).toEqual([url, true]);
    }
    expect(defined.get('Taskpane.Url')).toBe(`${webpackConfig.DEV_URL}taskpane.html`);
    expect(defined.get('Functions.Script.Url')).toBe(`${webpackConfig.DEV_URL}functions.js`);
    expect(defined.get('Functions.Metadata.Url')).toBe(`${webpackConfig.DEV_URL}functions.json`);
    expect(app.AppDomains.AppDomain).toBe(new URL(webpackConfig.DEV_URL).origin);
  });

  it('runs the task pane and the CB functions in one long-lived shared runtime', () => {
    const sets = Object.fromEntries((app.Requirements.Sets.Set as Node[]).map((s) => [s['@Name'], s['@MinVersion']]));
    expect(sets).toMatchObject({ SharedRuntime: '1.1', CustomFunctionsRuntime: '1.1' });
    const [runtime] = host.Runtimes.Runtime as Node[];
    expect(runtime).toEqual({ '@resid': 'Taskpane.Url', '@lifetime': 'long' });
    const [functions] = host.AllFormFactors.ExtensionPoint as Node[];
    expect(functions['@xsi:type']).toBe('CustomFunctions');
    expect(functions.Page.SourceLocation['@resid']).toBe(runtime['@resid']);
    expect(host.DesktopFormFactor.FunctionFile['@resid']).toBe(runtime['@resid']);
    expect(defined.get(functions.Namespace['@resid'])).toBe('CB');
  });

  it('builds a task pane page that loads Office.js from the CDN and the functions too (one runtime)', async () => {
    const { pages } = await productionBuild();
    const taskpane = pages.find((p: Node) => p.filename === 'taskpane.html');
    expect(taskpane).toMatchObject({ officeJs: true, chunks: expect.arrayContaining(['functions', 'taskpane']) });
    expect(readFileSync(path.join(ROOT, taskpane.template), 'utf8')).toContain('https://appsforoffice.microsoft.com/lib/1/hosted/office.js');
    // The harness page is for tests and development only.
    expect(pages.map((p: Node) => p.filename)).not.toContain('harness.html');
  });

  it('builds the sign-in dialog page that auth.ts opens, beside the task pane and within the AppDomain', async () => {
    const { config, pages } = await productionBuild();
    const dialog = pages.find((p: Node) => p.filename === AUTH_DIALOG_PAGE);
    // office.js for messageParent; its own bundle only (no React, no functions).
    expect(dialog).toMatchObject({ officeJs: true, chunks: ['authDialog'] });
    expect(config.entry.authDialog).toBe('./src/taskpane/auth-dialog.ts');
    // auth.ts resolves the page against the task pane's URL: the same folder, so the same origin.
    const taskpane = defined.get('Taskpane.Url')!;
    const dialogUrl = new URL(AUTH_DIALOG_PAGE, taskpane).href;
    expect(dialogUrl).toBe(`${webpackConfig.DEV_URL}${AUTH_DIALOG_PAGE}`);
    expect(new URL(dialogUrl).origin).toBe(app.AppDomains.AppDomain);
    expect(await buildOutputs()).toContain(AUTH_DIALOG_PAGE);
    expect(new URL(AUTH_DIALOG_PAGE, webpackConfig.productionManifest(taskpane)).origin).toBe(new URL(webpackConfig.PROD_URL).origin);
  });

  it('has a ribbon button that opens the task pane', () => {
    const [ribbon] = host.DesktopFormFactor.ExtensionPoint as Node[];
    const [group] = ribbon.OfficeTab.Group as Node[];
    const [button] = group.Control as Node[];
    expect(button['@xsi:type']).toBe('Button');
    expect(button.Action['@xsi:type']).toBe('ShowTaskpane');
    expect(button.Action.SourceLocation['@resid']).toBe('Taskpane.Url');
  });

  it('is rewritten for the production URL by the production build, leaving no localhost behind', () => {
    const production: string = webpackConfig.productionManifest(xml);
    expect(production).not.toMatch(/https:\/\/localhost/);
    expect(production).toContain(`${webpackConfig.PROD_URL}taskpane.html`);
    expect(production).toContain(`<AppDomain>${new URL(webpackConfig.PROD_URL).origin}</AppDomain>`);
    expect(XMLValidator.validate(production)).toBe(true);
  });
});
