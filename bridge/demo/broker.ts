// The demo's embedded MQTT broker (aedes, loaded only here), on the first free port from `port` on.
import { createServer, type Server } from 'node:net';

export interface EmbeddedBroker {
  port: number;
  close(): Promise<void>;
}

export async function startEmbeddedBroker(host: string, port: number, tries = 20): Promise<EmbeddedBroker> {
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  for (let p = port; p < port + tries; p++) {
    if (await listen(server, host, p))
      return {
        port: p,
        close: () =>
          new Promise<void>((resolve) => {
            server.close();
            broker.close(() => resolve());
          }),
      };
  }
  throw new Error(`no free port for the demo broker on ${host} between ${port} and ${port + tries - 1}`);
}

function listen(server: Server, host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') resolve(false);
      else reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(true);
    };
    server.once('error', onError).once('listening', onListening).listen(port, host);
  });
}
