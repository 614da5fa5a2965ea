// Renders the add-in's ribbon and store icons (assets/icon-*.png) from one SVG with headless
// Chromium. Run once after changing the drawing: node scripts/make-icons.mjs
import { chromium } from 'playwright-core';

// A bar chart on a ledger sheet: the chargeback by cost center.
const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
  <rect x="1.5" y="1.5" width="29" height="29" rx="5" fill="#107C41"/>
  <rect x="7" y="7" width="11" height="4" rx="1" fill="#fff"/>
  <rect x="7" y="14" width="18" height="4" rx="1" fill="#fff"/>
  <rect x="7" y="21" width="7" height="4" rx="1" fill="#fff"/>
</svg>`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
for (const size of [16, 32, 64, 80, 128]) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
  await page.screenshot({ path: `assets/icon-${size}.png`, omitBackground: true });
}
await browser.close();
