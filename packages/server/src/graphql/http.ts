import type { IncomingMessage, ServerResponse } from 'node:http';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import proxyAddr from 'proxy-addr';
import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from '@apollo/server';
import type { Ctx } from './context';

/** What the context builder needs of a GraphQL request (app.ts). */
export interface GraphqlRequest {
  /** A header by lower-case name, repeated values joined with ', ' (as Node gives them). */
  header(name: string): string | undefined;
  body: unknown;
  /** The caller's address: the socket's, or X-Forwarded-For's as given by a proxy on this machine. */
  clientAddress: string | undefined;
  /**
   * Makes the answer wait for `settle(true)` once it is ready (db/rls.ts `endBeforeAnswer`: the request's
   * transaction commits); if that fails, a masked 503 goes out instead. If the client goes away first, or the
   * answer cannot be made, `settle(false)` runs. Once per request.
   */
  holdAnswerUntil(settle: (answered: boolean) => Promise<void>): void;
}

/** Proxies we believe about the client's address (X-Forwarded-For): only ones on this machine. */
const trustLoopback = proxyAddr.compile('loopback');

/**
 * A class, not an object literal with a getter: V8 keeps a literal's accessor pair in old space, and the pair
 * holds the getter, a closure over the request, so the young collector took the request and all it reached
 * for alive until the next full collection (a tenth of the server's time went to copying them;
 * packages/bench/results/ANALYSIS.md, item 31). A getter on the prototype is shared and holds nothing.
 */
class IncomingGraphqlRequest implements GraphqlRequest {
  private held: ((answered: boolean) => Promise<void>) | undefined;
  private settled = false;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly headers: HeaderMap,
    readonly body: unknown,
  ) {}

  header(name: string): string | undefined {
    return this.headers.get(name);
  }

  /** Worked out only if asked for (a sign-in's rate limit): most requests never need it. */
  get clientAddress(): string | undefined {
    return this.req.socket.remoteAddress ? proxyAddr(this.req, trustLoopback) : undefined;
  }

  holdAnswerUntil(settle: (answered: boolean) => Promise<void>): void {
    if (this.held) throw new Error('An answer is held once');
    this.held = settle;
    // 'close' also comes after a normal answer, when the hold has long been settled.
    this.res.once('close', () => void this.settle(false).catch(logSettleFailure));
  }

  /** Runs what the answer is held for, the first time only; rejects if it failed. */
  settle(answered: boolean): Promise<void> {
    if (this.settled || !this.held) return Promise.resolve();
    this.settled = true;
    return this.held(answered);
  }
}

const logSettleFailure = (e: unknown) => console.error('[request transaction]', e);

/** What the client gets instead of an answer whose writes could not be committed: masked, as when the database is away. */
function commitFailed(req: IncomingMessage, res: ServerResponse): void {
  const message = inLanguage(
    req.headers['accept-language'],
    'Máy chủ tạm thời không truy cập được cơ sở dữ liệu; hãy thử lại sau',
    'The server cannot reach its database for now; try again later',
  );
  const body = JSON.stringify({ data: null, errors: [{ message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  res.statusCode = 503;
  res.setHeader('retry-after', '5');
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

const inLanguage = (lang: string | undefined, vi: string, en: string) => (lang && /^\s*en\b/i.test(lang) ? en : vi);

/** An HTTP-level refusal in GraphQL's error shape, before Apollo sees the request. */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, vi: string, en: string): void {
  const code = status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
  const body = JSON.stringify({ errors: [{ message: inLanguage(req.headers['accept-language'], vi, en), extensions: { code } }] });
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

class BodyError extends Error {
  constructor(readonly status: 400 | 413) {
    super(status === 413 ? 'body too large' : 'bad body');
  }
}

const NOT_JSON = ['Nội dung yêu cầu không phải JSON hợp lệ', 'The request body is not valid JSON'] as const;

/** The request's body, decoded (identity, gzip, deflate or br), at most `limit` bytes before and after decoding. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyError(413));
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  let stream: Readable = req;
  if (encoding === 'gzip') stream = req.pipe(zlib.createGunzip());
  else if (encoding === 'deflate') stream = req.pipe(zlib.createInflate());
  else if (encoding === 'br') stream = req.pipe(zlib.createBrotliDecompress());
  else if (encoding !== 'identity') {
    req.resume();
    return Promise.reject(new BodyError(400));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const fail = (e: BodyError) => {
      if (done) return;
      done = true;
      req.resume();
      reject(e);
    };
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) fail(new BodyError(413));
      else if (!done) chunks.push(chunk);
    });
    stream.on('error', () => fail(new BodyError(400)));
    // A client that goes away mid-body: no 'end' will come.
    req.on('close', () => {
      if (!req.complete) fail(new BodyError(400));
    });
    stream.on('end', () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    });
  });
}

/** JSON as `express.json()` takes it: an object or an array (strict), utf-8; an empty body is `{}`. */
function parseJsonBody(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  const first = /\S/.exec(text);
  if (!first) return {};
  if (first[0] !== '{' && first[0] !== '[') throw new BodyError(400);
  try {
    return JSON.parse(text);
  } catch {
    throw new BodyError(400);
  }
}

/** `application/json`, with or without parameters; a charset other than utf-8 is refused. */
function jsonMediaType(contentType: string | undefined): 'json' | 'other-charset' | 'not-json' {
  if (!contentType) return 'not-json';
  const [type, ...params] = contentType.split(';');
  if (type.trim().toLowerCase() !== 'application/json') return 'not-json';
  for (const p of params) {
    const [k, v] = p.split('=');
    if (k?.trim().toLowerCase() === 'charset' && !/^\s*"?utf-8"?\s*$/i.test(v ?? '')) return 'other-charset';
  }
  return 'json';
}

/**
 * The whole HTTP side of /graphql, without Express: Express's request and response set-up, router and body
 * parser cost more CPU per request than Apollo's own pipeline did for a lookup by id (packages/bench/results/
 * ANALYSIS.md). What reaches Apollo: POST bodies must be JSON (multipart and form posts are refused with 415,
 * so no upload parser ever runs here), at most `bodyLimit` bytes, and well-formed; GET goes to Apollo as is
 * (it allows queries only, behind its CSRF check). Refusals answer GraphQL-shaped JSON, without stack traces.
 */
export function graphqlHttpHandler(
  apollo: ApolloServer<Ctx>,
  bodyLimit: number,
  context: (req: GraphqlRequest) => Promise<Ctx>,
): (req: IncomingMessage, res: ServerResponse) => void {
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    let body: unknown = undefined;
    if (req.method === 'POST') {
      const media = jsonMediaType(req.headers['content-type']);
      if (media === 'not-json') {
        req.resume();
        return refuse(req, res, 415, 'Yêu cầu phải có Content-Type: application/json', 'Requests must have Content-Type: application/json');
      }
      try {
        if (media === 'other-charset') {
          req.resume();
          throw new BodyError(400);
        }
        body = parseJsonBody(await readBody(req, bodyLimit));
      } catch (e) {
        if (!(e instanceof BodyError)) throw e;
        if (e.status === 400) return refuse(req, res, 400, ...NOT_JSON);
        // Whatever is still coming is not read: the connection closes after the answer.
        res.setHeader('connection', 'close');
        return refuse(req, res, 413, 'Yêu cầu quá lớn', 'The request body is too large');
      }
    } else {
      req.resume();
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      headers,
      search: q >= 0 ? url.slice(q) : '',
      body,
    };
    const graphqlRequest = new IncomingGraphqlRequest(req, res, headers, body);
    let response;
    try {
      response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => context(graphqlRequest) });
    } catch (e) {
      await graphqlRequest.settle(false).catch(logSettleFailure);
      throw e;
    }
    try {
      await graphqlRequest.settle(true);
    } catch (e) {
      logSettleFailure(e);
      return commitFailed(req, res);
    }
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.setHeader('content-length', Buffer.byteLength(response.body.string));
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
  return (req, res) => {
    answer(req, res).catch((e: unknown) => {
      // Apollo answers its own errors; this is a fault in the code above. Nothing of it reaches the client.
      console.error('[graphql http]', e);
      if (!res.headersSent) refuse(req, res, 500, 'Lỗi máy chủ nội bộ', 'Internal server error');
      else res.destroy();
    });
  };
}
