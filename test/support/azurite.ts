/**
 * Azurite (the Azure Storage emulator, from npm) for tests: started on a free loopback port,
 * in memory, and stopped after. Tests create a container with the emulator's well-known account
 * key and hand the code under test only a SAS URL, as a user would.
 */
import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { BlobServiceClient, ContainerSASPermissions, generateBlobSASQueryParameters, SASProtocol, StorageSharedKeyCredential } from '@azure/storage-blob';

const ACCOUNT = 'devstoreaccount1';
// Azurite's published development key (not a secret: the same for every Azurite everywhere).
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// Azurite starts in a second or two; on a loaded 2-core machine it has taken longer than 15 s.
async function waitForPort(port: number, child: ChildProcess, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`azurite exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`azurite did not open port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export class Azurite {
  private constructor(
    readonly port: number,
    private child: ChildProcess,
  ) {}

  static async start(): Promise<Azurite> {
    const port = await freePort();
    const main = require.resolve('azurite/dist/src/blob/main.js');
    // --disableTelemetry: a test run sends nothing to Microsoft (Azurite collects telemetry unless told not to).
    const child = spawn(process.execPath, [main, '--silent', '--inMemoryPersistence', '--disableTelemetry', '--blobHost', '127.0.0.1', '--blobPort', String(port), '--skipApiVersionCheck', '--loose'], { stdio: 'ignore' });
    try {
      await waitForPort(port, child);
    } catch (error) {
      // A child left running keeps the test process (and CI) from ever exiting.
      child.kill('SIGKILL');
      throw error;
    }
    return new Azurite(port, child);
  }

  /** The command line Azurite runs with (from /proc on Linux), for checking how it was started. */
  commandLine(): string[] {
    return require('node:fs').readFileSync(`/proc/${this.child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  }

  get serviceUrl(): string {
    return `http://127.0.0.1:${this.port}/${ACCOUNT}`;
  }

  /** A client with the account key, for setting up and inspecting what the code under test did. */
  service(): BlobServiceClient {
    return new BlobServiceClient(this.serviceUrl, new StorageSharedKeyCredential(ACCOUNT, KEY));
  }

  /** Creates a container and returns its URL with a SAS (read, add, create, write, list), optionally for a folder in it. */
  async containerWithSas(name: string, folder = '', permissions = 'racwl'): Promise<string> {
    await this.service().getContainerClient(name).createIfNotExists();
    return this.sasUrl(name, folder, permissions);
  }

  sasUrl(name: string, folder = '', permissions = 'racwl'): string {
    const sas = generateBlobSASQueryParameters(
      { containerName: name, permissions: ContainerSASPermissions.parse(permissions), expiresOn: new Date(Date.now() + 3600_000), protocol: SASProtocol.HttpsAndHttp },
      new StorageSharedKeyCredential(ACCOUNT, KEY),
    ).toString();
    return `${this.serviceUrl}/${name}${folder ? `/${folder}` : ''}?${sas}`;
  }

  /** Lets pages from `origin` call the blob service, as a storage account's CORS rules would (the task pane in a browser needs them). */
  async allowOrigin(origin: string): Promise<void> {
    await this.service().setProperties({
      cors: [{ allowedOrigins: origin, allowedMethods: 'DELETE,GET,HEAD,MERGE,OPTIONS,POST,PUT', allowedHeaders: '*', exposedHeaders: '*', maxAgeInSeconds: 600 }],
    });
  }

  /** Stops the emulator abruptly, as a crash or a pulled cable would. */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 3000)))]);
    clearTimeout(timer);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/**
 * A TCP relay in front of Azurite that can cut every connection at once, as a network outage
 * would, while the emulator (and what it stored) stays up for the test to inspect.
 */
export class CuttableRelay {
  private sockets = new Set<net.Socket>();
  private cutOff = false;
  private constructor(
    readonly port: number,
    private server: net.Server,
  ) {}

  static async start(targetPort: number): Promise<CuttableRelay> {
    const sockets = new Set<net.Socket>();
    let relay: CuttableRelay | undefined;
    const server = net.createServer((client) => {
      if (relay?.cutOff) return client.destroy();
      const upstream = net.connect(targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    relay = new CuttableRelay((server.address() as net.AddressInfo).port, server);
    relay.sockets = sockets;
    return relay;
  }

  /** Drops every open connection and refuses new ones. */
  cut(): void {
    this.cutOff = true;
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
