// The public entry point: options → resolved config → authenticated connection whose request()
// behaves like client-go's rest client for GETs (retries as `rest/request.go` `Request.Do`, the
// policy in `with-retry.ts`; 401 handling as exec.go `maybeRefreshCreds`).
import type { Dispatcher } from 'undici'
import {
  authMethodOf,
  createAuthenticator,
  type Authenticator,
  type RequestCredentials,
} from './credentials/authenticator.js'
import { ClusterError } from './errors.js'
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
  createDispatcher,
  send,
} from './transport.js'
import { RETRY_STATUSES, RetryBudget, parseDuration, waitBeforeRetry } from './with-retry.js'

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
  /** per attempt: connect + headers + body, in ms; default the connection's `requestTimeout`; 0: none */
  timeoutMs?: number
  /** after content decoding; default 256 MiB */
  maxBodyBytes?: number
  /** extra attempts on 429/502/503/504, connection resets and bodies cut short, within the
   * connection's retry budget; default 4 */
  retries?: number
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
  close(): Promise<void>
}

const DEFAULT_TIMEOUT_MS = 60_000
const DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024
const DEFAULT_RETRIES = 4
/** All retries of one connection wait at most this long in total, so a CLI never stalls. */
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
    requestTimeoutMs,
    budget: new RetryBudget({
      maxRetries: DEFAULT_RETRIES,
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
    limits: { requestTimeoutMs: number; budget: RetryBudget },
  ) {
    this.server = config.server
    const url = new URL(config.server)
    this.#origin = url.origin
    this.#prefix = url.pathname.replace(/\/+$/, '')
    this.#requestTimeoutMs = limits.requestTimeoutMs
    this.#budget = limits.budget
    this.#config = config
    this.#secure = secure
    this.#auth = auth
    this.#redactor = redactor
    this.#proxy = proxy
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
    if (this.#proxy !== undefined) {
      d.proxy = redactUrl(this.#proxy.url)
      d.proxySource = this.#proxy.source
    }
    return d
  }

  async request(path: string, options: RequestOptions = {}): Promise<ClusterResponse> {
    const r = this.#redactor
    if (this.#closed)
      throw r.error(
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
      throw r.error(
        'K8S_CODEGEN_CLUSTER_USAGE',
        `request path ${JSON.stringify(path)} must be an absolute API path such as "/openapi/v3" (starting with one "/", no dot segments, spaces, backslashes or fragment)`,
      )
    }
    const url = this.#origin + this.#prefix + path
    const safeUrl = redactUrl(url)
    const retries = options.retries ?? DEFAULT_RETRIES
    const timeoutMs = options.timeoutMs ?? this.#requestTimeoutMs
    const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
    let refreshedAfter401 = false
    for (let attempt = 0; ; attempt++) {
      if (isAborted(options.signal)) throw this.#aborted(safeUrl, options.signal)
      const credentials = await this.#auth.credentials()
      const headers: Record<string, string> = {
        'user-agent': USER_AGENT,
        accept: options.accept ?? 'application/json',
      }
      // Go's transport asks for gzip unless compression is disabled (DisableCompression).
      if (!this.#config.disableCompression) headers['accept-encoding'] = 'gzip'
      if (options.ifNoneMatch !== undefined) headers['if-none-match'] = options.ifNoneMatch
      if (credentials.authorization !== undefined)
        headers['authorization'] = credentials.authorization

      const controller = new AbortController()
      let timedOut = false
      // kubectl --request-timeout=0: no limit.
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              timedOut = true
              controller.abort()
            }, timeoutMs)
          : undefined
      const onAbort = () => controller.abort()
      options.signal?.addEventListener('abort', onAbort, { once: true })
      let outcome: { response: ClusterResponse } | { failure: unknown }
      try {
        const raw = await send({
          dispatcher: this.#dispatcherFor(credentials.clientCertificate),
          url,
          headers,
          signal: controller.signal,
          maxBodyBytes,
          timeoutMs,
        })
        outcome = { response: { ...raw, url: safeUrl } }
      } catch (error) {
        outcome = { failure: error }
      } finally {
        clearTimeout(timer)
        options.signal?.removeEventListener('abort', onAbort)
      }

      if ('failure' in outcome) {
        const error = outcome.failure
        if (isAborted(options.signal)) throw this.#aborted(safeUrl, options.signal)
        if (timedOut)
          throw r.error(
            'K8S_CODEGEN_CLUSTER_TIMEOUT',
            `GET ${safeUrl} did not complete within ${timeoutMs} ms`,
            error,
          )
        if (error instanceof BodyTooLargeError) {
          throw r.error(
            'K8S_CODEGEN_CLUSTER_BODY_TOO_LARGE',
            `GET ${safeUrl}: response body is larger than the limit of ${error.limit} bytes (maxBodyBytes)`,
          )
        }
        if (error instanceof BadEncodingError)
          throw r.error(
            'K8S_CODEGEN_CLUSTER_BAD_RESPONSE',
            `GET ${safeUrl}: ${error.message}`,
            error,
          )
        if (error instanceof BodyIncompleteError) {
          if (await this.#retry(attempt, retries, undefined, options.signal, safeUrl)) continue
          throw r.error(
            'K8S_CODEGEN_CLUSTER_BODY_INCOMPLETE',
            `GET ${safeUrl}: the server answered but the response body ended early in each of ${attempt + 1} attempts, the last after ${error.received} of ${error.expected === undefined ? 'an undeclared number of' : error.expected} bytes (${error.detail})`,
            error,
          )
        }
        const { kind, detail } = classifyFailure(error)
        if (
          kind === 'reset' &&
          (await this.#retry(attempt, retries, undefined, options.signal, safeUrl))
        )
          continue
        throw this.#networkError(kind, detail, safeUrl, error, attempt)
      }

      const response = outcome.response
      if (response.status === 401) {
        if (!refreshedAfter401 && this.#auth.refreshAfterUnauthorized(credentials)) {
          refreshedAfter401 = true
          attempt--
          continue
        }
        throw r.error(
          'K8S_CODEGEN_CLUSTER_UNAUTHORIZED',
          `the API server rejected the credentials of ${userLabel(this.#config)} (auth method ${this.#auth.method}) for GET ${safeUrl}: 401 Unauthorized; check that ${userLabel(this.#config)}${this.#config.userFile === undefined ? '' : ` in ${this.#config.userFile}`} has current credentials, or choose another --context/--user`,
        )
      }
      if (response.status === 403) {
        throw r.error(
          'K8S_CODEGEN_CLUSTER_FORBIDDEN',
          `${userLabel(this.#config)} is not allowed to GET ${safeUrl}: 403 Forbidden; it needs RBAC permission to read this path (nonResourceURLs)`,
        )
      }
      if (
        RETRY_STATUSES.has(response.status) &&
        (await this.#retry(
          attempt,
          retries,
          response.headers['retry-after'],
          options.signal,
          safeUrl,
        ))
      )
        continue
      return response
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const all = [...this.#retired, ...(this.#dispatcher === undefined ? [] : [this.#dispatcher])]
    this.#dispatcher = undefined
    this.#retired.length = 0
    await Promise.all(all.map((d) => d.close()))
  }

  // One dispatcher per connection; rebuilt only when an exec plugin hands out a new client
  // certificate (client-go closes idle connections on rotation too, exec.go `rotateCerts`).
  #dispatcherFor(dynamicCert: RequestCredentials['clientCertificate']): Dispatcher {
    if (this.#dispatcher !== undefined && dynamicCert === this.#dispatcherCert)
      return this.#dispatcher
    if (this.#dispatcher !== undefined) {
      const old = this.#dispatcher
      this.#retired.push(old)
      void old.close().then(() => {
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
  // be retried (its own `retries` reached, or the connection's retry budget spent).
  async #retry(
    attempt: number,
    retries: number,
    retryAfter: string | undefined,
    signal: AbortSignal | undefined,
    url: string,
  ): Promise<boolean> {
    if (attempt >= retries) return false
    const ms = this.#budget.next(attempt, retryAfter)
    if (ms === undefined) return false
    try {
      await waitBeforeRetry(ms, signal)
    } catch {
      throw this.#aborted(url, signal)
    }
    return true
  }

  #aborted(url: string, signal: AbortSignal | undefined): ClusterError {
    // AbortSignal.timeout(): the caller's overall deadline passed, a timeout like any other.
    if ((signal?.reason as { name?: unknown } | undefined)?.name === 'TimeoutError') {
      return this.#redactor.error(
        'K8S_CODEGEN_CLUSTER_TIMEOUT',
        `GET ${url} was stopped: the overall deadline passed`,
        signal?.reason,
      )
    }
    return this.#redactor.error(
      'K8S_CODEGEN_CLUSTER_ABORTED',
      `GET ${url} was aborted by the caller`,
      signal?.reason,
    )
  }

  #networkError(
    kind: ReturnType<typeof classifyFailure>['kind'],
    detail: string,
    url: string,
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
        return r.error(
          'K8S_CODEGEN_CLUSTER_TIMEOUT',
          `GET ${url}${via} timed out (${detail})`,
          cause,
        )
      case 'reset':
      case 'unreachable':
        return r.error(
          'K8S_CODEGEN_CLUSTER_UNREACHABLE',
          `cannot reach the API server ${this.server}${via} for GET ${url}${attempt > 0 ? ` after ${attempt + 1} attempts` : ''} (${detail}); check the server address of context "${this.#config.context ?? '(none)'}" and your network`,
          cause,
        )
    }
  }
}

// A function, so TypeScript does not narrow `aborted` across awaits.
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true
}

function userLabel(config: ResolvedConfig): string {
  return config.user === undefined
    ? config.source === 'in-cluster'
      ? 'the in-cluster service account'
      : 'the user given by flags'
    : `user "${config.user}"`
}
