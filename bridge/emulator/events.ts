// The /events WebSocket: broadcast only, no snapshot on connect, no server pings, 1001 on shutdown
// (notes section 5). Origin checking follows coder/websocket's same-host rule.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export class EventHub {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly clients = new Set<WebSocket>();

  /** Handles an upgrade already routed to /events; answers like coder/websocket's Accept. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (req.method !== 'GET') return reject(socket, 405, 'Method Not Allowed');
    if (!sameOrigin(req)) return reject(socket, 403, 'Forbidden');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.clients.add(ws);
      // anything the client sends is read and discarded; ws answers pings itself
      ws.on('close', () => this.clients.delete(ws));
      ws.on('error', () => this.clients.delete(ws));
    });
  }

  broadcast(type: string, data: unknown): void {
    this.send(`${JSON.stringify({ type, data })}\n`);
  }

  /** Any frame, as it is: a hostile or broken daemon (tests). */
  send(frame: string | Buffer, binary = false): void {
    for (const ws of this.clients) if (ws.readyState === ws.OPEN) ws.send(frame, { binary });
  }

  /** A crash: sockets vanish without a close frame. */
  drop(): void {
    for (const ws of this.clients) ws.terminate();
    this.clients.clear();
  }

  /** Clean shutdown: close frames with 1001, then force whatever does not finish the handshake. */
  async close(graceMs = 500): Promise<void> {
    const pending = [...this.clients].map(
      (ws) =>
        new Promise<void>((resolve) => {
          const force = setTimeout(() => ws.terminate(), graceMs);
          ws.once('close', () => {
            clearTimeout(force);
            resolve();
          });
          ws.close(1001);
        }),
    );
    await Promise.all(pending);
    this.clients.clear();
    this.wss.close();
  }
}

function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host.toLowerCase() === (req.headers.host ?? '').toLowerCase();
  } catch {
    return false;
  }
}

function reject(socket: Duplex, status: number, text: string): void {
  const body = `${text}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
