// The demo leaves nothing behind on a real broker: its discovery (else Home Assistant keeps a
// "librespot2mqtt demo" device forever) and every retained topic under its base are removed, on exit
// and with `demo --clean` after a demo that was killed.
import type { ResolvedConfig } from '../config/schema.js';
import type { Topics } from '../ha/topics.js';
import { CtlClient } from '../ctl/client.js';

/** Returns the topics it removed. */
export async function clearRetained(cfg: ResolvedConfig, t: Topics, timeoutMs = 5000): Promise<string[]> {
  const client = await CtlClient.connect(cfg, timeoutMs);
  try {
    await client.watch([`${t.base}/#`, t.discovery]);
    const found = client.all((topic) => topic === t.discovery || topic.startsWith(`${t.base}/`)).map(([topic]) => topic);
    await client.clear(found);
    return found;
  } finally {
    await client.close();
  }
}
