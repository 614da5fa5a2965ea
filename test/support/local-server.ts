/** A local HTTP server on a free loopback port, for the tests' stand-ins of cloud services (Graph, Cost Management). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export abstract class LocalServer {
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  port = 0;

  protected abstract handle(req: http.IncomingMessage, res: http.ServerResponse): void;

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
