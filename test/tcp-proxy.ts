import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy a test controls, between an app and a real service: `cut()` drops every connection
 * and refuses new ones, as a lost network would; `restore()` lets them through again. The service
 * itself (shared with other runs) is never touched.
 */
export async function startTcpProxy(target: string) {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let listenPort = 0;

  const listen = async () => {
    server = createServer((client) => {
      const upstream = connect(Number(port), hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server?.listen(listenPort, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address === 'object' && address) listenPort = address.port;
  };
  const cut = async () => {
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
    server = undefined;
  };

  await listen();
  return {
    url: `${new URL(target).protocol}//127.0.0.1:${listenPort}`,
    cut,
    restore: listen,
    close: cut,
  };
}
