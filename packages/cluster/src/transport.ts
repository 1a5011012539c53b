// The HTTP side: one undici dispatcher per resolved cluster (keep-alive), TLS as client-go
// `transport/transport.go` (`TLSConfigFor`) builds it, proxies as `rest/transport.go` selects
// them, and one exchange (any method, `open`) whose body is read whole (`readBody`: content
// decoding, size limits) or handed over as a stream (`decodedStream`), with error classification.
import { checkServerIdentity, type PeerCertificate } from 'node:tls'
import { isIP } from 'node:net'
import { promisify } from 'node:util'
import {
  brotliDecompress,
  createBrotliDecompress,
  createGunzip,
  createInflate,
  gunzip,
  inflate,
  type ZlibOptions,
} from 'node:zlib'
import type { Dispatcher, buildConnector as BuildConnector } from 'undici'
// undici's index loads every module undici ships (fetch, WebSocket, cookies, caches, mocks), about
// 60 ms of every CLI start; a GET needs only the dispatchers and the request API. These are the
// modules undici's own index.js requires for them, and the line after is what that index does
// with them: the API methods (request, connect, …) live on Dispatcher.prototype, and ProxyAgent
// tunnels through `connect` (undici lib/dispatcher/proxy-agent.js).
import DispatcherBase from 'undici/lib/dispatcher/dispatcher.js'
import api from 'undici/lib/api/index.js'
import Agent from 'undici/lib/dispatcher/agent.js'
import ProxyAgent from 'undici/lib/dispatcher/proxy-agent.js'
import buildConnector from 'undici/lib/core/connect.js'

Object.assign(DispatcherBase.prototype, api)

/** Default connect timeout (client-go's default dialer uses 30 s; a CLI wants to fail sooner). */
export const CONNECT_TIMEOUT_MS = 15_000

/** TLS and proxy settings of one cluster. */
export interface TransportSettings {
  ca?: Uint8Array | undefined
  clientCertificate?: { cert: Uint8Array; key: Uint8Array } | undefined
  tlsServerName?: string | undefined
  insecureSkipTlsVerify: boolean
  proxy?: string | undefined
}

/** Creates the dispatcher every request of a connection goes through. */
export function createDispatcher(settings: TransportSettings): Dispatcher {
  const name = settings.tlsServerName
  const tls = {
    ...(settings.ca === undefined ? {} : { ca: Buffer.from(settings.ca).toString('utf8') }),
    ...(settings.clientCertificate === undefined
      ? {}
      : {
          cert: Buffer.from(settings.clientCertificate.cert).toString('utf8'),
          key: Buffer.from(settings.clientCertificate.key).toString('utf8'),
        }),
    rejectUnauthorized: !settings.insecureSkipTlsVerify,
    minVersion: 'TLSv1.2' as const,
    // tls-server-name is both the SNI (not allowed for IP literals, RFC 6066) and the name the
    // certificate is verified against; node verifies `servername || host`, so an explicit check
    // keeps IP-valued names working too.
    ...(name === undefined || name === ''
      ? {}
      : {
          ...(isIP(name) === 0 ? { servername: name } : {}),
          checkServerIdentity: (_host: string, cert: PeerCertificate) =>
            checkServerIdentity(name, cert),
        }),
  }
  const common = { keepAliveTimeout: 30_000, connections: 8 }
  const proxy = settings.proxy
  if (proxy === undefined) {
    return new Agent({ ...common, connect: { ...tls, timeout: CONNECT_TIMEOUT_MS } })
  }
  if (proxy.startsWith('socks5:')) {
    return new Agent({ ...common, connect: socks5Connector(new URL(proxy), tls) })
  }
  return new ProxyAgent({
    ...common,
    uri: proxy,
    requestTls: { ...tls, timeout: CONNECT_TIMEOUT_MS },
    proxyTls: { minVersion: 'TLSv1.2', timeout: CONNECT_TIMEOUT_MS },
  })
}

/**
 * An undici connector that dials through a SOCKS5 proxy (`socks`, RFC 1928 CONNECT; user and
 * password from the URL, RFC 1929), then does TLS over the tunnel with undici's own connector.
 * The host name goes to the proxy unresolved, as client-go's SOCKS5 dialer
 * (golang.org/x/net/proxy, used by apimachinery `pkg/util/proxy/dial.go`) sends it. undici's own
 * Socks5ProxyAgent would do the same but is experimental and warns so on every process using it.
 */
function socks5Connector(proxy: URL, tls: BuildConnector.BuildOptions): BuildConnector.connector {
  const overTunnel = buildConnector({ ...tls, timeout: CONNECT_TIMEOUT_MS })
  const user = decodeURIComponent(proxy.username)
  return (options, callback) => {
    // Loaded on the first dial: only a SOCKS5 proxy needs the client (and its address parser).
    import('socks')
      .then(({ SocksClient }) =>
        SocksClient.createConnection({
          command: 'connect',
          proxy: {
            host: proxy.hostname.replace(/^\[(.*)\]$/, '$1'),
            port: proxy.port === '' ? 1080 : Number(proxy.port),
            type: 5,
            ...(user !== '' && { userId: user, password: decodeURIComponent(proxy.password) }),
          },
          destination: {
            host: options.hostname.replace(/^\[(.*)\]$/, '$1'),
            port:
              options.port === ''
                ? options.protocol === 'https:'
                  ? 443
                  : 80
                : Number(options.port),
          },
          timeout: CONNECT_TIMEOUT_MS,
        }),
      )
      .then(
        ({ socket }) => {
          if (options.protocol !== 'https:') callback(null, socket)
          else overTunnel({ ...options, httpSocket: socket }, callback)
        },
        (error: unknown) =>
          callback(error instanceof Error ? error : new Error(String(error)), null),
      )
  }
}

/** One HTTP exchange, body read and content-decoded. */
export interface RawResponse {
  status: number
  headers: Record<string, string>
  body: Uint8Array
}

/** An HTTP method the connection sends. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface ExchangeOptions {
  dispatcher: Dispatcher
  url: string
  method: HttpMethod
  headers: Record<string, string | string[]>
  body?: string | Uint8Array | undefined
  signal: AbortSignal
  /** until the response headers arrive; 0: none */
  headersTimeoutMs: number
  /** between two body chunks; 0: none */
  bodyTimeoutMs: number
  /**
   * Set to true once undici starts writing the request to a socket. A failure while it is still
   * false happened before any request byte left (connect refused, reset during the handshake), so
   * the server cannot have processed the request.
   */
  progress: { written: boolean }
}

/** Response headers and the raw (still encoded) body stream. */
export interface OpenResponse {
  status: number
  /** lower-case names; multiple values joined with ", " */
  headers: Record<string, string>
  body: Dispatcher.ResponseData['body']
}

// An undici interceptor that records when the request is handed to a socket: undici calls
// `onConnect` (`onRequestStart` in the new handler API) in client-h1.js `writeH1` just before it
// writes the request, and never when the connection could not be made.
function recordWrite(progress: { written: boolean }): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) =>
    dispatch(opts, {
      onRequestStart(controller, context) {
        progress.written = true
        handler.onRequestStart?.(controller, context)
      },
      onRequestUpgrade(controller, statusCode, headers, socket) {
        handler.onRequestUpgrade?.(controller, statusCode, headers, socket)
      },
      onResponseStart(controller, statusCode, headers, statusMessage) {
        handler.onResponseStart?.(controller, statusCode, headers, statusMessage)
      },
      onResponseData(controller, chunk) {
        handler.onResponseData?.(controller, chunk)
      },
      onResponseEnd(controller, trailers) {
        handler.onResponseEnd?.(controller, trailers)
      },
      onResponseError(controller, error) {
        handler.onResponseError?.(controller, error)
      },
    })
}

// Dispatchers with an attempt their caller gave up on while undici was still connecting.
const abandoned = new WeakMap<Dispatcher, number>()

// undici acts on an abort only once the request reaches a socket (lib/api/api-request.js: before
// onConnect `addSignal` only records the reason), so a TCP connect or a TLS handshake that stalls
// would outlive every deadline until the connect timeout. The caller gets the abort at once; the
// abandoned attempt ends when undici gives up on it, or when the dispatcher is closed.
async function untilAborted<T extends { body: { destroy(): unknown } }>(
  dispatcher: Dispatcher,
  pending: Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  if (signal.aborted) {
    pending.then(
      (r) => r.body.destroy(),
      () => undefined,
    )
    throw signal.reason
  }
  let onAbort: (() => void) | undefined
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => {
      abandoned.set(dispatcher, (abandoned.get(dispatcher) ?? 0) + 1)
      const settle = () => abandoned.set(dispatcher, (abandoned.get(dispatcher) ?? 1) - 1)
      pending.then((r) => (r.body.destroy(), settle()), settle)
      reject(signal.reason as Error)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([pending, aborted])
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort)
  }
}

/**
 * Closes a dispatcher: gracefully, or at once when it still holds an attempt its caller gave up
 * on (a stalled connect would hold a graceful close until its connect timeout).
 */
export async function closeDispatcher(dispatcher: Dispatcher): Promise<void> {
  if ((abandoned.get(dispatcher) ?? 0) > 0) await dispatcher.destroy()
  else await dispatcher.close()
}

/** Sends one request without following redirects; resolves when the response headers arrive. */
export async function open(options: ExchangeOptions): Promise<OpenResponse> {
  const url = new URL(options.url)
  const pending = options.dispatcher.compose(recordWrite(options.progress)).request({
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method: options.method,
    headers: options.headers,
    ...(options.body === undefined ? {} : { body: options.body }),
    signal: options.signal,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
  })
  const response = await untilAborted(options.dispatcher, pending, options.signal)
  const headers: Record<string, string> = {}
  for (const [key, value] of Object.entries(response.headers)) {
    if (value !== undefined)
      headers[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return { status: response.statusCode, headers, body: response.body }
}

const streamDecoders: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
}

/**
 * The body of an opened response as decoded chunks, for streams read incrementally (watch,
 * logs): no size limit. Removes content-encoding/-length from `headers` when it decodes.
 */
export function decodedStream(response: OpenResponse): AsyncIterable<Uint8Array> {
  const encoding = (response.headers['content-encoding'] ?? '').trim().toLowerCase()
  if (encoding === '' || encoding === 'identity') return response.body
  const create = streamDecoders[encoding]
  if (create === undefined) {
    response.body.destroy()
    throw new BadEncodingError(`unsupported content-encoding "${encoding}"`)
  }
  delete response.headers['content-encoding']
  delete response.headers['content-length']
  const decoder = create()
  response.body.on('error', (error) => decoder.emit('error', error))
  return response.body.pipe(decoder) as AsyncIterable<Buffer>
}

/** Thrown when a body exceeds the limit. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`body larger than ${limit} bytes`)
  }
}

/** Thrown when a body cannot be decoded. */
export class BadEncodingError extends Error {}

/**
 * Thrown when the response headers arrived but the connection failed before the body was
 * complete (fewer bytes than Content-Length, or a reset mid-body): a different fault from a
 * server that cannot be reached, since the server answered.
 */
export class BodyIncompleteError extends Error {
  constructor(
    /** Content-Length as declared on the wire; undefined for a chunked body */
    readonly expected: number | undefined,
    readonly received: number,
    readonly detail: string,
    options: { cause: unknown },
  ) {
    super(
      `body ended after ${received} of ${expected === undefined ? 'an undeclared number of' : expected} bytes (${detail})`,
      options,
    )
  }
}

const decoders: Record<string, (input: Buffer, options: ZlibOptions) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
}

/** Reads and content-decodes an opened response's whole body, at most `maxBodyBytes`. */
export async function readBody(response: OpenResponse, maxBodyBytes: number): Promise<RawResponse> {
  const headers = response.headers
  const declared = Number(headers['content-length'])
  if (Number.isFinite(declared) && declared > maxBodyBytes) {
    await response.body.dump()
    throw new BodyTooLargeError(maxBodyBytes)
  }
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > maxBodyBytes) {
        response.body.destroy()
        throw new BodyTooLargeError(maxBodyBytes)
      }
      chunks.push(chunk)
    }
  } catch (error) {
    const failure = classifyFailure(error)
    if (failure.kind !== 'reset') throw error
    throw new BodyIncompleteError(
      Number.isFinite(declared) ? declared : undefined,
      size,
      failure.detail,
      { cause: error },
    )
  }
  let body: Buffer = Buffer.concat(chunks)
  const encoding = (headers['content-encoding'] ?? '').trim().toLowerCase()
  if (encoding !== '' && encoding !== 'identity') {
    const decode = decoders[encoding]
    if (decode === undefined)
      throw new BadEncodingError(`unsupported content-encoding "${encoding}"`)
    try {
      body = await decode(body, { maxOutputLength: maxBodyBytes })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new BodyTooLargeError(maxBodyBytes)
      }
      throw new BadEncodingError(`body is not valid ${encoding}: ${(error as Error).message}`)
    }
    // The decoded bytes are what the caller sees; the wire headers no longer describe them.
    delete headers['content-encoding']
    delete headers['content-length']
  }
  return {
    status: response.status,
    headers,
    body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
  }
}

/** What went wrong on the wire. `not-tls`: an https:// request reached a server speaking plain HTTP. */
export type FailureKind = 'tls' | 'not-tls' | 'timeout' | 'reset' | 'unreachable'

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'HOSTNAME_MISMATCH',
  'EPROTO',
])
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
])
const RESET_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ERR_STREAM_PREMATURE_CLOSE',
])

/** Classifies a network error by the codes in its cause chain, plus a short detail. */
export function classifyFailure(error: unknown): { kind: FailureKind; detail: string } {
  const codes: string[] = []
  const messages: string[] = []
  let current: unknown = error
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string') codes.push(code)
    messages.push(current.message)
    current = current.cause
  }
  // OpenSSL's text spans lines ("…:error:0A00010B:SSL routines:…\n"); one line is enough.
  const detail = (
    codes.length > 0
      ? `${codes[codes.length - 1]}: ${messages[messages.length - 1]}`
      : (messages[0] ?? String(error))
  )
    .replace(/\s*\n\s*/g, ' ')
    .trim()
  // OpenSSL's answer to an HTTP response where a TLS record was expected: not a CA problem.
  if (
    codes.includes('ERR_SSL_WRONG_VERSION_NUMBER') ||
    codes.includes('ERR_SSL_PACKET_LENGTH_TOO_LONG')
  )
    return { kind: 'not-tls', detail }
  const isTls = (c: string) =>
    TLS_CODES.has(c) || c.startsWith('ERR_TLS_') || c.startsWith('ERR_SSL_')
  if (codes.some(isTls)) return { kind: 'tls', detail }
  if (codes.some((c) => TIMEOUT_CODES.has(c))) return { kind: 'timeout', detail }
  if (codes.some((c) => RESET_CODES.has(c))) return { kind: 'reset', detail }
  return { kind: 'unreachable', detail }
}

/**
 * True when the connection was refused: the server never saw a byte of the request (Go's
 * transport reports these as `nothingWrittenError`).
 */
export function isConnectionRefused(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    if ((current as { code?: unknown }).code === 'ECONNREFUSED') return true
    current = current.cause
  }
  return false
}
