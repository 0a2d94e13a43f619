// No secret is ever printed: the password in a URL (mqtt://user:secret@host) is masked wherever a
// URL or a message that may quote one goes to a log, a terminal or an MQTT answer.

const USERINFO_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):[^\s/]*@/gi;

/** mqtt://speaker:secret@host:1883 → mqtt://speaker:***@host:1883; any other text is unchanged. */
export const maskUrls = (text: string): string => text.replace(USERINFO_PASSWORD, '$1:***@');

/** The URL without its user and password, for clients that take them as options instead. */
export function withoutCredentials(url: string): { url: string; username?: string; password?: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url };
  }
  if (!u.username && !u.password) return { url };
  const username = u.username ? decodeURIComponent(u.username) : undefined;
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  u.username = '';
  u.password = '';
  return { url: u.toString(), username, password };
}
