// device.id is the bridge's identity on the broker (client id librespot2mqtt_<device.id>): two
// bridges with one id take each other's place. The default is the host name, which is often the
// same on every machine of a kind, or a container's id that changes when it is recreated.
import type { ResolvedConfig } from './schema.js';

/** Host names that stock images and installers give every machine. */
const GENERIC_HOSTS = new Set([
  'raspberrypi', 'raspberry', 'pi', 'localhost', 'alpine', 'homeassistant', 'hassio', 'debian', 'ubuntu', 'dietpi',
  'moode', 'volumio', 'osmc', 'libreelec', 'openwrt', 'orangepi', 'nanopi', 'rockpi', 'armbian', 'fedora', 'archlinux',
  'linux', 'host', 'server', 'speaker', 'localhost_localdomain',
]);

const CONTAINER_ID = /^[0-9a-f]{12}$/;

/** Warnings for a device.id that is likely not unique or not stable; empty when it is fine. */
export function identityWarnings(cfg: ResolvedConfig): string[] {
  const id = cfg.device.id;
  if (GENERIC_HOSTS.has(id))
    return [
      `device.id is "${id}", a host name that many machines share: two bridges with one device.id on a broker take each other's place. Give each speaker its own device.id (e.g. device.id: kitchen, or LIBRESPOT2MQTT_DEVICE_ID=kitchen)`,
    ];
  if (CONTAINER_ID.test(id))
    return [`device.id is "${id}", which looks like a container id: it changes when the container is recreated and Home Assistant would see a new device. Set device.id`];
  return [];
}
