/**
 * The add-in manifest, checked offline: well-formed XML, a GUID id, every resid defined, the URLs
 * pointing at files the webpack build produces, the CB namespace and the shared runtime declared,
 * icons of the sizes Office asks for, a help page, and a production build that refuses to guess
 * its address. (`npm run validate` checks it against Microsoft's online validator as well.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
      if (pattern.from === 'assets/icon-*.png') for (const file of readdirSync(path.join(ROOT, 'assets')).filter((name) => /^icon-\d+\.png$/.test(name))) outputs.add(`assets/${file}`);
    }
  }
  return outputs;
}

/** Where a production build is served from and who publishes it, as `npm run build` is given them. */
const PRODUCTION = { ADDIN_URL: 'https://finance-tools.contoso.com/chargeback/', ADDIN_PUBLISHER: 'Contoso Finance Systems' };
const productionTarget = { url: PRODUCTION.ADDIN_URL, publisher: PRODUCTION.ADDIN_PUBLISHER };

// pages: each HtmlWebpackPlugin's options, untyped like the rest of the webpack config here
type ProductionBuild = { config: Node; pages: any[] };
let production: Promise<ProductionBuild> | undefined;
/** The production build's webpack configuration and the options of the HTML pages it writes (built once). */
function productionBuild(): Promise<ProductionBuild> {
  production ??= (async () => {
    const saved = { ...process.env };
    Object.assign(process.env, PRODUCTION);
    try {
      const config = await webpackConfig({}, { mode: 'production' });
      return { config, pages: config.plugins.filter((p: Node) => p.constructor.name === 'HtmlWebpackPlugin').map((p: Node) => p.userOptions) };
    } finally {
      for (const key of Object.keys(PRODUCTION)) if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  })();
  return production;
}

/** A PNG's width and height, from its IHDR chunk (the first, right after the 8-byte signature). */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The file an icon URL of the development manifest serves (assets/ is copied as it is). */
const assetOf = (url: string) => path.join(ROOT, url.slice(webpackConfig.DEV_URL.length));

/** Runs webpack's command line for a production build with `environment` (and no ADDIN_* but what it gives). */
function runProductionBuild(environment: Record<string, string>) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('ADDIN_')));
  return spawnSync(process.execPath, [require.resolve('webpack-cli/bin/cli.js'), '--mode', 'production', '--env', 'outputPath=test-output/never-built'], { cwd: ROOT, env: { ...env, ...environment }, encoding: 'utf8' });
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
    // CustomFunctions.Error with a message is CustomFunctionsRuntime 1.2, its ErrorCode values 1.3
    // (Office.js reference); test/requirement-sets.test.ts checks every other API.
    expect(sets).toMatchObject({ SharedRuntime: '1.1', CustomFunctionsRuntime: '1.3' });
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
    expect(new URL(AUTH_DIALOG_PAGE, webpackConfig.productionManifest(taskpane, productionTarget)).origin).toBe(new URL(PRODUCTION.ADDIN_URL).origin);
  });

  it('has a ribbon button that opens the task pane', () => {
    const [ribbon] = host.DesktopFormFactor.ExtensionPoint as Node[];
    const [group] = ribbon.OfficeTab.Group as Node[];
    const [button] = group.Control as Node[];
    expect(button['@xsi:type']).toBe('Button');
    expect(button.Action['@xsi:type']).toBe('ShowTaskpane');
    expect(button.Action.SourceLocation['@resid']).toBe('Taskpane.Url');
  });

  it('is rewritten for the production URL and publisher by the production build, leaving no localhost behind', () => {
    const production: string = webpackConfig.productionManifest(xml, productionTarget);
    expect(production).not.toMatch(/https:\/\/localhost/);
    expect(production).toContain(`${PRODUCTION.ADDIN_URL}taskpane.html`);
    expect(production).toContain(`<SupportUrl DefaultValue="${PRODUCTION.ADDIN_URL}help.html"/>`);
    expect(production).toContain(`<AppDomain>${new URL(PRODUCTION.ADDIN_URL).origin}</AppDomain>`);
    expect(production).toContain('<ProviderName>Contoso Finance Systems</ProviderName>');
    expect(XMLValidator.validate(production)).toBe(true);
    // A publisher with XML's special characters stays well-formed.
    const escaped: string = webpackConfig.productionManifest(xml, { ...productionTarget, publisher: 'Smith & Jones <Finance>' });
    expect(escaped).toContain('<ProviderName>Smith &amp; Jones &lt;Finance&gt;</ProviderName>');
    expect(XMLValidator.validate(escaped)).toBe(true);
  });

  it('names its publisher: the project in the checked-in manifest, the deployer in production', () => {
    expect(app.ProviderName).toBe(webpackConfig.DEV_PUBLISHER);
    expect(app.ProviderName).not.toBe(app.DisplayName['@DefaultValue']);
    expect(webpackConfig.productionSettings(PRODUCTION)).toEqual(productionTarget);
    // The address gains its final slash, so the pages resolve beside each other.
    expect(webpackConfig.productionSettings({ ...PRODUCTION, ADDIN_URL: 'https://finance-tools.contoso.com/chargeback' }).url).toBe(PRODUCTION.ADDIN_URL);
  });

  it('refuses a production build without ADDIN_URL or ADDIN_PUBLISHER, or with an address Office cannot load, saying what to set', () => {
    expect(() => webpackConfig.productionSettings({})).toThrow(
      'the production build needs to know where it is served and who publishes it:\n' +
        '  ADDIN_URL is not set: give the https address dist/ will be served from, such as ADDIN_URL=https://finance-tools.contoso.com/chargeback/\n' +
        '  ADDIN_PUBLISHER is not set: give the name users see as the add-in\'s publisher, such as ADDIN_PUBLISHER="Contoso Finance Systems"',
    );
    expect(() => webpackConfig.productionSettings({ ...PRODUCTION, ADDIN_URL: 'http://finance-tools.contoso.com/' })).toThrow('ADDIN_URL is "http://finance-tools.contoso.com/": it must be an https address');
    expect(() => webpackConfig.productionSettings({ ...PRODUCTION, ADDIN_URL: 'finance-tools/chargeback' })).toThrow('it must be an https address');
    expect(() => webpackConfig.productionSettings({ ...PRODUCTION, ADDIN_PUBLISHER: '  ' })).toThrow('ADDIN_PUBLISHER is not set');
  });

  it('fails `npm run build` without ADDIN_URL, with the message and before building anything', () => {
    const build = runProductionBuild({ ADDIN_PUBLISHER: PRODUCTION.ADDIN_PUBLISHER });
    expect(build.status).not.toBe(0);
    expect(build.stderr).toContain('ADDIN_URL is not set: give the https address dist/ will be served from');
    expect(build.stderr).not.toContain('ADDIN_PUBLISHER is not set');
    expect(existsSync(path.join(ROOT, 'test-output/never-built'))).toBe(false);
  });

  it('gives the ribbon button the icon sizes Office requires (16, 32, 80) and the optional ones, each PNG that size', () => {
    const [ribbon] = host.DesktopFormFactor.ExtensionPoint as Node[];
    const [group] = ribbon.OfficeTab.Group as Node[];
    const [button] = group.Control as Node[];
    for (const icon of [group.Icon, button.Icon]) {
      const sizes = (icon['bt:Image'] as Node[]).map((image) => Number(image['@size']));
      expect(sizes).toEqual(expect.arrayContaining([16, 32, 80]));
      // The Icon element allows 20, 24, 40, 48 and 64 besides.
      for (const size of sizes) expect([16, 20, 24, 32, 40, 48, 64, 80]).toContain(size);
      for (const image of icon['bt:Image'] as Node[]) {
        const size = Number(image['@size']);
        expect([image['@resid'], pngSize(assetOf(defined.get(image['@resid'])!))]).toEqual([image['@resid'], { width: size, height: size }]);
      }
    }
  });

  it('lists a task pane icon of 32 px and a high-resolution one of 64 px, as PNGs of those sizes', () => {
    expect(pngSize(assetOf(app.IconUrl['@DefaultValue']))).toEqual({ width: 32, height: 32 });
    expect(pngSize(assetOf(app.HighResolutionIconUrl['@DefaultValue']))).toEqual({ width: 64, height: 64 });
  });

  it('points SupportUrl and the Get Started "Learn more" link at the help page, not the pane', async () => {
    const help = `${webpackConfig.DEV_URL}${webpackConfig.HELP_PAGE}`;
    expect(app.SupportUrl['@DefaultValue']).toBe(help);
    expect(defined.get('GetStarted.LearnMoreUrl')).toBe(help);
    expect(help).not.toBe(defined.get('Taskpane.Url'));
    expect(await buildOutputs()).toContain(webpackConfig.HELP_PAGE);
    const { pages } = await productionBuild();
    expect(pages.find((p: Node) => p.filename === webpackConfig.HELP_PAGE)).toMatchObject({ inject: false, chunks: [] });
  });

  it('builds the help page from the guides in docs/, every link and screenshot in it found', async () => {
    const { config } = await productionBuild();
    const helpPlugin = config.plugins.find((p: Node) => p.constructor.name === 'HtmlWebpackPlugin' && p.userOptions.filename === webpackConfig.HELP_PAGE);
    const html: string = await helpPlugin.userOptions.templateContent({});
    for (const guide of ['add-in', 'rules', 'functions', 'publishing']) {
      const title = /^#\s+(.+)$/m.exec(readFileSync(path.join(ROOT, 'docs', `${guide}.md`), 'utf8'))![1];
      expect(html).toContain(`<section id="${guide}">`);
      expect(html).toContain(title.replace(/`([^`]+)`/g, '<code>$1</code>'));
    }
    const ids = new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    const anchors = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(anchors.length).toBeGreaterThan(4);
    for (const anchor of anchors) expect([anchor, ids.has(anchor)]).toEqual([anchor, true]);
    const images = [...html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]);
    expect(images.length).toBeGreaterThan(5);
    // The build copies docs/screenshots to help/screenshots beside the page.
    const copy = config.plugins.flatMap((p: Node) => p.patterns ?? []).find((pattern: Node) => pattern.from === 'docs/screenshots/*.png');
    expect(copy).toMatchObject({ to: 'help/screenshots/[name][ext]' });
    for (const image of images) expect([image, existsSync(path.join(ROOT, 'docs/screenshots', path.basename(image)))]).toEqual([image, image.startsWith('help/screenshots/') && true]);
  });

  it('keeps the production build\'s source maps out of the served folder and unreferenced by the code', async () => {
    const { config } = await productionBuild();
    // hidden-source-map: the maps are written, but no sourceMappingURL comment points at them.
    expect(config.devtool).toBe('hidden-source-map');
    const served = config.output.path;
    const map = path.resolve(served, config.output.sourceMapFilename.replace('[file]', 'taskpane.js'));
    expect(map.startsWith(served + path.sep)).toBe(false);
    expect(path.relative(ROOT, map).split(path.sep)[0]).toBe('sourcemaps');
  });

  it('compiles TypeScript with ts-loader, transpiling only (the type check is npm test\'s)', async () => {
    const { config } = await productionBuild();
    const rule = config.module.rules.find((r: Node) => r.test.test('index.tsx'));
    expect(rule).toMatchObject({ loader: 'ts-loader', options: { transpileOnly: true } });
    expect(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.test).toMatch(/^npm run typecheck && /);
  });
});
