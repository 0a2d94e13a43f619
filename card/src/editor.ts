// The card editor HA's card picker shows: choose which speaker the card follows. A plain <select>
// so the editor does not depend on HA's lazily loaded form elements.
import type { Hass } from './hass.js';
import { checkConfig, deviceName, speakerDevices, type CardConfig } from './resolve.js';

export class Librespot2mqttCardEditor extends HTMLElement {
  private config: CardConfig = {};
  private _hass?: Hass;
  private readonly root = this.attachShadow({ mode: 'open' });

  setConfig(config: unknown) {
    this.config = checkConfig(config);
    this.render();
  }

  set hass(hass: Hass) {
    const before = this._hass && speakerDevices(this._hass).map((d) => d.id).join();
    this._hass = hass;
    if (before !== speakerDevices(hass).map((d) => d.id).join()) this.render();
  }

  private render() {
    const devices = this._hass ? speakerDevices(this._hass) : [];
    this.root.innerHTML = `
      <style>
        label { display: flex; flex-direction: column; gap: 4px; font-size: 0.875rem; color: var(--secondary-text-color); }
        select { font: inherit; font-size: 1rem; padding: 8px; border-radius: 4px; color: var(--primary-text-color);
          background: var(--input-fill-color, var(--secondary-background-color)); border: 1px solid var(--divider-color); }
        p { font-size: 0.8125rem; color: var(--secondary-text-color); margin: 8px 0 0; }
      </style>
      <label>Speaker<select></select></label>
      <p>The card finds the speaker's entities by itself. To use other entities, list them in YAML under
      <code>entities:</code> (for example <code>title: sensor.kitchen_title</code>).</p>`;
    const select = this.root.querySelector('select')!;
    const options = [{ id: '', label: devices.length ? 'The first librespot2mqtt speaker' : 'No librespot2mqtt speaker found' }].concat(
      devices.map((d) => ({ id: d.id, label: deviceName(d) })),
    );
    for (const o of options) select.append(new Option(o.label, o.id, false, o.id === (this.config.device ?? '')));
    select.addEventListener('change', () => {
      const { device: _old, ...rest } = this.config;
      this.config = select.value ? { ...rest, device: select.value } : rest;
      this.dispatchEvent(new CustomEvent('config-changed', { detail: { config: this.config }, bubbles: true, composed: true }));
    });
  }
}
