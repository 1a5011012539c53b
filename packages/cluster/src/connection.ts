// The public entry point: options → resolved config → authenticated connection whose request(),
// send() and stream() behave like client-go's rest client (retries as `rest/request.go`
// `Request.request`, the per-method policy in `with-retry.ts`; 401 handling as exec.go
// `maybeRefreshCreds`).
import { Readable } from 'node:stream'
import type { Dispatcher } from 'undici'
import {
  authMethodOf,
  createAuthenticator,
  type Authenticator,
  type RequestCredentials,
} from './credentials/authenticator.js'
import { ClusterError } from './errors.js'
import { impersonationHeaders } from './impersonation.js'
import { maskHeader, type RequestLogEntry } from './request-log.js'
import { isLoopback, proxyFromEnvironment } from './proxy-env.js'
import { Redactor, redact, redactUrl } from './redact.js'
import {
  resolveKubeconfig,
  type AuthMethod,
  type CaSource,
  type LoadConnectionOptions,
  type ResolvedConfig,
} from './resolve.js'
import {
  BadEncodingError,
  BodyIncompleteError,
  BodyTooLargeError,
  classifyFailure,
  closeDispatcher,
  createDispatcher,
  decodedStream,
  isConnectionRefused,
  open,
  readBody,
  type ExchangeOptions,
  type HttpMethod,
  type OpenResponse,
} from './transport.js'
import {
  RetryBudget,
  isRetryable,
  isRetryableFetch,
  parseDuration,
  waitBeforeRetry,
  type AttemptOutcome,
} from './with-retry.js'

/**
 * Options of one {@link Connection.request}.
 *
 * @example
 * const options: RequestOptions = { accept: 'application/json', timeoutMs: 30_000, retries: 2 }
 */
export interface RequestOptions {
  accept?: string
  signal?: AbortSignal
  ifNoneMatch?: string
  /**
   * In ms, default the connection's `requestTimeout`, 0: none. `request` and `send`: the whole
   * request, every attempt and every wait between them (a server's Retry-After included), as
   * client-go's `rest.Request.request` bounds `Do` (`context.WithTimeout(ctx, r.timeout)`, the
   * timeout being `rest.Config.Timeout`, kubectl's `--request-timeout`). `stream`: each attempt
   * until its headers, as `Request.Stream` is bounded only per attempt (`http.Client.Timeout`).
   */
  timeoutMs?: number
  /** after content decoding; default 256 MiB */
  maxBodyBytes?: number
  /** extra attempts on 429/502/503/504, connection resets and bodies cut short (a server's
   * Retry-After waited in full, our own backoff within the connection's retry budget); default 4 */
  retries?: number
}

/**
 * Options of one {@link Connection.send} or {@link Connection.stream}: a method, and a body with
 * its content type. `retries` counts only the attempts the method allows (see `send`).
 *
 * @example
 * const options: SendOptions = { method: 'POST', body: JSON.stringify(configMap), contentType: 'application/json' }
 */
export interface SendOptions extends RequestOptions {
  method: HttpMethod
  body?: string | Uint8Array
  contentType?: string
  /** extra request headers (names case-insensitive); `authorization` cannot be set here */
  headers?: Record<string, string>
}

export type { HttpMethod } from './transport.js'

/**
 * A response whose body is read as it arrives (watch, logs with follow): no size limit and no
 * total timeout; `options.signal` or {@link ClusterStream.cancel} ends it.
 *
 * @example
 * const s: ClusterStream = await connection.stream('/api/v1/namespaces/web/pods/api/log?follow=true', { method: 'GET' })
 * for await (const chunk of s.body) process.stdout.write(chunk)
 */
export interface ClusterStream {
  status: number
  /** lower-case names; content-encoding/-length removed when the body is decoded */
  headers: Record<string, string>
  /** full URL without credentials */
  url: string
  /** content-decoded chunks; ends when the server ends the response or on cancel() */
  body: AsyncIterable<Uint8Array>
  /** stops reading and closes the response; the body iterator then ends */
  cancel(): Promise<void>
}

/**
 * A response as served: any status except 401/403, which throw.
 *
 * @example
 * const res: ClusterResponse = await connection.request('/version')
 * JSON.parse(new TextDecoder().decode(res.body))
 */
export interface ClusterResponse {
  status: number
  /** lower-case names; content-encoding/-length removed when the body was decoded */
  headers: Record<string, string>
  /** content-decoded bytes exactly as served */
  body: Uint8Array
  /** full URL without credentials */
  url: string
}

/**
 * The resolved, redacted view of a connection — what `k8s-codegen connection` prints.
 *
 * @example
 * const d: ConnectionDescription = connection.describe()
 * `${d.context} → ${d.server} as ${d.user} (${d.authMethod})`
 */
export interface ConnectionDescription {
  source: 'kubeconfig' | 'in-cluster'
  kubeconfigFiles: string[]
  context?: string
  cluster?: string
  user?: string
  server: string
  namespace: string
  tlsServerName?: string
  insecure: boolean
  caSource: CaSource
  caFile?: string
  authMethod: AuthMethod
  /** proxy URL without credentials */
  proxy?: string
  proxySource?: 'kubeconfig' | 'environment'
  compression: boolean
  /** `--as` and its uid and groups, when requests act as another user */
  impersonate?: { user: string; uid?: string; groups: string[] }
}

/**
 * An authenticated client for one API server, reusing one keep-alive dispatcher.
 *
 * @example
 * const connection = await loadConnection({ context: 'kind-dev' })
 * try {
 *   const res = await connection.request('/openapi/v3', { accept: 'application/json' })
 * } finally {
 *   await connection.close()
 * }
 */
export interface Connection {
  /** resolved server URL incl. path prefix, no trailing slash */
  readonly server: string
  describe(): ConnectionDescription
  /**
   * GET `path` (an absolute API path like '/openapi/v3/apis/apps/v1?hash=…') under the server's
   * path prefix. Never follows redirects. Retries 429/502/503/504 and resets with backoff
   * honouring Retry-After; returns the last response when retries run out. Throws ClusterError
   * for unreachable / TLS / timeout / 401 / 403 / body too large / body cut short.
   */
  request(path: string, options?: RequestOptions): Promise<ClusterResponse>
  /**
   * Sends `options.method` to `path` (as {@link Connection.request} builds it) with an optional
   * body and returns the response read whole, 401 and 403 included (after one credential refresh
   * on 401), so callers can read the apiserver's `Status`. Retries as client-go's rest client
   * (`isRetryable` in with-retry.ts): any method on a 429 or 5xx that carries a Retry-After (never
   * without one), GET/HEAD on a reset, and any method on a connection that failed before a
   * request byte was written.
   */
  send(path: string, options: SendOptions): Promise<ClusterResponse>
  /**
   * Like {@link Connection.send}, but resolves as soon as the response headers arrive and hands
   * over the body as a stream. `timeoutMs` applies until the headers; the body has no size limit
   * and no total timeout; `options.signal` aborts it (the iterator then throws
   * `K8S_CODEGEN_CLUSTER_ABORTED`).
   */
  stream(path: string, options: SendOptions): Promise<ClusterStream>
  /**
   * `text` with every credential this connection knows (tokens, token-file contents, passwords,
   * keys, exec plugin output) and `Bearer …`/`authorization: …`/URL userinfo replaced by
   * `[REDACTED]` — the redaction of the connection's own errors, for text built from a
   * response (a server that echoes a token back).
   *
   * @example
   * connection.redact(`denied: ${serverMessage}`)
   */
  redact(text: string): string
  close(): Promise<void>
}

const DEFAULT_TIMEOUT_MS = 60_000
const DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024
const DEFAULT_RETRIES = 4
/** Our own backoff (no Retry-After) of one connection waits at most this long in total. */
const DEFAULT_RETRY_BUDGET_MS = 30_000
const USER_AGENT = 'k8s-codegen/0.1.0 (node)'

/**
 * Resolves the configuration exactly as kubectl does and returns a connection. Reads files and
 * token files, but does not contact the server (exec plugins run on the first request).
 *
 * @example
 * const connection = await loadConnection({ kubeconfig: './kubeconfig', context: 'dev', onWarning: console.warn })
 * connection.describe().server // 'https://127.0.0.1:6443'
 */
export async function loadConnection(options: LoadConnectionOptions = {}): Promise<Connection> {
  const config = await resolveKubeconfig(options)
  const env = options.env ?? process.env
  const serverUrl = new URL(config.server)
  const secure = serverUrl.protocol === 'https:'
  const hasCredentials = Object.keys(config.credentials).length > 0
  if (!secure && hasCredentials && !isLoopback(serverUrl.hostname)) {
    throw new ClusterError(
      'K8S_CODEGEN_CLUSTER_INSECURE_CREDENTIALS',
      `refusing to send the credentials of ${userLabel(config)} to ${redactUrl(config.server)} over plain http: the host is not a loopback address, so anyone on the network could read them; use an https:// server (or kubectl proxy on localhost)`,
    )
  }
  if (config.insecureSkipTlsVerify && secure) {
    options.onWarning?.(
      `TLS verification is disabled for cluster "${config.cluster ?? config.server}" (insecure-skip-tls-verify): the server's identity is not checked`,
    )
  }
  const redactor = new Redactor()
  const clock = options.clock ?? Date.now
  const authenticator = createAuthenticator({
    config,
    secure,
    env,
    clock,
    redactor,
    onWarning: options.onWarning,
  })
  // client-go reads a tokenFile while building the config: a missing file fails here, not later.
  if (authenticator.method === 'tokenFile') await authenticator.credentials()

  let proxy: { url: string; source: 'kubeconfig' | 'environment' } | undefined
  if (config.proxyUrl !== undefined) proxy = { url: config.proxyUrl, source: 'kubeconfig' }
  else {
    const fromEnv = proxyFromEnvironment(serverUrl, env)
    if (fromEnv !== undefined) proxy = { url: fromEnv, source: 'environment' }
  }
  if (proxy !== undefined) {
    let parsed: URL | undefined
    try {
      parsed = new URL(proxy.url)
    } catch {
      parsed = undefined
    }
    // proxy-url was validated with the kubeconfig; an environment proxy is checked here.
    if (parsed === undefined || !['http:', 'https:', 'socks5:'].includes(parsed.protocol)) {
      throw new ClusterError(
        'K8S_CODEGEN_CLUSTER_CONFIG_INVALID',
        `the ${serverUrl.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY'} environment variable is not an http, https or socks5 proxy URL (${redact(proxy.url)})`,
      )
    }
    redactor.add(decodeURIComponent(parsed.password))
  }
  const requestTimeoutMs =
    options.requestTimeout === undefined
      ? DEFAULT_TIMEOUT_MS
      : parseDuration(options.requestTimeout)
  if (requestTimeoutMs === undefined) {
    throw new ClusterError(
      'K8S_CODEGEN_CLUSTER_CONFIG_INVALID',
      `--request-timeout ${JSON.stringify(options.requestTimeout)} is not a duration: use a number with a unit such as 30s, 2m or 1h (0 means no timeout), as kubectl does`,
    )
  }
  return new ClusterConnection(config, secure, authenticator, redactor, proxy, {
    onRequestLog: options.onRequestLog,
    requestTimeoutMs,
    // Each request's own `retries` bounds its attempts (`#retry`; the typed client asks for
    // client-go's 10); the connection's budget bounds only our own backoff.
    budget: new RetryBudget({
      maxRetries: Number.MAX_SAFE_INTEGER,
      budgetMs: options.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS,
    }),
  })
}

class ClusterConnection implements Connection {
  readonly server: string
  readonly #config: ResolvedConfig
  readonly #secure: boolean
  readonly #auth: Authenticator
  readonly #redactor: Redactor
  readonly #proxy: { url: string; source: 'kubeconfig' | 'environment' } | undefined
  /** The server URL parsed once: `https://host:port` and its path prefix (`''` or `/k8s/c-1`). */
  readonly #origin: string
  readonly #prefix: string
  readonly #requestTimeoutMs: number
  readonly #budget: RetryBudget
  readonly #log: ((entry: RequestLogEntry) => void) | undefined
  #dispatcher: Dispatcher | undefined
  #dispatcherCert: RequestCredentials['clientCertificate']
  readonly #retired: Dispatcher[] = []
  #closed = false

  constructor(
    config: ResolvedConfig,
    secure: boolean,
    auth: Authenticator,
    redactor: Redactor,
    proxy: { url: string; source: 'kubeconfig' | 'environment' } | undefined,
    limits: {
      requestTimeoutMs: number
      budget: RetryBudget
      onRequestLog: ((entry: RequestLogEntry) => void) | undefined
    },
  ) {
    this.server = config.server
    const url = new URL(config.server)
    this.#origin = url.origin
    this.#prefix = url.pathname.replace(/\/+$/, '')
    this.#requestTimeoutMs = limits.requestTimeoutMs
    this.#budget = limits.budget
    this.#log = limits.onRequestLog
    this.#config = config
    this.#secure = secure
    this.#auth = auth
    this.#redactor = redactor
    this.#proxy = proxy
  }

  redact(text: string): string {
    return this.#redactor.text(text)
  }

  describe(): ConnectionDescription {
    const c = this.#config
    const d: ConnectionDescription = {
      source: c.source,
      kubeconfigFiles: [...c.kubeconfigFiles],
      server: redactUrl(c.server),
      namespace: c.namespace,
      insecure: c.insecureSkipTlsVerify,
      caSource: c.insecureSkipTlsVerify ? 'insecure' : (c.ca?.source ?? 'system'),
      authMethod: authMethodOf(c, this.#secure),
      compression: !c.disableCompression,
    }
    if (c.context !== undefined) d.context = c.context
    if (c.cluster !== undefined) d.cluster = c.cluster
    if (c.user !== undefined) d.user = c.user
    if (c.tlsServerName !== undefined) d.tlsServerName = c.tlsServerName
    if (c.ca?.file !== undefined) d.caFile = c.ca.file
    if (c.impersonate !== undefined)
      d.impersonate = { ...c.impersonate, groups: [...c.impersonate.groups] }
    if (this.#proxy !== undefined) {
      d.proxy = redactUrl(this.#proxy.url)
      d.proxySource = this.#proxy.source
    }
    return d
  }

  request(path: string, options: RequestOptions = {}): Promise<ClusterResponse> {
    return this.#exchange(path, { ...options, method: 'GET' }, 'request')
  }

  send(path: string, options: SendOptions): Promise<ClusterResponse> {
    return this.#exchange(path, options, 'send')
  }

  async stream(path: string, options: SendOptions): Promise<ClusterStream> {
    return this.#exchange(path, options, 'stream')
  }

  // One loop for the three entry points: `request` keeps its GET-only contract (401/403 throw,
  // refused connections are not retried), `send` returns every status, `stream` hands over a 2xx
  // body once the headers are in (any other status is read whole, so it can be retried).
  #exchange(path: string, options: SendOptions, mode: 'request' | 'send'): Promise<ClusterResponse>
  #exchange(path: string, options: SendOptions, mode: 'stream'): Promise<ClusterStream>
  async #exchange(
    path: string,
    options: SendOptions,
    mode: 'request' | 'send' | 'stream',
  ): Promise<ClusterResponse | ClusterStream> {
    const r = this.#redactor
    const method = options.method
    this.#checkUsage(path)
    const url = this.#origin + this.#prefix + path
    const safeUrl = redactUrl(url)
    const what = `${method} ${safeUrl}`
    const retries = options.retries ?? DEFAULT_RETRIES
    const timeoutMs = options.timeoutMs ?? this.#requestTimeoutMs
    const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
    // kubectl --request-timeout=0: no limit. One deadline for the request and its retries; a
    // stream's timer is per attempt and stops when the headers arrive.
    const deadline =
      timeoutMs > 0 && mode !== 'stream'
        ? { at: performance.now() + timeoutMs, ms: timeoutMs }
        : undefined
    let refreshedAfter401 = false
    for (let attempt = 0; ; attempt++) {
      if (isAborted(options.signal)) throw this.#aborted(what, options.signal)
      const credentials = await this.#auth.credentials()
      const controller = new AbortController()
      let timedOut = false
      const attemptMs =
        deadline === undefined ? timeoutMs : Math.max(1, deadline.at - performance.now())
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              timedOut = true
              controller.abort()
            }, attemptMs)
          : undefined
      const onAbort = () => controller.abort()
      options.signal?.addEventListener('abort', onAbort, { once: true })
      const unlink = () => options.signal?.removeEventListener('abort', onAbort)
      const exchange: ExchangeOptions = {
        dispatcher: this.#dispatcherFor(credentials.clientCertificate),
        url,
        method,
        headers: this.#headers(options, credentials),
        body: options.body,
        signal: controller.signal,
        headersTimeoutMs: timeoutMs,
        bodyTimeoutMs: mode === 'stream' ? 0 : timeoutMs,
        progress: { written: false },
      }
      let outcome: { response: ClusterResponse } | { stream: OpenResponse } | { failure: unknown }
      const started = performance.now()
      this.#logRequest(method, safeUrl, exchange.headers, options.body)
      try {
        const opened = await open(exchange)
        outcome =
          mode === 'stream' && opened.status >= 200 && opened.status < 300
            ? { stream: opened }
            : { response: { ...(await readBody(opened, maxBodyBytes)), url: safeUrl } }
      } catch (error) {
        outcome = { failure: error }
      } finally {
        clearTimeout(timer)
      }
      this.#logResponse(method, safeUrl, started, outcome)
      // A stream keeps the caller's signal linked until its body ends.
      if ('stream' in outcome)
        return this.#toStream(outcome.stream, safeUrl, what, options.signal, unlink)
      unlink()

      if ('failure' in outcome) {
        const error = outcome.failure
        if (isAborted(options.signal)) throw this.#aborted(what, options.signal)
        if (timedOut)
          throw r.error(
            'K8S_CODEGEN_CLUSTER_TIMEOUT',
            `${what} did not complete within ${timeoutMs} ms${attempt === 0 ? '' : ` (${attempt + 1} attempts)`}`,
            error,
          )
        if (error instanceof BodyTooLargeError) {
          throw r.error(
            'K8S_CODEGEN_CLUSTER_BODY_TOO_LARGE',
            `${what}: response body is larger than the limit of ${error.limit} bytes (maxBodyBytes)`,
          )
        }
        if (error instanceof BadEncodingError)
          throw r.error('K8S_CODEGEN_CLUSTER_BAD_RESPONSE', `${what}: ${error.message}`, error)
        if (error instanceof BodyIncompleteError) {
          if (
            isRetryable(method, { kind: 'reset' }) &&
            (await this.#retry(attempt, retries, undefined, options.signal, what, deadline))
          )
            continue
          throw r.error(
            'K8S_CODEGEN_CLUSTER_BODY_INCOMPLETE',
            `${what}: the server answered but the response body ended early in each of ${attempt + 1} attempts, the last after ${error.received} of ${error.expected === undefined ? 'an undeclared number of' : error.expected} bytes (${error.detail})`,
            error,
          )
        }
        const { kind, detail } = classifyFailure(error)
        // `request` keeps its contract of failing fast on a refused connection.
        const failed: AttemptOutcome | undefined =
          mode !== 'request' &&
          !exchange.progress.written &&
          (kind === 'reset' || isConnectionRefused(error))
            ? { kind: 'unsent' }
            : kind === 'reset'
              ? { kind: 'reset' }
              : undefined
        if (
          failed !== undefined &&
          isRetryable(method, failed) &&
          (await this.#retry(attempt, retries, undefined, options.signal, what, deadline))
        )
          continue
        throw this.#networkError(kind, detail, what, error, attempt)
      }

      const response = outcome.response
      if (response.status === 401) {
        if (!refreshedAfter401 && this.#auth.refreshAfterUnauthorized(credentials)) {
          refreshedAfter401 = true
          attempt--
          continue
        }
        if (mode === 'request')
          throw r.error(
            'K8S_CODEGEN_CLUSTER_UNAUTHORIZED',
            `the API server rejected the credentials of ${userLabel(this.#config)} (auth method ${this.#auth.method}) for ${what}: 401 Unauthorized; check that ${userLabel(this.#config)}${this.#config.userFile === undefined ? '' : ` in ${this.#config.userFile}`} has current credentials, or choose another --context/--user`,
          )
      }
      if (response.status === 403 && mode === 'request') {
        throw r.error(
          'K8S_CODEGEN_CLUSTER_FORBIDDEN',
          `${userLabel(this.#config)} is not allowed to ${what}: 403 Forbidden; it needs RBAC permission to read this path (nonResourceURLs)`,
        )
      }
      const retryAfter = response.headers['retry-after']
      const answered: AttemptOutcome = { kind: 'status', status: response.status, retryAfter }
      if (
        (mode === 'request' ? isRetryableFetch(answered) : isRetryable(method, answered)) &&
        (await this.#retry(
          attempt,
          retries,
          retryAfter,
          options.signal,
          what,
          deadline,
          response.status,
        ))
      )
        continue
      return mode === 'stream' ? bufferedStream(response) : response
    }
  }

  #logRequest(
    method: string,
    url: string,
    headers: Record<string, string | string[]>,
    body: string | Uint8Array | undefined,
  ): void {
    if (this.#log === undefined) return
    const masked = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value : maskHeader(name, value),
      ]),
    )
    this.#log({
      phase: 'request',
      method,
      url,
      headers: masked,
      body: body === undefined ? undefined : this.#redactedBytes(body),
    })
  }

  #logResponse(
    method: string,
    url: string,
    started: number,
    outcome: { response: ClusterResponse } | { stream: OpenResponse } | { failure: unknown },
  ): void {
    if (this.#log === undefined) return
    const milliseconds = Math.round(performance.now() - started)
    if ('failure' in outcome) {
      const error = this.#redactor.text(String((outcome.failure as Error | undefined)?.message))
      this.#log({
        phase: 'response',
        method,
        url,
        status: undefined,
        milliseconds,
        headers: {},
        error,
      })
      return
    }
    const response = 'response' in outcome ? outcome.response : outcome.stream
    this.#log({
      phase: 'response',
      method,
      url,
      status: response.status,
      milliseconds,
      headers: { ...response.headers },
      body: 'response' in outcome ? this.#redactedBytes(outcome.response.body) : undefined,
    })
  }

  // A body as logged: text bodies through the redactor (a token the server echoes never shows).
  #redactedBytes(body: string | Uint8Array): Uint8Array {
    const text = typeof body === 'string' ? body : new TextDecoder().decode(body)
    return new TextEncoder().encode(this.#redactor.text(text))
  }

  #checkUsage(path: string): void {
    if (this.#closed)
      throw this.#redactor.error(
        'K8S_CODEGEN_CLUSTER_CLOSED',
        `request(${JSON.stringify(path)}) after close() of the connection to ${this.server}`,
      )
    if (
      typeof path !== 'string' ||
      !path.startsWith('/') ||
      path.startsWith('//') ||
      /[\s#\\]/.test(path) ||
      // A dot segment (also percent-encoded) would be resolved away and leave the path prefix.
      path
        .split('?')[0]!
        .split('/')
        .some((segment) => /^(\.|%2e){1,2}$/i.test(segment))
    ) {
      throw this.#redactor.error(
        'K8S_CODEGEN_CLUSTER_USAGE',
        `request path ${JSON.stringify(path)} must be an absolute API path such as "/openapi/v3" (starting with one "/", no dot segments, spaces, backslashes or fragment)`,
      )
    }
  }

  #headers(
    options: SendOptions,
    credentials: RequestCredentials,
  ): Record<string, string | string[]> {
    const headers: Record<string, string | string[]> = {
      'user-agent': USER_AGENT,
      accept: options.accept ?? 'application/json',
    }
    // Go's transport asks for gzip unless compression is disabled (DisableCompression).
    if (!this.#config.disableCompression) headers['accept-encoding'] = 'gzip'
    for (const [name, value] of Object.entries(options.headers ?? {}))
      headers[name.toLowerCase()] = value
    if (options.ifNoneMatch !== undefined) headers['if-none-match'] = options.ifNoneMatch
    if (options.contentType !== undefined) headers['content-type'] = options.contentType
    // Credentials come from the kubeconfig only, never from a caller's header.
    delete headers['authorization']
    if (credentials.authorization !== undefined)
      headers['authorization'] = credentials.authorization
    // --as: a request that names its own Impersonate-User keeps it (impersonatingRoundTripper).
    const as = this.#config.impersonate
    if (as !== undefined && headers['impersonate-user'] === undefined)
      Object.assign(headers, impersonationHeaders(as))
    return headers
  }

  // A 2xx body handed over as it arrives. Errors while reading become ClusterErrors; cancel()
  // and the end of the body unlink the caller's signal.
  #toStream(
    opened: OpenResponse,
    url: string,
    what: string,
    signal: AbortSignal | undefined,
    unlink: () => void,
  ): ClusterStream {
    let cancelled = false
    const encoding = opened.headers['content-encoding']
    let source: AsyncIterable<Uint8Array>
    try {
      source = decodedStream(opened)
    } catch (error) {
      unlink()
      throw this.#redactor.error(
        'K8S_CODEGEN_CLUSTER_BAD_RESPONSE',
        `${what}: ${(error as Error).message}`,
        error,
      )
    }
    const fail = (error: unknown, received: number): ClusterError => {
      if (isAborted(signal)) return this.#aborted(what, signal)
      // zlib's errors carry Z_* codes (Z_DATA_ERROR, Z_BUF_ERROR).
      const code = (error as { code?: unknown } | undefined)?.code
      if (typeof code === 'string' && code.startsWith('Z_'))
        return this.#redactor.error(
          'K8S_CODEGEN_CLUSTER_BAD_RESPONSE',
          `${what}: the body is not valid ${encoding ?? 'encoded data'} (${(error as Error).message})`,
          error,
        )
      return this.#redactor.error(
        'K8S_CODEGEN_CLUSTER_BODY_INCOMPLETE',
        `${what}: the stream broke after ${received} bytes (${classifyFailure(error).detail})`,
        error,
      )
    }
    const body = readStream(source, {
      fail,
      cancelled: () => cancelled,
      finish: () => {
        unlink()
        if (!opened.body.destroyed) opened.body.destroy()
      },
    })
    return {
      status: opened.status,
      headers: opened.headers,
      url,
      body,
      cancel: () => {
        cancelled = true
        unlink()
        if (opened.body.destroyed) return Promise.resolve()
        const closed = new Promise<void>((resolve) => opened.body.once('close', () => resolve()))
        opened.body.destroy()
        return closed
      },
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const all = [...this.#retired, ...(this.#dispatcher === undefined ? [] : [this.#dispatcher])]
    this.#dispatcher = undefined
    this.#retired.length = 0
    await Promise.all(all.map((d) => closeDispatcher(d)))
  }

  // One dispatcher per connection; rebuilt only when an exec plugin hands out a new client
  // certificate (client-go closes idle connections on rotation too, exec.go `rotateCerts`).
  #dispatcherFor(dynamicCert: RequestCredentials['clientCertificate']): Dispatcher {
    if (this.#dispatcher !== undefined && dynamicCert === this.#dispatcherCert)
      return this.#dispatcher
    if (this.#dispatcher !== undefined) {
      const old = this.#dispatcher
      this.#retired.push(old)
      void closeDispatcher(old).then(() => {
        const i = this.#retired.indexOf(old)
        if (i >= 0) this.#retired.splice(i, 1)
      })
    }
    const c = this.#config
    this.#dispatcherCert = dynamicCert
    this.#dispatcher = createDispatcher({
      ca: c.ca?.pem,
      clientCertificate: this.#secure
        ? (dynamicCert ?? c.credentials.clientCertificate)
        : undefined,
      tlsServerName: c.tlsServerName,
      insecureSkipTlsVerify: c.insecureSkipTlsVerify,
      proxy: this.#proxy?.url,
    })
    return this.#dispatcher
  }

  // Waits before the next attempt and returns true, or returns false when the request must not
  // be retried (its own `retries` reached, or, for our own backoff, the connection's retry
  // budget spent). A server's Retry-After is waited in full; the caller's signal ends the wait.
  async #retry(
    attempt: number,
    retries: number,
    retryAfter: string | undefined,
    signal: AbortSignal | undefined,
    what: string,
    deadline: { at: number; ms: number } | undefined,
    status?: number,
  ): Promise<boolean> {
    if (attempt >= retries) return false
    const ms = this.#budget.next(attempt, retryAfter)
    if (ms === undefined) return false
    // A wait that outlasts the request's deadline ends with it, as client-go's
    // `SleepWithContext` returns when the request's context is done and `Before` then fails.
    const left = deadline === undefined ? Infinity : deadline.at - performance.now()
    try {
      await waitBeforeRetry(Math.max(0, Math.min(ms, left)), signal)
    } catch {
      throw this.#aborted(what, signal)
    }
    if (deadline !== undefined && ms >= left) {
      const asked = status === undefined ? '' : `, the last answered ${status}`
      throw this.#redactor.error(
        'K8S_CODEGEN_CLUSTER_TIMEOUT',
        `${what} did not complete within ${deadline.ms} ms (${attempt + 1} attempt${attempt === 0 ? '' : 's'}${asked}; the next was due after a ${Math.round(ms)} ms wait)`,
      )
    }
    return true
  }

  #aborted(what: string, signal: AbortSignal | undefined): ClusterError {
    // AbortSignal.timeout(): the caller's overall deadline passed, a timeout like any other.
    if ((signal?.reason as { name?: unknown } | undefined)?.name === 'TimeoutError') {
      return this.#redactor.error(
        'K8S_CODEGEN_CLUSTER_TIMEOUT',
        `${what} was stopped: the overall deadline passed`,
        signal?.reason,
      )
    }
    return this.#redactor.error(
      'K8S_CODEGEN_CLUSTER_ABORTED',
      `${what} was aborted by the caller`,
      signal?.reason,
    )
  }

  #networkError(
    kind: ReturnType<typeof classifyFailure>['kind'],
    detail: string,
    what: string,
    cause: unknown,
    attempt: number,
  ): ClusterError {
    const r = this.#redactor
    const via = this.#proxy === undefined ? '' : ` via proxy ${redactUrl(this.#proxy.url)}`
    switch (kind) {
      case 'tls':
        return r.error(
          'K8S_CODEGEN_CLUSTER_TLS',
          `TLS verification of ${this.server}${via} failed (${detail}); pass the cluster's CA with --certificate-authority, or check that context "${this.#config.context ?? '(none)'}" points at the intended server${this.#config.tlsServerName === undefined ? '' : ` and tls-server-name "${this.#config.tlsServerName}"`}`,
          cause,
        )
      case 'not-tls':
        return r.error(
          'K8S_CODEGEN_CLUSTER_TLS',
          `${this.server}${via} does not speak TLS: the port answered plain HTTP to an https:// request (${detail}); use an http:// server address for this port, or the server's TLS port`,
          cause,
        )
      case 'timeout':
        return r.error('K8S_CODEGEN_CLUSTER_TIMEOUT', `${what}${via} timed out (${detail})`, cause)
      case 'reset':
      case 'unreachable':
        return r.error(
          'K8S_CODEGEN_CLUSTER_UNREACHABLE',
          `cannot reach the API server ${this.server}${via} for ${what}${attempt > 0 ? ` after ${attempt + 1} attempts` : ''} (${detail}); check the server address of context "${this.#config.context ?? '(none)'}" and your network`,
          cause,
        )
    }
  }
}

// A function, so TypeScript does not narrow `aborted` across awaits.
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true
}

// The body of a stream: errors become ClusterErrors (none after cancel()), and `finish` runs
// however the iteration ends.
async function* readStream(
  source: AsyncIterable<Uint8Array>,
  hooks: {
    fail: (error: unknown, received: number) => ClusterError
    cancelled: () => boolean
    finish: () => void
  },
): AsyncGenerator<Uint8Array, void, undefined> {
  let received = 0
  try {
    for await (const chunk of source) {
      received += chunk.byteLength
      yield chunk
    }
  } catch (error) {
    if (hooks.cancelled()) return
    throw hooks.fail(error, received)
  } finally {
    hooks.finish()
  }
}

// A non-2xx answer to stream(): its (small, Status) body was read whole to decide on retries.
function bufferedStream(response: ClusterResponse): ClusterStream {
  const chunks = response.body.byteLength > 0 ? [response.body] : []
  return {
    ...response,
    body: Readable.from(chunks) as AsyncIterable<Uint8Array>,
    cancel: () => Promise.resolve(),
  }
}

function userLabel(config: ResolvedConfig): string {
  return config.user === undefined
    ? config.source === 'in-cluster'
      ? 'the in-cluster service account'
      : 'the user given by flags'
    : `user "${config.user}"`
}
