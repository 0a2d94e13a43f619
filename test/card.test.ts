// The Lovelace card in Debian's headless chromium with a stand-in `hass`: every state it must show
// honestly, the core service call behind every control, the editor, and the committed bundle.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleCard, CARD_FILE, repoFile } from '../card/build.js';
import { CARD_ENTITIES, KEYS } from '../card/src/keys.js';
import { ENTITIES } from '../bridge/ha/entities.js';
import { launchCardBrowser, outputDir, type CardBrowser, type Cell } from './helpers/card-browser.js';
import { DEVICE_ID, ENTITY_IDS, MIDNIGHT, NOW, registry, scenario, states, track, type Scenario } from './helpers/card-hass.js';

const LONG_TITLE = `${'A Very Long Orchestral Suite in Several Movements, '.repeat(6)}Finale`.slice(0, 300);

const OFF = { session: false, playback: 'off', track: null, context_uri: null, context_name: null, position_ms: 0, position_updated_at: null } as const;

export const SCENARIOS: Record<string, Scenario> = {
  playing: scenario(),
  paused: scenario({ playback: 'paused', shuffle: false, repeat: 'track' }),
  off: scenario({ ...OFF, shuffle: false, repeat: 'off' }),
  unavailable: scenario({}, 'offline'),
  player_down: scenario({ ...OFF, librespot: false }),
  error: scenario({
    playback: 'paused',
    last_error: {
      kind: 'restricted',
      stage: 'load',
      message: 'failed getting audio key',
      unplayable: true,
      summary: "Spotify refused this account's audio keys",
      explanation: 'A known Spotify-side problem with some accounts: login works, every track fails. Try another account or a newer go-librespot.',
      uri: MIDNIGHT.uri,
      at: new Date(NOW - 5_000).toISOString(),
    },
  }),
  capped: scenario({ volume: 30, max_volume: 40 }),
  muted: scenario({ muted: true, volume: 0 }),
  long_title: scenario({ track: track(LONG_TITLE, ['London Symphony Orchestra', 'Sir Simon Rattle'], "Hurry Up, We're Dreaming", 243_000) }),
  pairing: scenario({ ...OFF, pairing: { code: 'WXYZ-2468', url: 'https://www.spotify.com/pair', expires_at: new Date(NOW + 10 * 60_000).toISOString() } }),
};

const hassData = (s: Scenario, extra: Record<string, unknown> = {}) => ({ ...registry(), states: states(s), ...extra });

describe('the card bundle', () => {
  it(`${CARD_FILE} is the build of card/src`, async (t) => {
    const fresh = await bundleCard();
    t.diagnostic(`bundle: ${fresh.length} bytes`);
    assert.ok(readFileSync(repoFile(CARD_FILE), 'utf8') === fresh, `${CARD_FILE} is stale: run npm run build:card`);
  });

  it("uses the bridge's entities with their platforms", () => {
    for (const key of KEYS) {
      const entity = ENTITIES.find((e) => e.key === key);
      assert.ok(entity, `the card reads "${key}", which the bridge does not publish`);
      assert.equal(entity.platform, CARD_ENTITIES[key], `${key}'s platform`);
    }
  });

  it("the README lists the card's entity parts", () => {
    const readme = readFileSync(repoFile('README.md'), 'utf8').replace(/\s+/g, ' ');
    assert.ok(readme.includes(`\`entities\` takes any of \`${KEYS.join(' ')}\``), 'README: the list after "entities takes any of"');
  });
});

describe('the card in chromium', () => {
  let browser: CardBrowser;
  let cardJs: string;
  const shots = outputDir(repoFile);
  const device = { device: DEVICE_ID };

  before(async () => {
    cardJs = await bundleCard();
    browser = await launchCardBrowser(cardJs);
  });
  after(() => browser?.close());

  /** one card, one scenario; resolves once the card shows the device's entities */
  async function show(s: Scenario, cell: Cell = { config: device }, extra: Record<string, unknown> = {}) {
    const page = await browser.open([cell]);
    await page.evaluate(`window.setHass(${JSON.stringify(hassData(s, extra))})`);
    await page.waitForFunction(`window.ws.length > 0 || ${JSON.stringify(extra)}.devices !== undefined`);
    const card = page.locator('librespot2mqtt-card');
    return { page, card, text: (sel: string) => card.locator(sel).innerText() };
  }

  /** the card's text by part, and each control's state, as a user sees them */
  async function look(s: Scenario, name: string, cell?: Cell, extra?: Record<string, unknown>) {
    const shown = await show(s, cell, extra);
    const { page, card } = shown;
    await page.waitForFunction(`(() => { const c = document.querySelector('librespot2mqtt-card'); const i = c.shadowRoot.querySelector('img'); return !i.getAttribute('src') || i.complete; })()`);
    await card.screenshot({ path: join(shots, `${name}.png`) });
    const part = async (sel: string) => ((await card.locator(sel).isVisible()) ? (await card.locator(sel).innerText()).trim() : null);
    const control = async (c: string) => {
      const b = card.locator(`button[data-control="${c}"]`);
      return { enabled: await b.isEnabled(), on: (await b.getAttribute('class'))?.split(' ').includes('on') ?? false, label: await b.getAttribute('aria-label') };
    };
    return {
      ...shown,
      chip: await part('.chip'),
      title: await part('.title'),
      artist: await part('.artist'),
      album: await part('.album'),
      from: await part('.from'),
      hint: await part('.hint'),
      pos: await part('.pos'),
      dur: await part('.dur'),
      level: await part('.level span'),
      cap: await part('.level small'),
      error: await part('.notice.error'),
      pairing: await part('.notice.pairing'),
      cover: await card.locator('.art').evaluate((e) => e.classList.contains('has-img')),
      volumeEnabled: await card.locator('input').isEnabled(),
      play: await control('play_pause'),
      previous: await control('previous'),
      next: await control('next'),
      shuffle: await control('shuffle'),
      repeat: await control('repeat'),
      mute: await control('mute'),
    };
  }

  const calls = async (page: import('playwright-core').Page) => page.evaluate('window.calls') as Promise<unknown[]>;

  it('playing: cover, track, where it plays from, a running position, all controls', async () => {
    const v = await look(SCENARIOS.playing!, 'playing');
    assert.equal(v.chip, 'Playing');
    assert.equal(v.title, 'Midnight City');
    assert.equal(v.artist, 'M83');
    assert.equal(v.album, "Hurry Up, We're Dreaming");
    assert.equal(v.from, 'Playing from Discover Weekly');
    assert.equal(v.cover, true, 'the cover image loaded from the image entity');
    // position_ms 21 s, updated 60 s ago, playing: 1:21 now
    assert.deepEqual([v.pos, v.dur], ['1:21', '4:03']);
    assert.equal(v.hint, null);
    assert.deepEqual(v.play, { enabled: true, on: false, label: 'Pause' });
    assert.ok(v.previous.enabled && v.next.enabled);
    assert.deepEqual(v.shuffle, { enabled: true, on: true, label: 'Shuffle: on' });
    assert.deepEqual(v.repeat, { enabled: true, on: true, label: 'Repeat: all' });
    assert.deepEqual(v.mute, { enabled: true, on: false, label: 'Mute' });
    assert.equal(v.level, '45 %');
    assert.equal(v.cap, null, 'no cap shown at Max volume 100 %');
    assert.equal(v.error, null);
    assert.equal(v.pairing, null);
    const ws = (await v.page.evaluate('window.ws')) as Array<{ type: string; entity_ids: string[] }>;
    assert.equal(ws.length, 1, 'one registry lookup');
    assert.deepEqual(ws[0]!.entity_ids, Object.values(ENTITY_IDS).sort(), "only the device's entities are looked up");
  });

  it('paused: the position stands still, the main button plays', async () => {
    const v = await look(SCENARIOS.paused!, 'paused');
    assert.equal(v.chip, 'Paused');
    assert.equal(v.pos, '0:21');
    assert.deepEqual(v.play, { enabled: true, on: false, label: 'Play' });
    assert.deepEqual(v.shuffle, { enabled: true, on: false, label: 'Shuffle: off' });
    assert.equal(v.repeat.label, 'Repeat: this track');
  });

  it('off (no Spotify session): says how to start, transport disabled, volume still works', async () => {
    const v = await look(SCENARIOS.off!, 'off');
    assert.equal(v.chip, null, 'no chip repeating the title');
    assert.equal(v.title, 'No Spotify session');
    assert.match(v.hint ?? '', /Spotify app/);
    assert.equal(v.artist, null);
    assert.equal(v.pos, null, 'no progress bar without a track');
    assert.equal(v.cover, false);
    for (const c of [v.play, v.previous, v.next, v.shuffle, v.repeat]) assert.equal(c.enabled, false);
    assert.equal(v.volumeEnabled, true);
    assert.equal(v.level, '45 %');
  });

  it('unavailable (bridge offline): says so, shows no stale track, every control disabled', async () => {
    const v = await look(SCENARIOS.unavailable!, 'unavailable');
    assert.equal(v.title, 'Unavailable');
    assert.match(v.hint ?? '', /bridge is offline/);
    assert.equal(v.artist, null);
    assert.equal(v.from, null);
    for (const c of [v.play, v.previous, v.next, v.shuffle, v.repeat, v.mute]) assert.equal(c.enabled, false);
    assert.equal(v.volumeEnabled, false);
    assert.equal(v.level, '–');
  });

  it('go-librespot unreachable: names the part that is down; the mixer still works', async () => {
    const v = await look(SCENARIOS.player_down!, 'player-down');
    assert.equal(v.title, 'Player unreachable');
    assert.match(v.hint ?? '', /go-librespot does not answer/);
    assert.equal(v.play.enabled, false);
    assert.equal(v.volumeEnabled, true);
    assert.equal(v.mute.enabled, true);
  });

  it('playback error: what happened and what to try, in full', async () => {
    const v = await look(SCENARIOS.error!, 'error');
    const { summary, explanation } = SCENARIOS.error!.state.last_error!;
    assert.equal(v.error, `${summary}\n${explanation}`);
  });

  it('capped volume: shows the cap, and the slider stops at it', async () => {
    const v = await look(SCENARIOS.capped!, 'capped');
    assert.equal(v.level, '30 %');
    assert.equal(v.cap, 'max 40 %');
    assert.equal(await v.card.locator('.capmark').isVisible(), true);
    await v.card.locator('input').fill('80');
    assert.deepEqual(await calls(v.page), [{ domain: 'number', service: 'set_value', data: { entity_id: ENTITY_IDS.volume, value: 40 } }]);
    assert.equal(await v.text('.level span'), '40 %', 'the slider shows where the speaker will be');
  });

  it('muted: the mute button is on and unmutes', async () => {
    const v = await look(SCENARIOS.muted!, 'muted');
    assert.deepEqual(v.mute, { enabled: true, on: true, label: 'Unmute' });
    await v.card.locator('button[data-control="mute"]').click();
    assert.deepEqual(await calls(v.page), [{ domain: 'switch', service: 'turn_off', data: { entity_id: ENTITY_IDS.mute } }]);
  });

  it('a 300-character title: shown whole from the attributes, wrapped to two lines, the card keeps its size', async () => {
    const normal = await show(SCENARIOS.playing!);
    const height = (await normal.card.boundingBox())!.height;
    const v = await look(SCENARIOS.long_title!, 'long-title');
    assert.equal(v.title, LONG_TITLE, 'the full title (the state holds only 255 characters)');
    const box = (await v.card.boundingBox())!;
    const title = (await v.card.locator('.title').boundingBox())!;
    assert.ok(title.height < 60, `the title takes two lines, not ${title.height}px`);
    assert.ok(box.height <= height + 30, `card ${box.height}px high against ${height}px with a short title`);
    assert.equal(await v.card.locator('.title').getAttribute('title'), LONG_TITLE, 'the whole title on hover');
  });

  it('pairing pending: the code, the link and its expiry', async () => {
    const v = await look(SCENARIOS.pairing!, 'pairing');
    assert.equal(v.pairing, 'Pair this speaker with Spotify\nOpen www.spotify.com/pair and enter the code WXYZ-2468 (valid until 20:25).');
    assert.equal(await v.card.locator('.notice.pairing a').getAttribute('href'), 'https://www.spotify.com/pair');
  });

  it('each control calls its core service with its entity', async () => {
    const { page, card } = await show(SCENARIOS.playing!);
    await page.waitForFunction(`document.querySelector('librespot2mqtt-card').shadowRoot.querySelector('button[data-control="next"]').disabled === false`);
    const expected: Record<string, unknown> = {
      play_pause: { domain: 'button', service: 'press', data: { entity_id: ENTITY_IDS.pause } },
      previous: { domain: 'button', service: 'press', data: { entity_id: ENTITY_IDS.previous } },
      next: { domain: 'button', service: 'press', data: { entity_id: ENTITY_IDS.next } },
      shuffle: { domain: 'switch', service: 'turn_off', data: { entity_id: ENTITY_IDS.shuffle } },
      repeat: { domain: 'select', service: 'select_option', data: { entity_id: ENTITY_IDS.repeat, option: 'track' } },
      mute: { domain: 'switch', service: 'turn_on', data: { entity_id: ENTITY_IDS.mute } },
    };
    for (const control of Object.keys(expected)) await card.locator(`button[data-control="${control}"]`).click();
    await card.locator('input').fill('60');
    assert.deepEqual(await calls(page), [
      ...Object.values(expected),
      { domain: 'number', service: 'set_value', data: { entity_id: ENTITY_IDS.volume, value: 60 } },
    ]);

    await page.evaluate(`window.setHass(${JSON.stringify(hassData(SCENARIOS.paused!))})`);
    await page.evaluate('window.calls.length = 0');
    await card.locator('button[data-control="play_pause"]').click();
    await card.locator('button[data-control="repeat"]').click();
    await card.locator('button[data-control="shuffle"]').click();
    assert.deepEqual(await calls(page), [
      { domain: 'button', service: 'press', data: { entity_id: ENTITY_IDS.play } },
      { domain: 'select', service: 'select_option', data: { entity_id: ENTITY_IDS.repeat, option: 'off' } },
      { domain: 'switch', service: 'turn_on', data: { entity_id: ENTITY_IDS.shuffle } },
    ]);
  });

  it('a refused service call is shown, and cleared by the next one that works', async () => {
    const { page, card, text } = await show(SCENARIOS.playing!);
    await page.evaluate(`window.failNext = { code: 'home_assistant_error', message: 'Entity is unavailable' }`);
    await card.locator('button[data-control="next"]').click();
    await card.locator('.notice.error').waitFor();
    assert.equal(await text('.notice.error'), `Command failed\nbutton.press on ${ENTITY_IDS.next}: Entity is unavailable`);
    await card.locator('button[data-control="next"]').click();
    await card.locator('.notice.error').waitFor({ state: 'hidden' });
  });

  it('entities from the config alone (no device registry), and a config that overrides one', async () => {
    const entities = Object.fromEntries(Object.entries(ENTITY_IDS));
    const { card, text } = await show(SCENARIOS.playing!, { config: { entities } }, { devices: {}, entities: {} });
    await card.locator('.artist').waitFor();
    assert.equal(await text('.title'), 'Midnight City');

    const other = await show(SCENARIOS.playing!, { config: { device: DEVICE_ID, entities: { title: 'sensor.other_title' } } }, {
      states: { ...states(SCENARIOS.playing!), 'sensor.other_title': { entity_id: 'sensor.other_title', state: 'Another Song', attributes: {} } },
    });
    await other.page.waitForFunction(`document.querySelector('librespot2mqtt-card').shadowRoot.querySelector('.title').textContent === 'Another Song'`);
  });

  it('nothing to show: no speaker, or a registry it may not read, says what to do', async () => {
    const none = await look(SCENARIOS.playing!, 'no-device', { config: {} }, { devices: {} });
    assert.equal(none.chip, 'Not set up');
    assert.equal(none.title, 'Speaker not found');
    assert.match(none.hint ?? '', /No librespot2mqtt speaker in Home Assistant/);

    const denied = await show(SCENARIOS.playing!, { config: device }, { wsError: { code: 'unauthorized', message: 'Unauthorized' } });
    await denied.page.waitForFunction(`document.querySelector('librespot2mqtt-card').shadowRoot.querySelector('.hint').textContent.includes('Unauthorized')`);
    assert.equal(await denied.text('.title'), 'Entities not found');
    assert.match(await denied.text('.hint'), /Could not read the entity registry \(Unauthorized\): list the entities under "entities:"/);
  });

  it('a wrong config is refused with what is wrong', async () => {
    const page = await browser.open([]);
    const refuse = (config: unknown) =>
      page.evaluate(`(() => { try { document.createElement('librespot2mqtt-card').setConfig(${JSON.stringify(config)}); return 'accepted'; } catch (e) { return e.message; } })()`);
    assert.match(String(await refuse({ entity: 'media_player.x' })), /unknown option "entity"/);
    assert.match(String(await refuse({ entities: { volume: 'sensor.x' } })), /"entities.volume" must be a number entity id/);
    assert.match(String(await refuse({ entities: { tracks: 'sensor.x' } })), /unknown part "entities.tracks"/);
    assert.equal(await refuse({ device: DEVICE_ID, entities: { title: 'sensor.x' } }), 'accepted');
  });

  it("the card picker's entry, stub config and editor", async () => {
    const page = await browser.open([]);
    await page.evaluate(`window.setHass(${JSON.stringify(hassData(SCENARIOS.playing!))})`);
    assert.deepEqual(await page.evaluate(`window.customCards.map((c) => c.type)`), ['librespot2mqtt-card']);
    const data = JSON.stringify(hassData(SCENARIOS.playing!));
    assert.deepEqual(await page.evaluate(`customElements.get('librespot2mqtt-card').getStubConfig(${data})`), { device: DEVICE_ID });
    await page.evaluate(`(() => {
      const editor = customElements.get('librespot2mqtt-card').getConfigElement();
      editor.id = 'editor';
      editor.setConfig({ type: 'custom:librespot2mqtt-card' });
      editor.hass = window.setHass(${data});
      editor.addEventListener('config-changed', (e) => { window.changed = e.detail.config; });
      document.body.append(editor);
    })()`);
    const select = page.locator('#editor select');
    assert.deepEqual(await select.locator('option').allInnerTexts(), ['The first librespot2mqtt speaker', 'Living Room Speaker']);
    await select.selectOption(DEVICE_ID);
    assert.deepEqual(await page.evaluate('window.changed'), { type: 'custom:librespot2mqtt-card', device: DEVICE_ID });
    await page.locator('#editor').screenshot({ path: join(shots, 'editor.png') });
  });

  it('overview screenshots: every state, light and dark', async () => {
    for (const dark of [false, true]) {
      const names = Object.keys(SCENARIOS);
      const page = await browser.open(names.map(() => ({ config: device, dark })));
      for (const [i, name] of names.entries())
        await page.evaluate(`window.setHass(${JSON.stringify(hassData(SCENARIOS[name]!))}, ${i})`);
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(shots, `overview-${dark ? 'dark' : 'light'}.png`), fullPage: true });
    }
    // a phone's column and a wide sections-view card
    for (const [name, width] of [['narrow', 300], ['wide', 640]] as const) {
      const page = await browser.open([{ config: device }, { config: device, dark: true }], width);
      await page.evaluate(`window.setHass(${JSON.stringify(hassData(SCENARIOS.long_title!))}, 0)`);
      await page.evaluate(`window.setHass(${JSON.stringify(hassData(SCENARIOS.pairing!))}, 1)`);
      await page.waitForTimeout(300);
      await page.locator('.cells').screenshot({ path: join(shots, `${name}.png`) });
    }
    // the README's picture (docs/card.png is a copy): light and dark, as on a dashboard
    const page = await browser.open([{ config: device }, { config: device, dark: true }]);
    await page.evaluate(`window.setHass(${JSON.stringify(hassData(SCENARIOS.playing!))}, 0)`);
    await page.evaluate(`window.setHass(${JSON.stringify(hassData(SCENARIOS.capped!))}, 1)`);
    await page.waitForTimeout(300);
    await page.locator('.cells').screenshot({ path: join(shots, 'readme.png') });
  });
});
