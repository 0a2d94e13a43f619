// go-librespot's own time limits: the bridge's defaults are set against them, and the emulator
// keeps them.

/** v0.10 answers 503 to a request its player loop did not pick up within this; v0.9 waits forever
 * ([post-0.9] daemon/api_server.go handleRequest; notes §14.5). */
export const PICKUP_TIMEOUT_MS = 10_000;

/** librespot.timeout_ms by default: long enough for that 503 to arrive, so a busy daemon (logging in,
 * loading) is retried as busy instead of given up on as hung. */
export const HTTP_TIMEOUT_MS = PICKUP_TIMEOUT_MS + 2_000;
