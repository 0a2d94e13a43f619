// ctl parses a handful of payloads once: zod's JIT (a parser compiled per object schema on first
// use) costs more than it saves there. zod decides when a schema is built, so ctl.ts imports this
// module first, before any module that builds schemas.
import { z } from 'zod';

z.config({ jitless: true });
