/**
 * Builds the Excel add-in: the task pane (which, in the shared runtime, also hosts the custom
 * functions), the functions bundle and functions.json, and the browser harness the tests drive.
 *
 *   webpack --mode production          dist/ for the production URL (ADDIN_URL), manifest rewritten:
 *                                      taskpane.html (+ functions), auth-dialog.html (sign-in fallback)
 *   webpack --mode development         dist/ for https://localhost:3000
 *   webpack --env harness              only the harness page (what the browser tests need);
 *                                      --env outputPath=DIR builds it elsewhere
 */
const fs = require('node:fs');
const path = require('node:path');
const webpack = require('webpack');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const { EsbuildPlugin } = require('esbuild-loader');

const DEV_URL = 'https://localhost:3000/';
/** Where the production build is served from; `ADDIN_URL=https://... npm run build`. */
const PROD_URL = (process.env.ADDIN_URL || 'https://chargeback.contoso.com/addin/').replace(/\/?$/, '/');
const FUNCTIONS_SOURCE = './src/functions/functions.ts';
/** One page template: taskpane.html loads Office.js; the harness page does not. */
const PAGE = './src/taskpane/page.html';
const SAMPLE_DIR = path.join(__dirname, 'assets', 'sample');

/** The manifest for the production URL: every URL, and the AppDomain (an origin, no path). */
function productionManifest(xml) {
  return xml.split(DEV_URL).join(PROD_URL).split(new URL(DEV_URL).origin).join(new URL(PROD_URL).origin);
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
      new CopyWebpackPlugin({
        patterns: [
          { from: 'assets/icon-*.png', to: 'assets/[name][ext]' },
          {
            from: 'manifest.xml',
            to: 'manifest.xml',
            transform: (content) => (production ? productionManifest(content.toString()) : content),
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
    devtool: production ? 'source-map' : false,
    entry,
    output: { path: env.outputPath || path.join(__dirname, 'dist'), filename: '[name].js', clean: false, publicPath: 'auto' },
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
        { test: /\.[cm]?tsx?$/, loader: 'esbuild-loader', options: { target: 'es2022', jsx: 'automatic' }, exclude: /node_modules/ },
      ],
      // The minified ExcelJS bundle is already self-contained.
      noParse: /exceljs\.min\.js$/,
    },
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
module.exports.DEV_URL = DEV_URL;
module.exports.PROD_URL = PROD_URL;
