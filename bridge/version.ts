import { createRequire } from 'node:module';

// package.json sits two levels above the compiled file (dist/bridge/version.js)
export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
