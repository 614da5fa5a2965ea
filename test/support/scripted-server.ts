/** A local server whose every answer the test writes (a hostile or broken service): it records each request and the token it carried. */
import http from 'node:http';
import { LocalServer } from './local-server';

export class ScriptedServer extends LocalServer {
  readonly requests: { method: string; url: string; authorization?: string }[] = [];
  /** Answers request number `n` (from 1). */
  answer: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void = (_, res) => res.end();

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  protected handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requests.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization });
    req.resume();
    req.on('end', () => this.answer(req, res, this.requests.length));
  }
}

export function answerJson(res: http.ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Sends `megabytes` of spaces after `start`, chunked (no Content-Length to trust), minding back-pressure. */
export function answerHuge(res: http.ServerResponse, start: string, megabytes: number): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  let sent = 0;
  const more = () => {
    while (sent < megabytes && res.write(chunk)) sent++;
    if (sent < megabytes) res.once('drain', () => (sent++, more()));
    else res.end();
  };
  res.write(start);
  more();
}
