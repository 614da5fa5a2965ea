/**
 * Builds the Excel add-in: the task pane (which, in the shared runtime, also hosts the custom
 * functions), the functions bundle and functions.json, the help page, and the browser harness the
 * tests drive.
 *
 *   webpack --mode production          dist/ for the production URL, manifest rewritten; needs
 *                                      ADDIN_URL (where dist/ is served) and ADDIN_PUBLISHER (who
 *                                      publishes it): taskpane.html (+ functions), auth-dialog.html
 *                                      (sign-in fallback), help.html (the docs)
 *   webpack --mode development         dist/ for https://localhost:3000
 *                                      CHARGEBACK_CONFIG=FILE copies the admin's settings in as
 *                                      chargeback.config.json (docs/publishing.md)
 *   webpack --env harness              only the harness page (what the browser tests need);
 *                                      --env outputPath=DIR builds it elsewhere
 *
 * TypeScript is compiled by ts-loader with `transpileOnly`: each file is transpiled on its own
 * (tsconfig's isolatedModules), and the type check is `npm run typecheck`, part of `npm test`.
 */
const fs = require('node:fs');
const path = require('node:path');
const webpack = require('webpack');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const { EsbuildPlugin } = require('esbuild-loader');

const DEV_URL = 'https://localhost:3000/';
/** The publisher named in the checked-in manifest, the one sideloaded from the development server. */
const DEV_PUBLISHER = 'Chargeback for Excel contributors';
const FUNCTIONS_SOURCE = './src/functions/functions.ts';
/** One page template: taskpane.html loads Office.js; the harness page does not. */
const PAGE = './src/taskpane/page.html';
const SAMPLE_DIR = path.join(__dirname, 'assets', 'sample');
/** Where a production build's source maps go: sourcemaps/ beside dist/, outside the folder that is served. */
const SOURCE_MAPS_DIR = path.join(__dirname, 'sourcemaps');
/** The help page, beside the task pane (scripts/help-page.mjs). */
const HELP_PAGE = 'help.html';

/**
 * Where the production build is served and who publishes it, from the environment:
 * `ADDIN_URL=https://... ADDIN_PUBLISHER="..." npm run build`. Either missing or wrong is an error
 * that says what to set: a manifest pointing at a placeholder domain installs, then fails for
 * every user.
 */
function productionSettings(environment = process.env) {
  const problems = [];
  const url = (environment.ADDIN_URL ?? '').trim();
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (url === '') problems.push('ADDIN_URL is not set: give the https address dist/ will be served from, such as ADDIN_URL=https://finance-tools.contoso.com/chargeback/');
  else if (!parsed || parsed.protocol !== 'https:' || parsed.search || parsed.hash) problems.push(`ADDIN_URL is "${url}": it must be an https address with no query, such as https://finance-tools.contoso.com/chargeback/ (Office loads add-ins over https only)`);
  const publisher = (environment.ADDIN_PUBLISHER ?? '').trim();
  if (publisher === '') problems.push('ADDIN_PUBLISHER is not set: give the name users see as the add-in\'s publisher, such as ADDIN_PUBLISHER="Contoso Finance Systems"');
  else if (publisher.length > 250) problems.push('ADDIN_PUBLISHER is longer than the 250 characters a manifest allows');
  if (problems.length > 0) throw new Error(`the production build needs to know where it is served and who publishes it:\n  ${problems.join('\n  ')}`);
  return { url: parsed.href.replace(/\/?$/, '/'), publisher };
}

const escapeXml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The manifest for production: every URL, the AppDomain (an origin, no path) and the publisher. */
function productionManifest(xml, { url, publisher }) {
  return xml
    .split(DEV_URL).join(url)
    .split(new URL(DEV_URL).origin).join(new URL(url).origin)
    .replace(`<ProviderName>${escapeXml(DEV_PUBLISHER)}</ProviderName>`, `<ProviderName>${escapeXml(publisher)}</ProviderName>`);
}

/** The bundled sample's FOCUS files and rules, served under sample/ and offered in the Data step. */
function sampleFiles() {
  if (!fs.existsSync(SAMPLE_DIR)) return [];
  return fs.readdirSync(SAMPLE_DIR).filter((name) => /\.(csv|csv\.gz|parquet|json)$/i.test(name)).sort();
}

const config = async (env = {}, argv = {}) => {
  const mode = argv.mode || (env.production ? 'production' : 'development');
  const production = mode === 'production';
  const harnessOnly = Boolean(env.harness);
  // Checked first: a production build without its address fails before anything is built.
  const productionTarget = production && !harnessOnly ? productionSettings() : undefined;

  // The harness ships in development builds only: production is what Excel loads.
  const withHarness = harnessOnly || !production;
  const entry = withHarness ? { harness: './src/taskpane/harness.tsx' } : {};
  if (!harnessOnly) {
    entry.taskpane = './src/taskpane/index.tsx';
    // The sign-in page for Excel builds without nested app authentication (src/taskpane/auth.ts).
    entry.authDialog = './src/taskpane/auth-dialog.ts';
    entry.functions = FUNCTIONS_SOURCE;
  }

  const plugins = [
    new webpack.DefinePlugin({
      __SAMPLE_FILES__: JSON.stringify(sampleFiles()),
      // The Azure SDK's CRC64 module (an ES module) reads __filename when there is no document, as
      // in the ingest worker; webpack leaves that Node-only name in ES modules, and the worker fails.
      __filename: JSON.stringify(''),
    }),
    new CopyWebpackPlugin({ patterns: [{ from: 'assets/sample', to: 'sample', noErrorOnMissing: true, globOptions: { ignore: ['**/README.md'] } }] }),
  ];
  if (withHarness) plugins.push(new HtmlWebpackPlugin({ filename: 'harness.html', template: PAGE, title: 'Chargeback task pane (harness, no Office)', officeJs: false, chunks: ['harness'] }));
  if (!harnessOnly) {
    plugins.push(
      // Shared runtime: the task pane page also loads the functions, so both run in one runtime.
      new HtmlWebpackPlugin({ filename: 'taskpane.html', template: PAGE, title: 'Chargeback', officeJs: true, chunks: ['functions', 'taskpane'] }),
      new HtmlWebpackPlugin({ filename: 'auth-dialog.html', template: PAGE, title: 'Chargeback: sign in', officeJs: true, chunks: ['authDialog'] }),
      // The manifest's SupportUrl and Learn more link: the guides in docs/, with their screenshots.
      new HtmlWebpackPlugin({ filename: HELP_PAGE, templateContent: () => import('./scripts/help-page.mjs').then((help) => help.helpPage(__dirname)), inject: false, chunks: [] }),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'assets/icon-*.png', to: 'assets/[name][ext]' },
          { from: 'docs/screenshots/*.png', to: 'help/screenshots/[name][ext]' },
          // The admin's settings (client id, tenant, default share), beside the pane: docs/publishing.md.
          ...(process.env.CHARGEBACK_CONFIG ? [{ from: path.resolve(process.env.CHARGEBACK_CONFIG), to: 'chargeback.config.json' }] : []),
          {
            from: 'manifest.xml',
            to: 'manifest.xml',
            transform: (content) => (productionTarget ? productionManifest(content.toString(), productionTarget) : content),
          },
        ],
      }),
    );
    const CustomFunctionsMetadataPlugin = require('custom-functions-metadata-plugin');
    plugins.push(new CustomFunctionsMetadataPlugin({ output: 'functions.json', input: FUNCTIONS_SOURCE }));
  }

  let server;
  if ((argv.env?.WEBPACK_SERVE || env.WEBPACK_SERVE) && process.env.DEV_SERVER_HTTPS !== '0') {
    // The dev server serves over https with the Office add-in development certificate (Excel
    // requires https). DEV_SERVER_HTTPS=0 serves plain http, enough for the harness page.
    const devCerts = require('office-addin-dev-certs');
    server = { type: 'https', options: await devCerts.getHttpsServerOptions() };
  }

  return {
    mode,
    // Production source maps are for us, not for every user's browser: written beside dist/ in
    // sourcemaps/ (never served) and not referenced from the code (hidden).
    devtool: production ? 'hidden-source-map' : false,
    entry,
    output: {
      path: env.outputPath || path.join(__dirname, 'dist'),
      filename: '[name].js',
      clean: false,
      publicPath: 'auto',
      // webpack names the map relative to the output folder.
      ...(production ? { sourceMapFilename: `${path.relative(env.outputPath || path.join(__dirname, 'dist'), SOURCE_MAPS_DIR).split(path.sep).join('/')}/[file].map` } : {}),
    },
    resolve: {
      extensions: ['.ts', '.tsx', '.js', '.mjs'],
      alias: {
        // ExcelJS ships a browser build; its Node entry needs Node built-ins.
        exceljs$: path.join(__dirname, 'node_modules/exceljs/dist/exceljs.min.js'),
        // The Azure SDK's browser XML parser needs DOMParser, which a Web Worker lacks (the ingest
        // worker lists export containers); its other build parses with fast-xml-parser, in plain JS.
        '@azure/core-xml$': path.join(__dirname, 'node_modules/@azure/core-xml/dist/esm/index.js'),
      },
      fallback: { fs: false, path: false, stream: false, crypto: false, zlib: false },
    },
    module: {
      rules: [
        // noEmit is for the type check (tsconfig.json); here the loader must emit.
        { test: /\.[cm]?tsx?$/, loader: 'ts-loader', options: { transpileOnly: true, compilerOptions: { noEmit: false } }, exclude: /node_modules/ },
      ],
      // The minified ExcelJS bundle is already self-contained.
      noParse: /exceljs\.min\.js$/,
    },
    // Minified by esbuild (compiling is ts-loader's; see docs/add-in.md for the build times).
    optimization: production ? { minimizer: [new EsbuildPlugin({ target: 'es2022', css: true })] } : {},
    performance: { hints: false },
    plugins,
    devServer: {
      static: { directory: path.join(__dirname, 'dist') },
      headers: { 'Access-Control-Allow-Origin': '*' },
      port: Number(process.env.npm_package_config_dev_server_port || 3000),
      ...(server ? { server } : {}),
    },
  };
};

module.exports = config;
module.exports.productionManifest = productionManifest;
module.exports.productionSettings = productionSettings;
module.exports.DEV_URL = DEV_URL;
module.exports.DEV_PUBLISHER = DEV_PUBLISHER;
module.exports.HELP_PAGE = HELP_PAGE;
module.exports.SOURCE_MAPS_DIR = SOURCE_MAPS_DIR;
