// The bundle's entry: registers the card, its editor, and the card picker entry.
import { Librespot2mqttCard } from './card.js';
import { Librespot2mqttCardEditor } from './editor.js';

declare global {
  interface Window {
    customCards?: Array<Record<string, unknown>>;
  }
}

if (!customElements.get('librespot2mqtt-card')) {
  customElements.define('librespot2mqtt-card', Librespot2mqttCard);
  customElements.define('librespot2mqtt-card-editor', Librespot2mqttCardEditor);
  (window.customCards ??= []).push({
    type: 'librespot2mqtt-card',
    name: 'librespot2mqtt speaker',
    description: 'Now playing, cover art, transport and volume for a librespot2mqtt Spotify Connect speaker.',
    preview: true,
  });
}
