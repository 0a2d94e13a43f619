// Colours, fonts and radii come from HA's theme variables, so light, dark and custom themes apply.
export const STYLES = `
:host { display: block; container-type: inline-size; }
ha-card {
  display: block; position: relative; overflow: hidden; isolation: isolate; height: 100%; box-sizing: border-box;
  background: var(--ha-card-background, var(--card-background-color, #fff));
  color: var(--primary-text-color, #212121);
  border-radius: var(--ha-card-border-radius, 12px);
  border: var(--ha-card-border-width, 1px) solid var(--ha-card-border-color, var(--divider-color, #e0e0e0));
  box-shadow: var(--ha-card-box-shadow, none);
  font-family: var(--ha-font-family-body, var(--paper-font-body1_-_font-family, Roboto, "Noto Sans", sans-serif));
}
.backdrop {
  position: absolute; inset: -40px; z-index: -1; background-size: cover; background-position: center;
  filter: blur(36px) saturate(1.3); opacity: 0.32; transition: opacity 0.4s;
}
.backdrop.none { opacity: 0; }
.content { padding: 16px; display: flex; flex-direction: column; gap: 12px; }
.top { display: flex; gap: 16px; align-items: center; min-width: 0; }
.art {
  flex: none; width: 128px; height: 128px; border-radius: 8px; overflow: hidden; position: relative;
  background: color-mix(in srgb, var(--primary-text-color, #212121) 8%, transparent);
  box-shadow: 0 4px 14px rgba(0, 0, 0, 0.25); color: var(--secondary-text-color, #727272);
  display: flex; align-items: center; justify-content: center;
}
.art img { width: 100%; height: 100%; object-fit: cover; display: block; }
.art svg { width: 48px; height: 48px; fill: currentColor; opacity: 0.55; }
.art.has-img svg, .art:not(.has-img) img { display: none; }
.info { flex: 1; min-width: 0; display: flex; flex-direction: column; gap: 2px; }
.head { display: flex; align-items: center; gap: 8px; min-width: 0; margin-bottom: 4px; font-size: 0.8125rem; color: var(--secondary-text-color, #727272); }
.device { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.chip {
  flex: none; padding: 1px 8px; border-radius: 10px; font-size: 0.75rem; font-weight: 500; line-height: 18px;
  background: color-mix(in srgb, var(--primary-text-color, #212121) 10%, transparent);
}
.chip.playing { background: var(--primary-color, #03a9f4); color: var(--text-primary-color, #fff); }
.chip.offline, .chip.player_down { background: color-mix(in srgb, var(--error-color, #db4437) 18%, transparent); color: var(--error-color, #db4437); }
.title {
  font-size: 1.2rem; font-weight: 500; line-height: 1.35; overflow: hidden; overflow-wrap: anywhere;
  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical;
}
.artist, .album, .from, .hint { font-size: 0.875rem; line-height: 1.4; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.artist { color: var(--primary-text-color, #212121); }
.album, .from { color: var(--secondary-text-color, #727272); }
.from b { font-weight: 500; }
.hint { color: var(--secondary-text-color, #727272); white-space: normal; }
.progress { display: flex; flex-direction: column; gap: 4px; }
.bar { height: 4px; border-radius: 2px; overflow: hidden; background: color-mix(in srgb, var(--primary-text-color, #212121) 14%, transparent); }
.fill { height: 100%; width: 0; background: var(--primary-color, #03a9f4); border-radius: 2px; }
.times { display: flex; justify-content: space-between; font-size: 0.75rem; color: var(--secondary-text-color, #727272); font-variant-numeric: tabular-nums; }
.controls { display: flex; align-items: center; justify-content: space-between; padding: 0 4px; }
button {
  all: unset; box-sizing: border-box; cursor: pointer; display: inline-flex; align-items: center; justify-content: center;
  width: 44px; height: 44px; border-radius: 50%; color: var(--primary-text-color, #212121); position: relative;
}
button svg { width: 26px; height: 26px; fill: currentColor; }
button:hover { background: color-mix(in srgb, var(--primary-text-color, #212121) 8%, transparent); }
button:focus-visible { outline: 2px solid var(--primary-color, #03a9f4); outline-offset: 2px; }
button.on { color: var(--primary-color, #03a9f4); }
button.on::after { content: ""; position: absolute; bottom: 4px; width: 4px; height: 4px; border-radius: 50%; background: currentColor; }
button.main { width: 60px; height: 60px; background: var(--primary-color, #03a9f4); color: var(--text-primary-color, #fff); box-shadow: 0 2px 8px rgba(0, 0, 0, 0.25); }
button.main svg { width: 34px; height: 34px; }
button.main:hover { filter: brightness(1.08); }
button:disabled, button[disabled] { cursor: default; opacity: 0.35; pointer-events: none; }
button.main[disabled] { background: color-mix(in srgb, var(--primary-text-color, #212121) 30%, transparent); box-shadow: none; }
.volume { display: flex; align-items: center; gap: 8px; }
.volume button { width: 40px; height: 40px; flex: none; }
.volume button svg { width: 22px; height: 22px; }
.volume button.on { color: var(--error-color, #db4437); }
.volume button.on::after { display: none; }
.slider { flex: 1; position: relative; height: 28px; display: flex; align-items: center; --vol: 0%; --cap: 100%; }
.slider input { -webkit-appearance: none; appearance: none; width: 100%; height: 28px; margin: 0; background: transparent; cursor: pointer; }
.slider input:disabled { cursor: default; }
.slider input::-webkit-slider-runnable-track { height: 6px; border-radius: 3px; background: var(--track); }
.slider input::-moz-range-track { height: 6px; border-radius: 3px; background: var(--track); }
.slider input::-webkit-slider-thumb {
  -webkit-appearance: none; width: 16px; height: 16px; margin-top: -5px; border-radius: 50%;
  background: var(--primary-color, #03a9f4); border: 2px solid var(--card-background-color, #fff); box-shadow: 0 1px 3px rgba(0, 0, 0, 0.4);
}
.slider input::-moz-range-thumb { width: 14px; height: 14px; border-radius: 50%; background: var(--primary-color, #03a9f4); border: 2px solid var(--card-background-color, #fff); }
.slider input:disabled::-webkit-slider-thumb { display: none; }
.slider input:disabled::-moz-range-thumb { display: none; }
.slider {
  --empty: color-mix(in srgb, var(--primary-text-color, #212121) 16%, transparent);
  --locked: color-mix(in srgb, var(--primary-text-color, #212121) 7%, transparent);
  --track: linear-gradient(to right, var(--fill, var(--primary-color, #03a9f4)) 0 var(--vol), var(--empty) var(--vol) var(--cap), transparent var(--cap)),
    repeating-linear-gradient(135deg, var(--locked) 0 3px, color-mix(in srgb, var(--primary-text-color, #212121) 24%, transparent) 3px 5px)
      right center / calc(100% - var(--cap)) 100% no-repeat;
}
.slider.muted { --fill: var(--disabled-text-color, #bdbdbd); }
.capmark { position: absolute; left: var(--cap); top: 7px; width: 3px; height: 14px; margin-left: -1px; border-radius: 1px; background: var(--warning-color, #ffa600); pointer-events: none; }
.slider.uncapped .capmark { display: none; }
.level { flex: none; min-width: 44px; text-align: right; font-size: 0.875rem; font-variant-numeric: tabular-nums; }
.level small { display: block; font-size: 0.75rem; color: var(--secondary-text-color, #727272); white-space: nowrap; }
.notice {
  display: flex; gap: 10px; align-items: flex-start; padding: 10px 12px; border-radius: 8px; font-size: 0.875rem; line-height: 1.4;
  overflow-wrap: anywhere;
}
.notice svg { flex: none; width: 20px; height: 20px; fill: currentColor; margin-top: 1px; }
.notice b { display: block; font-weight: 600; }
.notice.error { background: color-mix(in srgb, var(--error-color, #db4437) 14%, transparent); color: var(--primary-text-color, #212121); }
.notice.error svg { color: var(--error-color, #db4437); }
.notice.pairing { background: color-mix(in srgb, var(--primary-color, #03a9f4) 14%, transparent); }
.notice.pairing svg { color: var(--primary-color, #03a9f4); }
.notice a { color: var(--primary-color, #03a9f4); }
.notice code { white-space: nowrap; font-family: var(--ha-font-family-code, monospace); font-size: 1.05rem; font-weight: 600; letter-spacing: 0.08em; }
[hidden] { display: none !important; }
@container (max-width: 360px) {
  .art { width: 96px; height: 96px; }
  .content { padding: 12px; }
  button.main { width: 52px; height: 52px; }
}
`;
