// <librespot2mqtt-card>: a plain custom element. The skeleton is built once and patched on every
// `hass` update, so a dragged slider or a focused button survives the many updates HA sends.
import { callFor, type Control } from './actions.js';
import type { Hass, HassEntity } from './hass.js';
import { ICONS, svg } from './icons.js';
import type { Key } from './keys.js';
import { checkConfig, deviceEntities, deviceEntityIds, deviceName, findDevice, speakerDevices, type CardConfig, type EntityMap } from './resolve.js';
import { STYLES } from './styles.js';
import { clock, positionNow, viewOf, type View } from './view.js';

const TEMPLATE = `
<style>${STYLES}</style>
<ha-card>
  <div class="backdrop none"></div>
  <div class="content">
    <div class="top">
      <div class="art"><img alt="" decoding="async">${svg(ICONS.music)}</div>
      <div class="info">
        <div class="head"><span class="device"></span><span class="chip"></span></div>
        <div class="title"></div>
        <div class="artist"></div>
        <div class="album"></div>
        <div class="from">Playing from <b></b></div>
        <div class="hint"></div>
      </div>
    </div>
    <div class="progress"><div class="bar"><div class="fill"></div></div><div class="times"><span class="pos"></span><span class="dur"></span></div></div>
    <div class="controls">
      <button data-control="shuffle"></button>
      <button data-control="previous" aria-label="Previous" title="Previous">${svg(ICONS.previous)}</button>
      <button data-control="play_pause" class="main"></button>
      <button data-control="next" aria-label="Next" title="Next">${svg(ICONS.next)}</button>
      <button data-control="repeat"></button>
    </div>
    <div class="volume">
      <button data-control="mute"></button>
      <div class="slider"><input type="range" min="0" max="100" step="1" aria-label="Volume"><div class="capmark"></div></div>
      <div class="level"><span></span><small></small></div>
    </div>
    <div class="notice error" role="alert">${svg(ICONS.alert)}<div><b></b><span></span></div></div>
    <div class="notice pairing">${svg(ICONS.link)}<div><b>Pair this speaker with Spotify</b><span></span></div></div>
  </div>
</ha-card>`;

/** HA rejects calls with {code, message} objects, not Errors */
const reason = (err: unknown) => (err && typeof err === 'object' && 'message' in err ? String(err.message) : String(err));

const REPEAT_ICON: Record<string, string> = { off: ICONS.repeatOff, context: ICONS.repeat, track: ICONS.repeatOnce };
const REPEAT_LABEL: Record<string, string> = { off: 'Repeat: off', context: 'Repeat: all', track: 'Repeat: this track' };

export class Librespot2mqttCard extends HTMLElement {
  private config: CardConfig = {};
  private _hass?: Hass;
  private found: EntityMap = {};
  /** the device and its entity ids the registry lookup was made for */
  private lookedUp = '';
  /** why the card cannot show the speaker: a title and what to do */
  private problem: { title: string; text: string } | null = null;
  private view?: View;
  private timer?: ReturnType<typeof setInterval>;
  /** the volume entity state at the user's last change: until HA reports a new one, keep the user's value */
  private volumeHold?: HassEntity;
  private dragging = false;
  /** the last service call's error, until a call succeeds */
  private failed: string | null = null;
  private readonly root: ShadowRoot;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    this.root.innerHTML = TEMPLATE;
    this.root.querySelector('.controls')!.addEventListener('click', (e) => this.onClick(e));
    this.$('.volume button').addEventListener('click', (e) => this.onClick(e));
    this.$('img').addEventListener('error', () => this.$('.art').classList.remove('has-img'));
    this.$('img').addEventListener('load', () => this.$('.art').classList.add('has-img'));
    const input = this.$<HTMLInputElement>('input');
    input.addEventListener('input', () => {
      this.dragging = true;
      const cap = this.view?.cap;
      if (cap !== null && cap !== undefined && Number(input.value) > cap) input.value = String(cap);
      this.showLevel(Number(input.value));
    });
    input.addEventListener('change', () => {
      this.dragging = false;
      this.volumeHold = this.entity('volume');
      this.call('volume', Number(input.value));
    });
  }

  static getConfigElement() {
    return document.createElement('librespot2mqtt-card-editor');
  }

  static getStubConfig(hass: Hass) {
    const device = speakerDevices(hass)[0];
    return device ? { device: device.id } : {};
  }

  setConfig(config: unknown) {
    this.config = checkConfig(config);
    this.lookedUp = '';
    if (this._hass) this.hass = this._hass;
  }

  set hass(hass: Hass) {
    this._hass = hass;
    this.lookUp(hass);
    this.render();
  }

  getCardSize() {
    return 5;
  }

  getGridOptions() {
    return { columns: 12, min_columns: 6, rows: 'auto' };
  }

  connectedCallback() {
    this.timer = setInterval(() => this.view?.playing && this.renderProgress(this.view), 1000);
  }

  disconnectedCallback() {
    clearInterval(this.timer);
  }

  private $<T extends Element = HTMLElement>(selector: string): T {
    return this.root.querySelector<T>(selector)!;
  }

  private entityId(key: Key): string | undefined {
    return this.config.entities?.[key] ?? this.found[key];
  }

  private entity(key: Key): HassEntity | undefined {
    const id = this.entityId(key);
    return id ? this._hass?.states[id] : undefined;
  }

  /** Finds the device's entities once per device/entity set, not on every state change. */
  private lookUp(hass: Hass) {
    const device = findDevice(hass, this.config);
    const signature = device ? `${device.id}:${deviceEntityIds(hass, device).join(',')}` : 'none';
    if (signature === this.lookedUp) return;
    this.lookedUp = signature;
    this.found = {};
    this.problem = null;
    if (!device) {
      if (!this.config.entities)
        this.problem = {
          title: 'Speaker not found',
          text: this.config.device
            ? `The device ${this.config.device} is not in Home Assistant: pick the speaker again in the card editor.`
            : 'No librespot2mqtt speaker in Home Assistant yet: set up the MQTT integration and start the bridge.',
        };
      return;
    }
    deviceEntities(hass, device).then(
      (found) => {
        if (this.lookedUp !== signature) return;
        this.found = found;
        this.render();
      },
      (err: unknown) => {
        if (this.lookedUp !== signature) return;
        this.problem = {
          title: 'Entities not found',
          text: `Could not read the entity registry (${reason(err)}): list the entities under "entities:" in the card's config.`,
        };
        this.render();
      },
    );
  }

  private render() {
    const hass = this._hass;
    if (!hass) return;
    const v = viewOf((key) => this.entity(key));
    this.view = v;
    const device = findDevice(hass, this.config);
    const name = device ? deviceName(device) : 'librespot2mqtt';
    const problem = this.problem;

    this.$('.device').textContent = name;
    const chip = this.$('.chip');
    chip.textContent = problem ? 'Not set up' : v.label;
    chip.className = `chip ${problem ? 'offline' : v.phase}`;
    // without a track the title itself says what the chip would
    chip.hidden = !v.title && !problem;
    this.setText('.title', problem?.title ?? v.title ?? v.label);
    this.$('.title').title = v.title ?? '';
    this.setText('.artist', v.artist);
    this.setText('.album', v.album);
    this.$('.from').hidden = !v.playingFrom;
    this.$('.from b').textContent = v.playingFrom ?? '';
    this.setText('.hint', problem?.text ?? v.hint);

    const art = this.$('.art');
    const img = this.$<HTMLImageElement>('img');
    if (!v.cover) {
      art.classList.remove('has-img');
      img.removeAttribute('src');
    } else if (img.getAttribute('src') !== v.cover) {
      img.src = v.cover;
    }
    const backdrop = this.$('.backdrop');
    backdrop.classList.toggle('none', !v.cover);
    backdrop.style.backgroundImage = v.cover ? `url("${CSS.escape(v.cover)}")` : '';

    this.renderProgress(v);
    this.renderControls(v);
    this.renderVolume(v);

    const error = this.failed ? { summary: 'Command failed', detail: this.failed } : v.error;
    this.$('.notice.error').hidden = !error;
    this.$('.notice.error b').textContent = error?.summary ?? '';
    this.setText('.notice.error span', error?.detail ?? null);
    this.renderPairing(v);
  }

  private setText(selector: string, text: string | null) {
    const el = this.$(selector);
    el.hidden = !text;
    el.textContent = text ?? '';
  }

  private renderProgress(v: View) {
    const pos = positionNow(v, Date.now());
    const show = pos !== null && !!v.durationMs;
    this.$('.progress').hidden = !show;
    if (!show) return;
    this.$('.fill').style.width = `${Math.min(100, (pos / v.durationMs!) * 100).toFixed(2)}%`;
    this.$('.pos').textContent = clock(pos);
    this.$('.dur').textContent = clock(v.durationMs!);
  }

  private renderControls(v: View) {
    this.button('play_pause', v.can.playPause, v.playing ? ICONS.pause : ICONS.play, v.playing ? 'Pause' : 'Play');
    this.button('previous', v.can.previous);
    this.button('next', v.can.next);
    this.button('shuffle', v.can.shuffle, v.shuffle ? ICONS.shuffle : ICONS.shuffleOff, v.shuffle ? 'Shuffle: on' : 'Shuffle: off', v.shuffle);
    this.button('repeat', v.can.repeat, REPEAT_ICON[v.repeat] ?? ICONS.repeat, REPEAT_LABEL[v.repeat] ?? `Repeat: ${v.repeat}`, v.repeat !== 'off');
    this.button('mute', v.can.mute, v.muted ? ICONS.muted : ICONS.volume, v.muted ? 'Unmute' : 'Mute', v.muted);
  }

  private button(control: Control, enabled: boolean, icon?: string, label?: string, on = false) {
    const b = this.$<HTMLButtonElement>(`button[data-control="${control}"]`);
    b.disabled = !enabled;
    b.classList.toggle('on', on);
    if (icon && b.dataset.icon !== icon) {
      b.dataset.icon = icon;
      b.innerHTML = svg(icon);
    }
    if (label) {
      b.title = label;
      b.setAttribute('aria-label', label);
    }
  }

  private renderVolume(v: View) {
    const slider = this.$('.slider');
    const input = this.$<HTMLInputElement>('input');
    input.disabled = !v.can.volume;
    const capped = v.cap !== null && v.cap < 100;
    slider.classList.toggle('uncapped', !capped);
    slider.classList.toggle('muted', v.muted);
    slider.style.setProperty('--cap', `${v.cap ?? 100}%`);
    this.$('.level small').textContent = capped ? `max ${v.cap} %` : '';
    this.$('.level small').hidden = !capped;
    if (this.volumeHold && this.entity('volume') !== this.volumeHold) this.volumeHold = undefined;
    if (this.dragging || this.volumeHold) return;
    input.value = String(v.volume ?? 0);
    this.showLevel(v.volume);
  }

  private showLevel(volume: number | null) {
    this.$('.slider').style.setProperty('--vol', `${volume ?? 0}%`);
    this.$('.level span').textContent = volume === null ? '–' : `${volume} %`;
  }

  private renderPairing(v: View) {
    const box = this.$('.notice.pairing');
    box.hidden = !v.pairing;
    if (!v.pairing) return;
    const span = this.$('.notice.pairing span');
    span.textContent = '';
    const add = (text: string, tag?: 'code' | 'a', href?: string) => {
      const node = tag ? document.createElement(tag) : document.createTextNode(text);
      if (tag) node.textContent = text;
      if (href && node instanceof HTMLAnchorElement) Object.assign(node, { href, target: '_blank', rel: 'noreferrer' });
      span.append(node);
    };
    if (v.pairing.url) {
      add('Open ');
      add(v.pairing.url.replace(/^https?:\/\//, ''), 'a', v.pairing.url);
      add(' and enter the code ');
    } else add('Enter the code ');
    add(v.pairing.code, 'code');
    const expires = v.pairing.expiresAt ? new Date(v.pairing.expiresAt) : null;
    if (expires && !Number.isNaN(expires.getTime()))
      add(` (valid until ${expires.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })})`);
    add('.');
  }

  private onClick(e: Event) {
    const control = (e.target as Element).closest<HTMLButtonElement>('button[data-control]')?.dataset.control as Control | undefined;
    if (control) this.call(control);
  }

  private call(control: Control, volume?: number) {
    const v = this.view;
    if (!v || !this._hass) return;
    const call = callFor(control, v, (key) => this.entityId(key), this.entity('repeat')?.attributes.options, volume);
    if (!call) return;
    this._hass.callService(call.domain, call.service, call.data).then(
      () => this.failed && ((this.failed = null), this.render()),
      (err: unknown) => {
        this.failed = `${call.domain}.${call.service} on ${String(call.data.entity_id)}: ${reason(err)}`;
        this.render();
      },
    );
  }
}
