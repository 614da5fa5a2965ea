/**
 * A local SQL endpoint for tests that speaks TDS 7.4 (MS-TDS) as Fabric Warehouse, a Lakehouse
 * SQL endpoint or Synapse serverless do to a client signing in with an Entra access token. No
 * maintained TDS server exists on npm, so this is written from the spec, as strict as the service
 * where the product could go wrong:
 *
 * - PRELOGIN: answers FEDAUTHREQUIRED; given a certificate, requires encryption and sets up TLS
 *   as TDS 7.x does (handshake records inside PRELOGIN messages, then the whole session in TLS),
 *   else answers ENCRYPT_NOT_SUP (for the tests of a plain session on this machine).
 * - LOGIN7: the FEDAUTH feature extension must carry a security token (not a user name and
 *   password), and it must be the token issued; else error 18456 "Login failed", as the service.
 *   The database asked must exist (else 4060). Then LOGINACK, ENVCHANGEs, FEATUREEXTACK, DONE.
 * - SQL batches (the client's session settings) are acknowledged with DONE.
 * - RPC sp_executesql: the statement, its parameter declaration and each parameter decoded
 *   from its TYPE_INFO (NVARCHAR, DATETIME2, INTN), handed to the test's `answer`, whose result
 *   goes back as COLMETADATA, ROWs, DONEINPROC, RETURNSTATUS, DONEPROC, or as an ERROR token.
 */
import { createServer, Server, Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { createSecureContext, TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import {
  COLLATION,
  DONE,
  PACKET,
  PACKET_SIZE,
  TOKEN,
  TdsLogin,
  TdsQuery,
  TdsServerOptions,
  byteText,
  colMetadata,
  done,
  envChange,
  errorToken,
  loginAck,
  packets,
  prelogin,
  preloginOption,
  procError,
  readLogin7,
  readSpExecuteSql,
  rowToken,
  ucs2Text,
} from './tds-messages';

export type { TdsAnswer, TdsColumn, TdsError, TdsLogin, TdsParameter, TdsQuery, TdsServerOptions } from './tds-messages';

export class LocalSqlEndpoint {
  readonly queries: TdsQuery[] = [];
  readonly logins: TdsLogin[] = [];
  /** The ENCRYPTION option of each PRELOGIN (0 off, 1 on, 2 not supported). */
  readonly encryptionAsked: number[] = [];
  /** How many of the next queries answer 40501 (the service is busy), as Azure SQL engines throttle. */
  throttleNext = 0;
  /** The throttling error number to send: 40501, or 49918 (not enough resources). */
  throttleNumber = 40501;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  private constructor(private readonly options: TdsServerOptions) {
    this.server = createServer((socket) => this.serve(socket));
  }

  static async start(options: TdsServerOptions): Promise<LocalSqlEndpoint> {
    const endpoint = new LocalSqlEndpoint(options);
    await new Promise<void>((resolve) => endpoint.server.listen(0, '127.0.0.1', resolve));
    endpoint.port = (endpoint.server.address() as AddressInfo).port;
    return endpoint;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private serve(socket: Socket) {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    let message: Buffer[] = [];
    let session: { database: string } | undefined;
    // TDS goes over the socket until TLS is set up, then inside TLS
    let send = (data: Buffer) => socket.write(data);
    let encryption: TlsHandshake | undefined;
    // one message at a time, in order, as a TDS server handles a connection
    let queue = Promise.resolve();
    const receive = (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 8 && pending.length >= pending.readUInt16BE(2)) {
        const type = pending[0];
        const last = (pending[1] & 0x01) === 1;
        const length = pending.readUInt16BE(2);
        message.push(pending.subarray(8, length));
        pending = pending.subarray(length);
        if (!last) continue;
        const payload = Buffer.concat(message);
        message = [];
        queue = queue
          .then(async () => {
            if (type === PACKET.prelogin && encryption) {
              // TLS handshake records travel inside PRELOGIN messages, one answer to each (MS-TDS 3.3.5.2)
              send(packets(await encryption.step(payload), PACKET.prelogin));
              if (encryption.secure) {
                const { socket: tlsSocket, wire } = encryption;
                wire.onOutput = () => {
                  for (const chunk of wire.output.splice(0)) socket.write(chunk);
                };
                socket.removeAllListeners('data');
                socket.on('data', (data) => encryption!.wire.push(data));
                tlsSocket.on('data', receive);
                send = (data) => tlsSocket.write(data);
              }
              return;
            }
            const reply = await this.respond(type, payload, session, (s) => (session = s), encryption?.secure === true);
            if (reply) send(packets(reply));
            if (type === PACKET.prelogin && this.options.tls && this.encryptionAsked.at(-1) !== 0x02) encryption = new TlsHandshake(this.options.tls);
            if (type === PACKET.login7 && !session) socket.end();
          })
          .catch((error) => {
            send(packets(Buffer.concat([errorToken({ number: 50000, message: `test TDS server: ${(error as Error).message}`, class: 16 }), done(TOKEN.done, DONE.error, 0)])));
          });
      }
    };
    socket.on('data', receive);
  }

  private async respond(type: number, payload: Buffer, session: { database: string } | undefined, begin: (s: { database: string }) => void, encrypted: boolean): Promise<Buffer | undefined> {
    if (type === PACKET.prelogin) {
      this.encryptionAsked.push(preloginOption(payload, 0x01)?.[0] ?? -1);
      return prelogin(payload, this.options.tls !== undefined);
    }
    if (type === PACKET.login7) {
      const login = readLogin7(payload);
      login.encrypted = encrypted;
      this.logins.push(login);
      if (login.fedAuth !== 'securitytoken' || login.token !== this.options.token) {
        return Buffer.concat([errorToken({ number: 18456, state: 1, class: 14, message: "Login failed for user '<token-identified principal>'." }), done(TOKEN.done, DONE.error, 0)]);
      }
      if (!this.options.databases.includes(login.database)) {
        return Buffer.concat([errorToken({ number: 4060, state: 1, class: 11, message: `Cannot open database "${login.database}" requested by the login. The login failed.` }), done(TOKEN.done, DONE.error, 0)]);
      }
      begin({ database: login.database });
      return Buffer.concat([
        envChange(1, ucs2Text(login.database, 1), ucs2Text('master', 1)),
        envChange(7, byteText(COLLATION), byteText(Buffer.alloc(0))),
        loginAck(),
        envChange(4, ucs2Text(String(PACKET_SIZE), 1), ucs2Text(String(PACKET_SIZE), 1)),
        // FEDAUTH acknowledged with no data, as for a security token (MS-TDS 2.2.7.11)
        Buffer.from([TOKEN.featureExtAck, 0x02, 0, 0, 0, 0, 0xff]),
        done(TOKEN.done, DONE.final, 0),
      ]);
    }
    if (!session) throw new Error(`message type ${type} before a login`);
    if (type === PACKET.attention) return done(TOKEN.done, DONE.attention, 0);
    if (type === PACKET.sqlBatch) return done(TOKEN.done, DONE.final, 0);
    if (type !== PACKET.rpc) throw new Error(`message type ${type} is not served`);
    const query = readSpExecuteSql(payload, session.database);
    this.queries.push(query);
    if (this.throttleNext > 0) {
      this.throttleNext--;
      const message =
        this.throttleNumber === 49918
          ? 'Cannot process request. Not enough resources to process request. The service is currently busy. Please retry the request later.'
          : "The service is currently busy. Retry the request after 10 seconds. Incident ID: 00000000-0000-0000-0000-000000000000. Code: 4325376.";
      return procError({ number: this.throttleNumber, message, class: 20 });
    }
    const answer = await this.options.answer(query);
    if ('error' in answer) return procError(answer.error);
    return Buffer.concat([
      colMetadata(answer.columns),
      ...answer.rows.map((row) => rowToken(answer.columns, row)),
      done(TOKEN.doneInProc, DONE.count | DONE.more, answer.rows.length),
      Buffer.from([TOKEN.returnStatus, 0, 0, 0, 0]),
      done(TOKEN.doneProc, DONE.final, 0),
    ]);
  }
}

/** The raw side of the server's TLS: what TLS writes goes to `output`, what the client sent is pushed in. */
class TlsWire extends Duplex {
  output: Buffer[] = [];
  onOutput: () => void = () => undefined;
  override _write(chunk: Buffer, _encoding: string, callback: () => void) {
    this.output.push(chunk);
    this.onOutput();
    callback();
  }
  override _read() {}
}

/** The server's side of the TLS handshake that TDS 7.x carries in PRELOGIN messages, then the session's TLS. */
class TlsHandshake {
  readonly wire = new TlsWire();
  readonly socket: TLSSocket;
  secure = false;

  constructor(certificate: { key: string; cert: string }) {
    this.socket = new TLSSocket(this.wire, { isServer: true, secureContext: createSecureContext(certificate) });
    this.socket.on('secure', () => (this.secure = true));
    this.socket.on('error', () => this.wire.destroy());
  }

  /** Feeds one PRELOGIN message of handshake records to TLS; resolves with its answer (one flight). */
  async step(records: Buffer): Promise<Buffer> {
    const answered = new Promise<void>((resolve) => (this.wire.onOutput = resolve));
    this.wire.push(records);
    await answered;
    // a flight can be written in several pieces: let TLS finish it
    await new Promise((resolve) => setTimeout(resolve, 20));
    this.wire.onOutput = () => undefined;
    const flight = Buffer.concat(this.wire.output);
    this.wire.output = [];
    return flight;
  }
}
