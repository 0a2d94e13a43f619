// Which go-librespot release the emulator plays. Behaviour checks compare against the release
// that brought the change (notes §10 and §14); '0.3' stands for the daemons before v0.4.0.
export const API_VERSIONS = ['0.3', '0.9', '0.10'] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

/** The newest: what `librespot2mqtt demo` and tests without a version run against. */
export const LATEST: ApiVersion = '0.10';

/** True when `v` has what `release` introduced. */
export const since = (v: ApiVersion, release: ApiVersion): boolean => API_VERSIONS.indexOf(v) >= API_VERSIONS.indexOf(release);
