// librespot2mqtt-card: built from card/src by `npm run build:card`; MDI icon paths Apache-2.0
var O=Object.defineProperty;var z=(i,n,t)=>n in i?O(i,n,{enumerable:!0,configurable:!0,writable:!0,value:t}):i[n]=t;var p=(i,n,t)=>z(i,typeof n!="symbol"?n+"":n,t);var K=["off","context","track"];function M(i,n,t,e,o){let r=(s,a,l,u={})=>{let c=t(s);return c?{domain:a,service:l,data:{entity_id:c,...u}}:null};switch(i){case"play_pause":return r(n.playing?"pause":"play","button","press");case"previous":case"next":return r(i,"button","press");case"shuffle":return r("shuffle","switch",n.shuffle?"turn_off":"turn_on");case"mute":return r("mute","switch",n.muted?"turn_off":"turn_on");case"repeat":{let s=Array.isArray(e)&&e.length?e:K,a=s[(s.indexOf(n.repeat)+1)%s.length];return r("repeat","select","select_option",{option:a})}case"volume":return o===void 0?null:r("volume","number","set_value",{value:o})}}var d={play:"M8,5.14V19.14L19,12.14L8,5.14Z",pause:"M14,19H18V5H14M6,19H10V5H6V19Z",next:"M16,18H18V6H16M6,18L14.5,12L6,6V18Z",previous:"M6,18V6H8V18H6M9.5,12L18,6V18L9.5,12Z",shuffle:"M14.83,13.41L13.42,14.82L16.55,17.95L14.5,20H20V14.5L17.96,16.54L14.83,13.41M14.5,4L16.54,6.04L4,18.59L5.41,20L17.96,7.46L20,9.5V4M10.59,9.17L5.41,4L4,5.41L9.17,10.58L10.59,9.17Z",shuffleOff:"M16,4.5V7H5V9H16V11.5L19.5,8M16,12.5V15H5V17H16V19.5L19.5,16",repeat:"M17,17H7V14L3,18L7,22V19H19V13H17M7,7H17V10L21,6L17,2V5H5V11H7V7Z",repeatOnce:"M13,15V9H12L10,10V11H11.5V15M17,17H7V14L3,18L7,22V19H19V13H17M7,7H17V10L21,6L17,2V5H5V11H7V7Z",repeatOff:"M2,5.27L3.28,4L20,20.72L18.73,22L15.73,19H7V22L3,18L7,14V17H13.73L7,10.27V11H5V8.27L2,5.27M17,13H19V17.18L17,15.18V13M17,5V2L21,6L17,10V7H8.82L6.82,5H17Z",volume:"M14,3.23V5.29C16.89,6.15 19,8.83 19,12C19,15.17 16.89,17.84 14,18.7V20.77C18,19.86 21,16.28 21,12C21,7.72 18,4.14 14,3.23M16.5,12C16.5,10.23 15.5,8.71 14,7.97V16C15.5,15.29 16.5,13.76 16.5,12M3,9V15H7L12,20V4L7,9H3Z",muted:"M3,9H7L12,4V20L7,15H3V9M16.59,12L14,9.41L15.41,8L18,10.59L20.59,8L22,9.41L19.41,12L22,14.59L20.59,16L18,13.41L15.41,16L14,14.59L16.59,12Z",music:"M21,3V15.5A3.5,3.5 0 0,1 17.5,19A3.5,3.5 0 0,1 14,15.5A3.5,3.5 0 0,1 17.5,12C18.04,12 18.55,12.12 19,12.34V6.47L9,8.6V17.5A3.5,3.5 0 0,1 5.5,21A3.5,3.5 0 0,1 2,17.5A3.5,3.5 0 0,1 5.5,14C6.04,14 6.55,14.12 7,14.34V6L21,3Z",alert:"M13,13H11V7H13M13,17H11V15H13M12,2A10,10 0 0,0 2,12A10,10 0 0,0 12,22A10,10 0 0,0 22,12A10,10 0 0,0 12,2Z",link:"M3.9,12C3.9,10.29 5.29,8.9 7,8.9H11V7H7A5,5 0 0,0 2,12A5,5 0 0,0 7,17H11V15.1H7C5.29,15.1 3.9,13.71 3.9,12M8,13H16V11H8V13M17,7H13V8.9H17C18.71,8.9 20.1,10.29 20.1,12C20.1,13.71 18.71,15.1 17,15.1H13V17H17A5,5 0 0,0 22,12A5,5 0 0,0 17,7Z"},m=i=>`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="${i}"/></svg>`;var y={playback:"sensor",title:"sensor",artist:"sensor",album:"sensor",cover:"image",playing_from:"sensor",librespot:"binary_sensor",play:"button",pause:"button",next:"button",previous:"button",shuffle:"switch",repeat:"select",volume:"number",mute:"switch",max_volume:"number",last_error:"sensor",pairing:"sensor"},$=Object.keys(y),T="librespot2mqtt_";function w(i){if(!i||typeof i!="object")throw new Error("librespot2mqtt-card: the config must be a mapping");let n=i;for(let e of Object.keys(n))if(!["type","device","entities","view_layout","grid_options","layout_options","visibility"].includes(e))throw new Error(`librespot2mqtt-card: unknown option "${e}" (options: device, entities)`);if(n.device!==void 0&&typeof n.device!="string")throw new Error('librespot2mqtt-card: "device" must be a device id (pick it in the card editor)');let t=n.entities;if(t!==void 0){if(!t||typeof t!="object"||Array.isArray(t))throw new Error('librespot2mqtt-card: "entities" must map a part to an entity id, e.g. {title: sensor.speaker_title}');for(let[e,o]of Object.entries(t)){let r=y[e];if(!r)throw new Error(`librespot2mqtt-card: unknown part "entities.${e}" (parts: ${$.join(", ")})`);if(typeof o!="string"||!o.startsWith(`${r}.`))throw new Error(`librespot2mqtt-card: "entities.${e}" must be a ${r} entity id, got ${JSON.stringify(o)}`)}}return n}var S=i=>i.identifiers?.find(([n,t])=>n==="mqtt"&&t.startsWith(T))?.[1],g=i=>Object.values(i.devices??{}).filter(n=>!!n&&!!S(n)),H=(i,n)=>n.device?i.devices?.[n.device]:g(i)[0],k=i=>i.name_by_user||i.name||"librespot2mqtt speaker",_=(i,n)=>Object.values(i.entities??{}).filter(t=>t?.device_id===n.id&&t.platform==="mqtt").map(t=>t.entity_id).sort();async function A(i,n){let t=_(i,n),e=`${S(n)??""}_`;if(!t.length||e==="_")return{};let o=await i.callWS({type:"config/entity_registry/get_entries",entity_ids:t}),r={};for(let[s,a]of Object.entries(o)){let l=a?.unique_id?.startsWith(e)?a.unique_id.slice(e.length):void 0;l&&l in y&&s.startsWith(`${y[l]}.`)&&(r[l]=s)}return r}var R=`
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
`;var Z=new Set(["unavailable","unknown","None","none",""]),f=i=>!!i&&!Z.has(i.state);var P={playing:"Playing",paused:"Paused",buffering:"Loading",idle:"Idle",off:"No Spotify session",offline:"Unavailable",player_down:"Player unreachable",unknown:"Unknown"},F={off:"Pick this speaker in the Spotify app to start playing.",idle:"Nothing is playing.",offline:"The librespot2mqtt bridge is offline: it is not connected to the MQTT broker, or stopped.",player_down:"The bridge runs, but go-librespot does not answer: check the go-librespot service.",unknown:"No state yet from the bridge."},h=i=>typeof i=="string"&&i!==""?i:null,N=i=>typeof i=="number"&&Number.isFinite(i)?i:null,x=i=>f(i)?i.state:null,b=i=>!!i&&i.state!=="unavailable",C=i=>{let n=f(i)?Number(i.state):NaN;return Number.isFinite(n)?n:null};function U(i){let n=i("librespot"),t=i("playback");return n?.state==="unavailable"||!n&&t?.state==="unavailable"?"offline":n?.state==="off"?"player_down":f(t)&&t.state in P?t.state:"unknown"}function I(i){let n=U(i),t=n!=="offline"&&n!=="player_down",e=i("title"),o=t&&f(e)?e.attributes:{},r=t?h(o.name)??x(e):null,s=Array.isArray(o.artists)?o.artists.filter(v=>typeof v=="string").join(", "):null,a=i("pairing"),l=i("last_error"),u=n==="playing"||n==="buffering",c=t&&n!=="off";return{phase:n,label:P[n],hint:r?null:F[n]??null,title:r,artist:t?h(s)??x(i("artist")):null,album:t?h(o.album)??x(i("album")):null,playingFrom:t&&r?x(i("playing_from")):null,cover:t&&r&&b(i("cover"))?h(i("cover").attributes.entity_picture):null,positionMs:r?N(o.position_ms):null,positionAt:h(o.position_updated_at),durationMs:r?N(o.duration_ms):null,playing:u,can:{playPause:c&&b(i(u?"pause":"play")),previous:c&&b(i("previous")),next:c&&b(i("next")),shuffle:c&&b(i("shuffle")),repeat:c&&f(i("repeat")),volume:C(i("volume"))!==null,mute:b(i("mute"))},shuffle:i("shuffle")?.state==="on",repeat:x(i("repeat"))??"off",volume:C(i("volume")),cap:C(i("max_volume")),muted:i("mute")?.state==="on",error:f(l)?{summary:l.state,detail:h(l.attributes.explanation)}:null,pairing:f(a)?{code:a.state,url:h(a.attributes.url),expiresAt:h(a.attributes.expires_at)}:null}}function q(i,n){if(i.positionMs===null)return null;let t=i.playing&&i.positionAt?Math.max(0,n-Date.parse(i.positionAt)):0,e=i.positionMs+(Number.isFinite(t)?t:0);return i.durationMs?Math.min(e,i.durationMs):e}var V=i=>{let n=Math.floor(i/1e3),t=Math.floor(n/3600),e=String(Math.floor(n%3600/60)),o=String(n%60).padStart(2,"0");return t?`${t}:${e.padStart(2,"0")}:${o}`:`${e}:${o}`};var W=`
<style>${R}</style>
<ha-card>
  <div class="backdrop none"></div>
  <div class="content">
    <div class="top">
      <div class="art"><img alt="" decoding="async">${m(d.music)}</div>
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
      <button data-control="previous" aria-label="Previous" title="Previous">${m(d.previous)}</button>
      <button data-control="play_pause" class="main"></button>
      <button data-control="next" aria-label="Next" title="Next">${m(d.next)}</button>
      <button data-control="repeat"></button>
    </div>
    <div class="volume">
      <button data-control="mute"></button>
      <div class="slider"><input type="range" min="0" max="100" step="1" aria-label="Volume"><div class="capmark"></div></div>
      <div class="level"><span></span><small></small></div>
    </div>
    <div class="notice error" role="alert">${m(d.alert)}<div><b></b><span></span></div></div>
    <div class="notice pairing">${m(d.link)}<div><b>Pair this speaker with Spotify</b><span></span></div></div>
  </div>
</ha-card>`,j=i=>i&&typeof i=="object"&&"message"in i?String(i.message):String(i),B={off:d.repeatOff,context:d.repeat,track:d.repeatOnce},Y={off:"Repeat: off",context:"Repeat: all",track:"Repeat: this track"},L=class extends HTMLElement{constructor(){super();p(this,"config",{});p(this,"_hass");p(this,"found",{});p(this,"lookedUp","");p(this,"problem",null);p(this,"view");p(this,"timer");p(this,"volumeHold");p(this,"dragging",!1);p(this,"failed",null);p(this,"root");this.root=this.attachShadow({mode:"open"}),this.root.innerHTML=W,this.root.querySelector(".controls").addEventListener("click",e=>this.onClick(e)),this.$(".volume button").addEventListener("click",e=>this.onClick(e)),this.$("img").addEventListener("error",()=>this.$(".art").classList.remove("has-img")),this.$("img").addEventListener("load",()=>this.$(".art").classList.add("has-img"));let t=this.$("input");t.addEventListener("input",()=>{this.dragging=!0;let e=this.view?.cap;e!=null&&Number(t.value)>e&&(t.value=String(e)),this.showLevel(Number(t.value))}),t.addEventListener("change",()=>{this.dragging=!1,this.volumeHold=this.entity("volume"),this.call("volume",Number(t.value))})}static getConfigElement(){return document.createElement("librespot2mqtt-card-editor")}static getStubConfig(t){let e=g(t)[0];return e?{device:e.id}:{}}setConfig(t){this.config=w(t),this.lookedUp="",this._hass&&(this.hass=this._hass)}set hass(t){this._hass=t,this.lookUp(t),this.render()}getCardSize(){return 5}getGridOptions(){return{columns:12,min_columns:6,rows:"auto"}}connectedCallback(){this.timer=setInterval(()=>this.view?.playing&&this.renderProgress(this.view),1e3)}disconnectedCallback(){clearInterval(this.timer)}$(t){return this.root.querySelector(t)}entityId(t){return this.config.entities?.[t]??this.found[t]}entity(t){let e=this.entityId(t);return e?this._hass?.states[e]:void 0}lookUp(t){let e=H(t,this.config),o=e?`${e.id}:${_(t,e).join(",")}`:"none";if(o!==this.lookedUp){if(this.lookedUp=o,this.found={},this.problem=null,!e){this.config.entities||(this.problem={title:"Speaker not found",text:this.config.device?`The device ${this.config.device} is not in Home Assistant: pick the speaker again in the card editor.`:"No librespot2mqtt speaker in Home Assistant yet: set up the MQTT integration and start the bridge."});return}A(t,e).then(r=>{this.lookedUp===o&&(this.found=r,this.render())},r=>{this.lookedUp===o&&(this.problem={title:"Entities not found",text:`Could not read the entity registry (${j(r)}): list the entities under "entities:" in the card's config.`},this.render())})}}render(){let t=this._hass;if(!t)return;let e=I(D=>this.entity(D));this.view=e;let o=H(t,this.config),r=o?k(o):"librespot2mqtt",s=this.problem;this.$(".device").textContent=r;let a=this.$(".chip");a.textContent=s?"Not set up":e.label,a.className=`chip ${s?"offline":e.phase}`,a.hidden=!e.title&&!s,this.setText(".title",s?.title??e.title??e.label),this.$(".title").title=e.title??"",this.setText(".artist",e.artist),this.setText(".album",e.album),this.$(".from").hidden=!e.playingFrom,this.$(".from b").textContent=e.playingFrom??"",this.setText(".hint",s?.text??e.hint);let l=this.$(".art"),u=this.$("img");e.cover?u.getAttribute("src")!==e.cover&&(u.src=e.cover):(l.classList.remove("has-img"),u.removeAttribute("src"));let c=this.$(".backdrop");c.classList.toggle("none",!e.cover),c.style.backgroundImage=e.cover?`url("${CSS.escape(e.cover)}")`:"",this.renderProgress(e),this.renderControls(e),this.renderVolume(e);let v=this.failed?{summary:"Command failed",detail:this.failed}:e.error;this.$(".notice.error").hidden=!v,this.$(".notice.error b").textContent=v?.summary??"",this.setText(".notice.error span",v?.detail??null),this.renderPairing(e)}setText(t,e){let o=this.$(t);o.hidden=!e,o.textContent=e??""}renderProgress(t){let e=q(t,Date.now()),o=e!==null&&!!t.durationMs;this.$(".progress").hidden=!o,o&&(this.$(".fill").style.width=`${Math.min(100,e/t.durationMs*100).toFixed(2)}%`,this.$(".pos").textContent=V(e),this.$(".dur").textContent=V(t.durationMs))}renderControls(t){this.button("play_pause",t.can.playPause,t.playing?d.pause:d.play,t.playing?"Pause":"Play"),this.button("previous",t.can.previous),this.button("next",t.can.next),this.button("shuffle",t.can.shuffle,t.shuffle?d.shuffle:d.shuffleOff,t.shuffle?"Shuffle: on":"Shuffle: off",t.shuffle),this.button("repeat",t.can.repeat,B[t.repeat]??d.repeat,Y[t.repeat]??`Repeat: ${t.repeat}`,t.repeat!=="off"),this.button("mute",t.can.mute,t.muted?d.muted:d.volume,t.muted?"Unmute":"Mute",t.muted)}button(t,e,o,r,s=!1){let a=this.$(`button[data-control="${t}"]`);a.disabled=!e,a.classList.toggle("on",s),o&&a.dataset.icon!==o&&(a.dataset.icon=o,a.innerHTML=m(o)),r&&(a.title=r,a.setAttribute("aria-label",r))}renderVolume(t){let e=this.$(".slider"),o=this.$("input");o.disabled=!t.can.volume;let r=t.cap!==null&&t.cap<100;e.classList.toggle("uncapped",!r),e.classList.toggle("muted",t.muted),e.style.setProperty("--cap",`${t.cap??100}%`),this.$(".level small").textContent=r?`max ${t.cap} %`:"",this.$(".level small").hidden=!r,this.volumeHold&&this.entity("volume")!==this.volumeHold&&(this.volumeHold=void 0),!(this.dragging||this.volumeHold)&&(o.value=String(t.volume??0),this.showLevel(t.volume))}showLevel(t){this.$(".slider").style.setProperty("--vol",`${t??0}%`),this.$(".level span").textContent=t===null?"\u2013":`${t} %`}renderPairing(t){let e=this.$(".notice.pairing");if(e.hidden=!t.pairing,!t.pairing)return;let o=this.$(".notice.pairing span");o.textContent="";let r=(a,l,u)=>{let c=l?document.createElement(l):document.createTextNode(a);l&&(c.textContent=a),u&&c instanceof HTMLAnchorElement&&Object.assign(c,{href:u,target:"_blank",rel:"noreferrer"}),o.append(c)};t.pairing.url?(r("Open "),r(t.pairing.url.replace(/^https?:\/\//,""),"a",t.pairing.url),r(" and enter the code ")):r("Enter the code "),r(t.pairing.code,"code");let s=t.pairing.expiresAt?new Date(t.pairing.expiresAt):null;s&&!Number.isNaN(s.getTime())&&r(` (valid until ${s.toLocaleTimeString([],{hour:"2-digit",minute:"2-digit"})})`),r(".")}onClick(t){let e=t.target.closest("button[data-control]")?.dataset.control;e&&this.call(e)}call(t,e){let o=this.view;if(!o||!this._hass)return;let r=M(t,o,s=>this.entityId(s),this.entity("repeat")?.attributes.options,e);r&&this._hass.callService(r.domain,r.service,r.data).then(()=>this.failed&&(this.failed=null,this.render()),s=>{this.failed=`${r.domain}.${r.service} on ${String(r.data.entity_id)}: ${j(s)}`,this.render()})}};var E=class extends HTMLElement{constructor(){super(...arguments);p(this,"config",{});p(this,"_hass");p(this,"root",this.attachShadow({mode:"open"}))}setConfig(t){this.config=w(t),this.render()}set hass(t){let e=this._hass&&g(this._hass).map(o=>o.id).join();this._hass=t,e!==g(t).map(o=>o.id).join()&&this.render()}render(){let t=this._hass?g(this._hass):[];this.root.innerHTML=`
      <style>
        label { display: flex; flex-direction: column; gap: 4px; font-size: 0.875rem; color: var(--secondary-text-color); }
        select { font: inherit; font-size: 1rem; padding: 8px; border-radius: 4px; color: var(--primary-text-color);
          background: var(--input-fill-color, var(--secondary-background-color)); border: 1px solid var(--divider-color); }
        p { font-size: 0.8125rem; color: var(--secondary-text-color); margin: 8px 0 0; }
      </style>
      <label>Speaker<select></select></label>
      <p>The card finds the speaker's entities by itself. To use other entities, list them in YAML under
      <code>entities:</code> (for example <code>title: sensor.kitchen_title</code>).</p>`;let e=this.root.querySelector("select"),o=[{id:"",label:t.length?"The first librespot2mqtt speaker":"No librespot2mqtt speaker found"}].concat(t.map(r=>({id:r.id,label:k(r)})));for(let r of o)e.append(new Option(r.label,r.id,!1,r.id===(this.config.device??"")));e.addEventListener("change",()=>{let{device:r,...s}=this.config;this.config=e.value?{...s,device:e.value}:s,this.dispatchEvent(new CustomEvent("config-changed",{detail:{config:this.config},bubbles:!0,composed:!0}))})}};customElements.get("librespot2mqtt-card")||(customElements.define("librespot2mqtt-card",L),customElements.define("librespot2mqtt-card-editor",E),(window.customCards??=[]).push({type:"librespot2mqtt-card",name:"librespot2mqtt speaker",description:"Now playing, cover art, transport and volume for a librespot2mqtt Spotify Connect speaker.",preview:!0}));
