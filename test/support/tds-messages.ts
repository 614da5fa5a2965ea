/**
 * The TDS 7.4 messages the local SQL endpoint (tds-server.ts) reads and writes, from MS-TDS:
 * PRELOGIN and LOGIN7 read, sp_executesql requests decoded from their TYPE_INFO, and the tokens
 * of an answer (LOGINACK, ENVCHANGE, COLMETADATA, ROW, DONE, ERROR) written as the service does.
 */

/** A typed parameter as it arrived: its TDS type and its value (a DATETIME2 as an ISO text in UTC). */
export interface TdsParameter {
  type: string;
  value: string | number | null;
}

export interface TdsQuery {
  database: string;
  statement: string;
  /** sp_executesql's @params: `@periodStart datetime2(7),@periodEnd datetime2(7)`. */
  declaration: string;
  parameters: Record<string, TdsParameter>;
}

/** A column of an answer: its name and SQL type (`nvarchar(4000)`, `bigint`, `datetime2(6)`, `decimal(38,18)`, `float`). */
export interface TdsColumn {
  name: string;
  type: string;
}

export type TdsAnswer = { columns: TdsColumn[]; rows: (string | number | null)[][] } | { error: TdsError };

export interface TdsError {
  number: number;
  message: string;
  state?: number;
  class?: number;
}

export interface TdsServerOptions {
  /** The access token the test's credential issues. */
  token: string;
  databases: readonly string[];
  answer: (query: TdsQuery) => TdsAnswer | Promise<TdsAnswer>;
  /** A certificate (PEM) to encrypt with: the whole session, after a TLS handshake inside PRELOGIN messages. */
  tls?: { key: string; cert: string };
}

/** What a LOGIN7 carried. */
export interface TdsLogin {
  database: string;
  /** 'securitytoken' when the FEDAUTH extension carried an access token. */
  fedAuth: 'securitytoken' | 'adal' | 'none';
  token?: string;
  /** Whether the login arrived inside TLS. */
  encrypted: boolean;
}

export const PACKET = { sqlBatch: 0x01, rpc: 0x03, reply: 0x04, attention: 0x06, login7: 0x10, prelogin: 0x12 } as const;
export const TOKEN = { colMetadata: 0x81, error: 0xaa, loginAck: 0xad, featureExtAck: 0xae, row: 0xd1, envChange: 0xe3, done: 0xfd, doneProc: 0xfe, doneInProc: 0xff, returnStatus: 0x79 } as const;
export const DONE = { final: 0x00, more: 0x01, error: 0x02, count: 0x10, attention: 0x20 } as const;
export const TDS_7_4 = 0x74000004;
export const PACKET_SIZE = 4096;
/** Latin1_General_CI_AS, as the service reports for a database's default collation. */
export const COLLATION = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);
export const SP_EXECUTESQL = 10;


/** A reply message split into packets of the negotiated size, the last one marked end of message. */
export function packets(data: Buffer, type: number = PACKET.reply): Buffer {
  const parts: Buffer[] = [];
  const room = PACKET_SIZE - 8;
  for (let offset = 0, id = 1; offset < data.length || offset === 0; offset += room, id++) {
    const body = data.subarray(offset, offset + room);
    const header = Buffer.alloc(8);
    header[0] = type;
    header[1] = offset + room >= data.length ? 0x01 : 0x00;
    header.writeUInt16BE(body.length + 8, 2);
    header[6] = id % 256;
    parts.push(header, body);
    if (data.length === 0) break;
  }
  return Buffer.concat(parts);
}

/** The PRELOGIN answer: version, encryption (on with a certificate, else not supported), no instance, no MARS, FEDAUTHREQUIRED. */
export function prelogin(request: Buffer, encrypt: boolean): Buffer {
  const clientEncryption = preloginOption(request, 0x01)?.[0];
  const options: [number, Buffer][] = [
    [0x00, Buffer.from([16, 0, 0x10, 0x00, 0, 0])],
    // a server with a certificate requires encryption, as Fabric and Synapse do
    [0x01, Buffer.from([encrypt ? (clientEncryption === 0x02 ? 0x03 : 0x01) : 0x02])],
    [0x02, Buffer.from([0x00])],
    [0x03, Buffer.alloc(0)],
    [0x04, Buffer.from([0x00])],
    [0x06, Buffer.from([0x01])],
  ];
  if (preloginOption(request, 0x06) === undefined) throw new Error('PRELOGIN without FEDAUTHREQUIRED');
  const header = Buffer.alloc(options.length * 5 + 1);
  let offset = header.length;
  options.forEach(([token, data], i) => {
    header[i * 5] = token;
    header.writeUInt16BE(offset, i * 5 + 1);
    header.writeUInt16BE(data.length, i * 5 + 3);
    offset += data.length;
  });
  header[header.length - 1] = 0xff;
  return Buffer.concat([header, ...options.map(([, data]) => data)]);
}

export function preloginOption(payload: Buffer, token: number): Buffer | undefined {
  for (let i = 0; payload[i] !== 0xff && i < payload.length; i += 5) {
    if (payload[i] === token) return payload.subarray(payload.readUInt16BE(i + 1), payload.readUInt16BE(i + 1) + payload.readUInt16BE(i + 3));
  }
  return undefined;
}

/** The database and the FEDAUTH feature extension of a LOGIN7 (MS-TDS 2.2.6.4). */
export function readLogin7(payload: Buffer): TdsLogin {
  const text = (at: number) => payload.toString('ucs2', payload.readUInt16LE(at), payload.readUInt16LE(at) + payload.readUInt16LE(at + 2) * 2);
  const database = text(68);
  const login: TdsLogin = { database, fedAuth: 'none', encrypted: false };
  const optionFlags3 = payload[27];
  if (!(optionFlags3 & 0x10)) return login;
  let offset = payload.readUInt32LE(payload.readUInt16LE(56));
  while (payload[offset] !== 0xff) {
    const feature = payload[offset];
    const length = payload.readUInt32LE(offset + 1);
    const data = payload.subarray(offset + 5, offset + 5 + length);
    if (feature === 0x02) {
      const library = data[0] >> 1;
      if (library === 0x01) {
        const tokenLength = data.readUInt32LE(1);
        login.fedAuth = 'securitytoken';
        login.token = data.toString('ucs2', 5, 5 + tokenLength);
      } else login.fedAuth = 'adal';
    }
    offset += 5 + length;
  }
  return login;
}

/** An sp_executesql request: skips ALL_HEADERS, reads the procedure id and each parameter (MS-TDS 2.2.6.6). */
export function readSpExecuteSql(payload: Buffer, database: string): TdsQuery {
  let offset = payload.readUInt32LE(0);
  if (payload.readUInt16LE(offset) !== 0xffff || payload.readUInt16LE(offset + 2) !== SP_EXECUTESQL) throw new Error('only sp_executesql is served');
  offset += 6;
  const values: { name: string; parameter: TdsParameter }[] = [];
  while (offset < payload.length) {
    const nameLength = payload[offset];
    const name = payload.toString('ucs2', offset + 1, offset + 1 + nameLength * 2);
    offset += 1 + nameLength * 2 + 1;
    const read = readValue(payload, offset);
    values.push({ name, parameter: read.parameter });
    offset = read.offset;
  }
  const [statement, declaration, ...rest] = values;
  return {
    database,
    statement: String(statement.parameter.value),
    declaration: declaration ? String(declaration.parameter.value) : '',
    parameters: Object.fromEntries(rest.map((v) => [v.name.replace(/^@/, ''), v.parameter])),
  };
}

/** One parameter value after its TYPE_INFO: NVARCHAR (also as PLP, for nvarchar(max)), DATETIME2, INTN. */
export function readValue(payload: Buffer, offset: number): { parameter: TdsParameter; offset: number } {
  const type = payload[offset];
  if (type === 0xe7) {
    const maxLength = payload.readUInt16LE(offset + 1);
    offset += 8;
    if (maxLength !== 0xffff) {
      const length = payload.readUInt16LE(offset);
      if (length === 0xffff) return { parameter: { type: 'nvarchar', value: null }, offset: offset + 2 };
      return { parameter: { type: `nvarchar(${maxLength / 2})`, value: payload.toString('ucs2', offset + 2, offset + 2 + length) }, offset: offset + 2 + length };
    }
    offset += 8;
    const chunks: Buffer[] = [];
    for (let chunk = payload.readUInt32LE(offset); chunk !== 0; chunk = payload.readUInt32LE(offset)) {
      chunks.push(payload.subarray(offset + 4, offset + 4 + chunk));
      offset += 4 + chunk;
    }
    return { parameter: { type: 'nvarchar(max)', value: Buffer.concat(chunks).toString('ucs2') }, offset: offset + 4 };
  }
  if (type === 0x2a) {
    const scale = payload[offset + 1];
    const length = payload[offset + 2];
    offset += 3;
    if (length === 0) return { parameter: { type: `datetime2(${scale})`, value: null }, offset };
    const timeBytes = length - 3;
    let units = 0;
    for (let i = timeBytes - 1; i >= 0; i--) units = units * 256 + payload[offset + i];
    const days = payload.readUIntLE(offset + timeBytes, 3);
    const at = new Date(0);
    at.setUTCFullYear(1, 0, 1); // DATETIME2 counts days from 0001-01-01
    at.setUTCMilliseconds(days * 86_400_000 + (units / 10 ** scale) * 1000);
    return { parameter: { type: `datetime2(${scale})`, value: at.toISOString() }, offset: offset + length };
  }
  if (type === 0x26) {
    const length = payload[offset + 2];
    offset += 3;
    const value = length === 0 ? null : Number(payload.readIntLE(offset, Math.min(length, 6)));
    return { parameter: { type: ['', 'tinyint', 'smallint', '', 'int', '', '', '', 'bigint'][payload[offset - 2]], value }, offset: offset + length };
  }
  throw new Error(`parameter type 0x${type.toString(16)} is not served`);
}

export const ucs2Text = (text: string, lengthBytes: 1 | 2) => {
  const body = Buffer.from(text, 'ucs2');
  const length = Buffer.alloc(lengthBytes);
  if (lengthBytes === 1) length[0] = text.length;
  else length.writeUInt16LE(text.length);
  return Buffer.concat([length, body]);
};
export const byteText = (bytes: Buffer) => Buffer.concat([Buffer.from([bytes.length]), bytes]);

/** A token with a USHORT length before its data (ENVCHANGE, LOGINACK, ERROR). */
export const lengthToken = (token: number, data: Buffer) => {
  const header = Buffer.alloc(3);
  header[0] = token;
  header.writeUInt16LE(data.length, 1);
  return Buffer.concat([header, data]);
};

export const envChange = (type: number, newValue: Buffer, oldValue: Buffer) => lengthToken(TOKEN.envChange, Buffer.concat([Buffer.from([type]), newValue, oldValue]));

export function loginAck(): Buffer {
  const version = Buffer.alloc(5);
  version[0] = 1; // SQL_TSQL
  version.writeUInt32BE(TDS_7_4, 1);
  return lengthToken(TOKEN.loginAck, Buffer.concat([version, ucs2Text('Microsoft SQL Server', 1), Buffer.from([12, 0, 0x0f, 0xa0])]));
}

export function errorToken(error: TdsError): Buffer {
  const head = Buffer.alloc(6);
  head.writeInt32LE(error.number, 0);
  head[4] = error.state ?? 1;
  head[5] = error.class ?? 16;
  const line = Buffer.alloc(4);
  line.writeInt32LE(1);
  return lengthToken(TOKEN.error, Buffer.concat([head, ucs2Text(error.message, 2), ucs2Text('local-sql-endpoint', 1), ucs2Text('', 1), line]));
}

export function done(token: number, status: number, count: number): Buffer {
  const data = Buffer.alloc(13);
  data[0] = token;
  data.writeUInt16LE(status, 1);
  data.writeUInt16LE(0xc1, 3); // SELECT
  data.writeBigUInt64LE(BigInt(count), 5);
  return data;
}

/** An error inside sp_executesql, as the service ends it. */
export const procError = (error: TdsError) => Buffer.concat([errorToken(error), done(TOKEN.doneInProc, DONE.error | DONE.more, 0), Buffer.from([TOKEN.returnStatus, 0, 0, 0, 0]), done(TOKEN.doneProc, DONE.error, 0)]);

/** TYPE_INFO of a result column (MS-TDS 2.2.5.4): the types a cost table and the grain query use. */
export function typeInfo(type: string): Buffer {
  const nvarchar = /^nvarchar\((\d+|max)\)$/i.exec(type);
  if (nvarchar) {
    if (nvarchar[1] === 'max' || Number(nvarchar[1]) > 4000) throw new Error('nvarchar(max) columns are not served');
    const info = Buffer.alloc(3);
    info[0] = 0xe7;
    info.writeUInt16LE(Number(nvarchar[1]) * 2, 1);
    return Buffer.concat([info, COLLATION]);
  }
  if (/^varchar\((\d+)\)$/i.test(type)) {
    const info = Buffer.alloc(3);
    info[0] = 0xa7;
    info.writeUInt16LE(Number(/\d+/.exec(type)![0]), 1);
    return Buffer.concat([info, COLLATION]);
  }
  if (/^bigint$/i.test(type)) return Buffer.from([0x26, 8]);
  if (/^int$/i.test(type)) return Buffer.from([0x26, 4]);
  if (/^float$/i.test(type)) return Buffer.from([0x6d, 8]);
  const datetime2 = /^datetime2\((\d)\)$/i.exec(type);
  if (datetime2) return Buffer.from([0x2a, Number(datetime2[1])]);
  const decimal = /^decimal\((\d+),(\d+)\)$/i.exec(type);
  if (decimal) return Buffer.from([0x6a, 17, Number(decimal[1]), Number(decimal[2])]);
  throw new Error(`column type ${type} is not served`);
}

export function colMetadata(columns: readonly TdsColumn[]): Buffer {
  const count = Buffer.alloc(3);
  count[0] = TOKEN.colMetadata;
  count.writeUInt16LE(columns.length, 1);
  return Buffer.concat([
    count,
    ...columns.map((c) => {
      const userTypeAndFlags = Buffer.alloc(6);
      userTypeAndFlags.writeUInt16LE(0x0001, 4); // nullable
      return Buffer.concat([userTypeAndFlags, typeInfo(c.type), ucs2Text(c.name, 1)]);
    }),
  ]);
}

/** A ROW of text and whole-number values (what the grain query returns). */
export function rowToken(columns: readonly TdsColumn[], row: readonly (string | number | null)[]): Buffer {
  return Buffer.concat([
    Buffer.from([TOKEN.row]),
    ...columns.map((column, i) => {
      const value = row[i];
      if (/^nvarchar/i.test(column.type)) {
        if (value === null) return Buffer.from([0xff, 0xff]);
        const text = Buffer.from(String(value), 'ucs2');
        const length = Buffer.alloc(2);
        length.writeUInt16LE(text.length);
        return Buffer.concat([length, text]);
      }
      if (/^bigint$/i.test(column.type)) {
        if (value === null) return Buffer.from([0]);
        const data = Buffer.alloc(9);
        data[0] = 8;
        data.writeBigInt64LE(BigInt(value), 1);
        return data;
      }
      throw new Error(`values of type ${column.type} are not served`);
    }),
  ]);
}
