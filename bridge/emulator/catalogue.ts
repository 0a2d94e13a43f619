// Fake Spotify content with the shapes go-librespot really reports. Ids are derived from names
// with a hash so they are stable across runs and look like real base62 ids.
import { createHash } from 'node:crypto';
import type { ApiTrack } from '../librespot/api.js';
import { since, type ApiVersion } from './version.js';

export type Codec = 'vorbis' | 'flac' | 'mp3' | 'aac' | 'unknown' | '';

export interface CatalogueTrack {
  uri: string;
  name: string;
  artists: string[] | null; // null mirrors Go's nil slice for a track without artists
  artistUris: string[];
  albumUri: string;
  album: string;
  coverUrl: string | null;
  durationMs: number;
  releaseDate: string; // protobuf text form, not ISO
  trackNumber: number;
  discNumber: number;
  format: string;
  codec: Codec;
  bitrate: number | null;
  sampleRate: number | null;
  bitDepth: number | null;
}

export interface CatalogueContext {
  uri: string;
  name: string;
  tracks: CatalogueTrack[];
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function spotifyId(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let id = '';
  for (let i = 0; i < 22; i++) id += BASE62[digest[i]! % 62];
  return id;
}

function coverUrl(seed: string): string {
  // ab67616d0000b273 is the 640 px album-art prefix i.scdn.co uses for the "default" image size
  return `https://i.scdn.co/image/ab67616d0000b273${createHash('sha1').update(seed).digest('hex').slice(0, 24)}`;
}

interface AlbumSpec {
  title: string;
  artist: string;
  date: [number, number?, number?];
  quality: 'vorbis160' | 'vorbis320' | 'flac';
  noCover?: boolean;
  tracks: Array<[name: string, seconds: number, featuring?: string]>;
}

const QUALITY = {
  vorbis160: { format: 'OGG_VORBIS_160', codec: 'vorbis', bitrate: 160, bitDepth: null },
  vorbis320: { format: 'OGG_VORBIS_320', codec: 'vorbis', bitrate: 320, bitDepth: null },
  flac: { format: 'FLAC_FLAC', codec: 'flac', bitrate: null, bitDepth: 16 },
} as const;

const ALBUMS: AlbumSpec[] = [
  { title: 'Harbour Lights', artist: 'The Lantern Keepers', date: [2009, 3, 1], quality: 'vorbis160', tracks: [
    ['Low Tide', 213], ['Signal Fires', 187], ['Salt & Iron', 241, 'Mara Quinn'], ['Breakwater', 198], ['Northbound <Live>', 265],
  ] },
  { title: 'Cassette Summer', artist: 'Neon Orchard', date: [2017, 7], quality: 'vorbis320', tracks: [
    ['Rewind', 176], ['Polaroid Skies', 202], ['Mixtape for Nobody', 229], ['Afterglow', 191],
  ] },
  { title: 'Quiet Machines', artist: 'Ilse Varga', date: [2021, 11, 19], quality: 'flac', tracks: [
    ['Idle Loop', 305], ['Servo', 248], ['Cold Start', 277],
  ] },
  // album dates with only a year and tracks without artwork both occur on Spotify
  { title: 'Field Recordings Vol. 2', artist: 'Unknown Collective', date: [1998], quality: 'vorbis160', noCover: true, tracks: [
    ['Rain on Tin', 94], ['Distant Train', 131],
  ] },
];

function releaseDate([year, month, day]: AlbumSpec['date']): string {
  return [`year:${year}`, month && `month:${month}`, day && `day:${day}`].filter(Boolean).join(' ');
}

function buildAlbum(spec: AlbumSpec): CatalogueContext {
  const q = QUALITY[spec.quality];
  const albumUri = `spotify:album:${spotifyId(spec.title)}`;
  const tracks = spec.tracks.map(([name, seconds, featuring], i): CatalogueTrack => ({
    uri: `spotify:track:${spotifyId(`${spec.title}/${name}`)}`,
    name,
    artists: featuring ? [spec.artist, featuring] : [spec.artist],
    artistUris: (featuring ? [spec.artist, featuring] : [spec.artist]).map((a) => `spotify:artist:${spotifyId(a)}`),
    album: spec.title,
    albumUri,
    coverUrl: spec.noCover ? null : coverUrl(spec.title),
    durationMs: seconds * 1000 + ((seconds * 37) % 1000),
    releaseDate: releaseDate(spec.date),
    trackNumber: i + 1,
    discNumber: 1,
    format: q.format,
    codec: q.codec,
    bitrate: q.bitrate,
    sampleRate: 44100,
    bitDepth: q.bitDepth,
  }));
  return { uri: albumUri, name: spec.title, tracks };
}

export class Catalogue {
  readonly albums: CatalogueContext[];
  readonly playlists: CatalogueContext[];

  constructor(durationOverrideMs?: number) {
    this.albums = ALBUMS.map(buildAlbum);
    if (durationOverrideMs !== undefined) {
      for (const t of this.albums.flatMap((a) => a.tracks)) t.durationMs = durationOverrideMs;
    }
    const all = this.albums.flatMap((a) => a.tracks);
    const pick = (...idx: number[]) => idx.map((i) => all[i % all.length]!);
    this.playlists = [
      { uri: `spotify:playlist:${spotifyId('Evening Drive')}`, name: 'Evening Drive', tracks: pick(0, 5, 9, 2, 6, 10, 3) },
      { uri: `spotify:playlist:${spotifyId('Focus')}`, name: 'Focus', tracks: pick(9, 10, 11, 12, 13) },
      // the URI docs/mqtt.md and the README use in their examples, so they work against the demo
      { uri: 'spotify:playlist:37i9dQZF1DXcBWIGoYBM5M', name: 'Example playlist', tracks: pick(1, 7, 12, 4) },
    ];
  }

  get tracks(): CatalogueTrack[] {
    return this.albums.flatMap((a) => a.tracks);
  }

  findTrack(uri: string): CatalogueTrack | undefined {
    return this.tracks.find((t) => t.uri === uri);
  }

  /** What go-librespot's context resolver would load for a uri; a bare track is its own context. */
  resolve(uri: string): CatalogueContext | undefined {
    const ctx = [...this.playlists, ...this.albums].find((c) => c.uri === uri);
    if (ctx) return ctx;
    const track = this.findTrack(uri);
    return track && { uri, name: track.name, tracks: [track] };
  }
}

/** The wire form (ApiTrack, key order as go-librespot's struct), with the fields `version` has. */
export function toApiTrack(t: CatalogueTrack, position: number, version: ApiVersion): ApiTrack {
  const base = {
    uri: t.uri, name: t.name, artist_names: t.artists, album_name: t.album, album_cover_url: t.coverUrl,
    position, duration: t.durationMs, release_date: t.releaseDate, track_number: t.trackNumber, disc_number: t.discNumber,
  };
  if (!since(version, '0.9')) return base;
  const v09 = { ...base, format: t.format, codec: t.codec, bitrate: t.bitrate, sample_rate: t.sampleRate, bit_depth: t.bitDepth };
  if (!since(version, '0.10')) return v09;
  // v0.10: [post-0.9] daemon/api_server.go newApiResponseStatusMedia, confirmed by v0.10.3 API
  // consumers (notes §14.2). For an episode artist_uris is [] and album_uri the show's URI.
  return { ...v09, artist_uris: t.artistUris, album_uri: t.albumUri };
}
