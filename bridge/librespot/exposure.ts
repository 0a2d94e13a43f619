// go-librespot's API has no authentication: whoever reaches its port can play, skip and change the
// volume. Reached over the network, that port is open to everyone on it; the user should know.
import { maskUrls } from '../mask-url.js';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|::ffff:127(?:\.\d{1,3}){3})$/i;

/** A warning when `url` (librespot.url) is not a loopback address; null when it is. */
export function exposureWarning(url: string): string | null {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  if (LOOPBACK.test(host)) return null;
  return (
    `go-librespot is reached over the network (librespot.url ${maskUrls(url)}): its API has no authentication, so anyone ` +
    'who reaches that port controls the speaker. Run the bridge on the speaker with librespot.url http://127.0.0.1:3678 ' +
    "and go-librespot's server.address 127.0.0.1, or keep the port to a trusted network (a firewall)"
  );
}
