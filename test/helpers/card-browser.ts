// Debian's chromium, headless, driven by playwright-core (never a downloaded browser). The card is
// served as HA serves a dashboard resource, next to a page carrying HA's theme variables.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { NOW, PAGE_SCRIPT } from './card-hass.js';
import { WAIT_MS } from './patience.js';

export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const ORIGIN = 'http://ha.test';

/** HA's default light and dark theme colours (home-assistant/frontend src/resources/theme) */
const THEMES = `
:root { --primary-background-color: #fafafa; --card-background-color: #fff; --primary-text-color: #212121;
  --secondary-text-color: #727272; --disabled-text-color: #bdbdbd; --primary-color: #03a9f4; --text-primary-color: #fff;
  --divider-color: rgba(0, 0, 0, 0.12); --error-color: #db4437; --warning-color: #ffa600; --secondary-background-color: #e5e5e5; }
.dark { --primary-background-color: #111; --card-background-color: #1c1c1c; --primary-text-color: #e1e1e1;
  --secondary-text-color: #9b9b9b; --disabled-text-color: #6f6f6f; --divider-color: rgba(225, 225, 225, 0.12);
  --secondary-background-color: #282828; }
body { margin: 0; font-family: Roboto, "DejaVu Sans", sans-serif; }
.cells { display: inline-flex; flex-wrap: wrap; align-items: flex-start; max-width: 100vw; }
.cell { width: var(--w, 420px); flex: none; padding: 12px; background: var(--primary-background-color); }`;

/** An album cover like Spotify's: 640×640, served where HA's image proxy would serve it. */
const COVER = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="640" viewBox="0 0 640 640">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#1d2671"/><stop offset="0.55" stop-color="#7b2a8c"/><stop offset="1" stop-color="#f0715a"/></linearGradient>
<radialGradient id="s" cx="0.7" cy="0.3" r="0.5"><stop offset="0" stop-color="#ffd9a0" stop-opacity="0.95"/><stop offset="1" stop-color="#ffd9a0" stop-opacity="0"/></radialGradient></defs>
<rect width="640" height="640" fill="url(#g)"/><circle cx="448" cy="192" r="300" fill="url(#s)"/>
<path d="M0 470 L90 400 L160 440 L250 330 L330 410 L420 350 L520 430 L640 360 L640 640 L0 640Z" fill="#120c2c" opacity="0.85"/>
<text x="40" y="90" font-family="DejaVu Sans" font-weight="bold" font-size="64" fill="#fff" opacity="0.9">M83</text></svg>`;

export interface Cell {
  config: unknown;
  dark?: boolean;
}

export interface CardBrowser {
  context: BrowserContext;
  page: Page;
  /** a fresh page holding one card per cell, each `width` px wide */
  open(cells: Cell[], width?: number): Promise<Page>;
  close(): Promise<void>;
}

export async function launchCardBrowser(cardJs: string): Promise<CardBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the card tests need Debian's chromium (apt-get install chromium)`);
  const profile = mkdtempSync(join(tmpdir(), 'l2m-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1400, height: 900 },
    deviceScaleFactor: 1,
    locale: 'en-GB',
    timezoneId: 'UTC',
    // a loaded machine starts chromium slowly; only a failing test waits this out
    timeout: 6 * WAIT_MS,
  });
  context.setDefaultTimeout(3 * WAIT_MS);
  let cells: Cell[] = [];
  let width = 420;
  await context.route(`${ORIGIN}/**`, (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/local/librespot2mqtt-card.js') return route.fulfill({ body: cardJs, contentType: 'text/javascript' });
    if (url.pathname.startsWith('/api/image_proxy/')) return route.fulfill({ body: COVER, contentType: 'image/svg+xml' });
    if (url.pathname === '/')
      return route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html><head><meta charset="utf-8"><style>${THEMES}</style>
<script>${PAGE_SCRIPT}</script><script type="module" src="/local/librespot2mqtt-card.js"></script></head>
<body style="--w: ${width}px"><div class="cells"></div>
<script>window.cells = ${JSON.stringify(cells)};
customElements.whenDefined('librespot2mqtt-card').then(() => {
  for (const { config, dark } of window.cells) {
    const cell = document.createElement('div'); cell.className = dark ? 'cell dark' : 'cell';
    const card = document.createElement('librespot2mqtt-card'); card.setConfig(config);
    cell.append(card); document.querySelector('.cells').append(cell);
  }
  window.ready = true;
});</script></body></html>`,
      });
    return route.fulfill({ status: 404, body: 'not found' });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // go-librespot's position_updated_at is compared with the browser's clock
  await page.clock.setFixedTime(NOW);
  return {
    context,
    page,
    async open(list, w = 420) {
      cells = list;
      width = w;
      await page.goto(`${ORIGIN}/`);
      await page.waitForFunction('window.ready === true');
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const OUTPUT = 'test-output/card';
export function outputDir(repoFile: (p: string) => string): string {
  const dir = repoFile(OUTPUT);
  mkdirSync(dir, { recursive: true });
  return dir;
}
