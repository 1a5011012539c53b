// From options to a resolved, not yet connected configuration — the part of
// client-go `tools/clientcmd/merged_client_builder.go` (`DeferredLoadingClientConfig.ClientConfig`)
// that decides between kubeconfig and in-cluster, then `DirectClientConfig.ClientConfig`.
import { readFile } from 'node:fs/promises'
import { createSecureContext } from 'node:tls'
import { detectInCluster, SERVICE_ACCOUNT_DIR, type InClusterConfig } from './in-cluster.js'
import { ClusterError } from './errors.js'
import { impersonationOf, type Impersonation } from './impersonation.js'
import type { RequestLogEntry } from './request-log.js'
import { kubeconfigCandidates, loadKubeconfig } from './kubeconfig-load.js'
import type { KubeconfigAuthProvider, KubeconfigExec } from './kubeconfig-types.js'
import { isServerUrl, validateSelection } from './kubeconfig-validate.js'
import {
  applyClusterOverrides,
  describeFiles,
  selectEntries,
  type ConnectionOverrides,
} from './overrides.js'

/**
 * Options of {@link loadConnection} and {@link resolveKubeconfig}: kubectl's flags plus the
 * environment to read, so tests and embedders never depend on the process.
 *
 * @example
 * const options: LoadConnectionOptions = { kubeconfig: './kubeconfig.yaml', context: 'kind-dev', onWarning: console.warn }
 */
export interface LoadConnectionOptions extends ConnectionOverrides {
  /** like `--kubeconfig`: only this file is read, and it must exist */
  kubeconfig?: string
  /** default `process.env` (KUBECONFIG, HOME, KUBERNETES_SERVICE_*, POD_NAMESPACE, proxies) */
  env?: Record<string, string | undefined>
  /** default `env.HOME`, else `os.homedir()`; `~/.kube/config` is read from here */
  homeDir?: string
  /** default `/var/run/secrets/kubernetes.io/serviceaccount` */
  inClusterDir?: string
  /** the library never prints; warnings (insecure TLS, missing files) come here */
  onWarning?: (message: string) => void
  /** milliseconds since the epoch; default `Date.now` (token-file re-reads, exec expiry) */
  clock?: () => number
  /**
   * Limit of one request (connect, headers and body): kubectl's `--request-timeout` as written
   * (`30s`, `2m`, a bare number of seconds; `0` means none); default 60 s. A request's own
   * `timeoutMs` wins.
   */
  requestTimeout?: string
  /**
   * Total time all requests of the connection may back off between retries when the server sent
   * no Retry-After; default 30 000 ms. A server's Retry-After is waited in full (client-go
   * `rest/with_retry.go`), bounded by the request's retries and the caller's signal.
   */
  retryBudgetMs?: number
  /** Every request sent and every response (or failure), credentials masked: kubectl's `-v 6`+. */
  onRequestLog?: (entry: RequestLogEntry) => void
}

/**
 * How the server's certificate is verified: a CA file or inline data from the kubeconfig, the
 * pod's service account CA, the system roots, or not at all.
 *
 * @example
 * const source: CaSource = connection.describe().caSource // 'data'
 */
export type CaSource = 'file' | 'data' | 'in-cluster' | 'system' | 'insecure'

/**
 * How requests authenticate (`none` also for plain-http loopback servers, which never get
 * credentials).
 *
 * @example
 * if (connection.describe().authMethod === 'exec') console.warn('running a credential plugin')
 */
export type AuthMethod = 'token' | 'tokenFile' | 'clientCert' | 'exec' | 'basic' | 'oidc' | 'none'

/**
 * Credentials of the chosen user, after overrides, with certificate files read. Holds secrets.
 *
 * @example
 * const { credentials } = await resolveKubeconfig({ context: 'dev' })
 * credentials.tokenFile // '/home/me/.kube/token' (read at most every 50 s once connected)
 */
export interface ResolvedCredentials {
  token?: string
  tokenFile?: string
  clientCertificate?: { cert: Uint8Array; key: Uint8Array; certFile?: string; keyFile?: string }
  basic?: { username: string; password: string }
  exec?: KubeconfigExec
  authProvider?: KubeconfigAuthProvider
}

/**
 * Everything a connection is built from. Holds secrets: never print it; print
 * `Connection.describe()` instead.
 *
 * @example
 * const config: ResolvedConfig = await resolveKubeconfig({ kubeconfig: 'kubeconfig.yaml' })
 * `${config.context} → ${config.server} (${config.namespace})`
 */
export interface ResolvedConfig {
  source: 'kubeconfig' | 'in-cluster'
  kubeconfigFiles: string[]
  context?: string
  contextFile?: string
  cluster?: string
  clusterFile?: string
  user?: string
  userFile?: string
  namespace: string
  server: string
  tlsServerName?: string
  insecureSkipTlsVerify: boolean
  ca?: { source: Exclude<CaSource, 'system' | 'insecure'>; file?: string; pem: Uint8Array }
  proxyUrl?: string
  disableCompression: boolean
  /** `extensions[client.authentication.k8s.io/exec]` of the cluster, for provideClusterInfo */
  execExtension?: unknown
  credentials: ResolvedCredentials
  /** `--as`, `--as-uid`, `--as-group` */
  impersonate?: Impersonation
}

/**
 * Resolves options exactly as kubectl would — sources, merge, overrides, validation, in-cluster —
 * and reads the CA / client certificate files, without connecting.
 *
 * @example
 * const config = await resolveKubeconfig({ kubeconfig: 'kubeconfig.yaml', context: 'dev' })
 * config.server // 'https://127.0.0.1:6443'
 */
export async function resolveKubeconfig(
  options: LoadConnectionOptions = {},
): Promise<ResolvedConfig> {
  const impersonate = impersonationOf(options)
  const resolved = await resolveSources(options)
  if (impersonate !== undefined) resolved.impersonate = impersonate
  return resolved
}

async function resolveSources(options: LoadConnectionOptions): Promise<ResolvedConfig> {
  const env = options.env ?? process.env
  const merged = await loadKubeconfig({
    kubeconfig: options.kubeconfig,
    env,
    homeDir: options.homeDir,
    onWarning: options.onWarning,
  })
  const empty =
    merged.clusters.size === 0 &&
    merged.users.size === 0 &&
    merged.contexts.size === 0 &&
    merged.currentContext === undefined
  const flagsNameEntries = [options.context, options.cluster, options.user].some(
    (v) => v !== undefined && v !== '',
  )
  if (empty && (options.server === undefined || options.server === '') && !flagsNameEntries) {
    const inCluster = await detectInCluster(
      env,
      options.inClusterDir ?? SERVICE_ACCOUNT_DIR,
      options.onWarning,
    )
    if (inCluster !== undefined) return resolveInCluster(inCluster, options, merged.files)
    const { paths, origin } = kubeconfigCandidates({
      kubeconfig: options.kubeconfig,
      env,
      homeDir: options.homeDir,
    })
    const looked = origin === 'env' ? `KUBECONFIG (${paths.join(', ')})` : paths.join(', ')
    throw new ClusterError(
      'K8S_CODEGEN_CLUSTER_CONFIG_NOT_FOUND',
      `no cluster configuration found: ${merged.files.length === 0 ? `no kubeconfig at ${looked}` : `${describeFiles(merged.files)} defines no contexts, clusters or users`}, and not running in a pod (KUBERNETES_SERVICE_HOST/PORT and the service account token are absent); pass --kubeconfig, --context or --server`,
    )
  }

  const selection = selectEntries(merged, options)
  const cluster = selection.cluster
  if (cluster.server !== undefined) cluster.server = defaultServerScheme(cluster.server, selection)
  validateSelection(selection)

  const resolved: ResolvedConfig = {
    source: 'kubeconfig',
    kubeconfigFiles: merged.files,
    namespace: selection.namespace,
    server: normalizeServer(cluster.server ?? ''),
    insecureSkipTlsVerify: cluster.insecureSkipTlsVerify === true,
    disableCompression: cluster.disableCompression === true,
    credentials: {},
  }
  if (selection.context !== undefined) {
    resolved.context = selection.context.name
    resolved.contextFile = selection.context.file
  }
  if (selection.clusterName !== undefined) resolved.cluster = selection.clusterName
  if (selection.clusterFile !== undefined) resolved.clusterFile = selection.clusterFile
  if (selection.userName !== undefined) resolved.user = selection.userName
  if (selection.userFile !== undefined) resolved.userFile = selection.userFile
  if (cluster.tlsServerName !== undefined && cluster.tlsServerName !== '')
    resolved.tlsServerName = cluster.tlsServerName
  if (cluster.proxyUrl !== undefined && cluster.proxyUrl !== '')
    resolved.proxyUrl = cluster.proxyUrl
  if (cluster.execExtension !== undefined) resolved.execExtension = cluster.execExtension

  const clusterLabel = `cluster "${selection.clusterName ?? '(flags)'}"`
  if (cluster.certificateAuthorityData !== undefined) {
    resolved.ca = { source: 'data', pem: cluster.certificateAuthorityData }
  } else if (cluster.certificateAuthority !== undefined && cluster.certificateAuthority !== '') {
    const file = cluster.certificateAuthority
    resolved.ca = {
      source: 'file',
      file,
      pem: await readReferenced(file, `certificate-authority of ${clusterLabel}`),
    }
  }

  const user = selection.user
  const userLabel = `user "${selection.userName ?? '(flags)'}"`
  const credentials = resolved.credentials
  if (user.token !== undefined && user.token !== '') credentials.token = user.token
  if (user.tokenFile !== undefined && user.tokenFile !== '') credentials.tokenFile = user.tokenFile
  if (user.username !== undefined || user.password !== undefined) {
    if ((user.username ?? '') !== '' || (user.password ?? '') !== '') {
      credentials.basic = { username: user.username ?? '', password: user.password ?? '' }
    }
  }
  const hasCert = (user.clientCertificate ?? '') !== '' || user.clientCertificateData !== undefined
  if (hasCert) {
    const certFile = user.clientCertificate
    const keyFile = user.clientKey
    const cert =
      user.clientCertificateData ??
      (await readReferenced(certFile ?? '', `client-certificate of ${userLabel}`))
    const key =
      user.clientKeyData ?? (await readReferenced(keyFile ?? '', `client-key of ${userLabel}`))
    credentials.clientCertificate = { cert, key }
    if (user.clientCertificateData === undefined && certFile !== undefined)
      credentials.clientCertificate.certFile = certFile
    if (user.clientKeyData === undefined && keyFile !== undefined)
      credentials.clientCertificate.keyFile = keyFile
  }
  if (user.exec !== undefined) credentials.exec = user.exec
  if (user.authProvider !== undefined) credentials.authProvider = user.authProvider
  checkPem(
    resolved,
    `${clusterLabel}${where(selection.clusterFile)}`,
    `${userLabel}${where(selection.userFile)}`,
  )
  return resolved
}

const where = (file: string | undefined) => (file === undefined ? '' : ` in ${file}`)

// transport.TLSConfigFor / tls.X509KeyPair fail while building the client in kubectl; we check
// the same material up front so the error names the field instead of surfacing at connect time.
// OpenSSL's messages name the problem, never the key bytes.
function checkPem(config: ResolvedConfig, clusterLabel: string, userLabel: string): void {
  if (config.ca !== undefined) {
    const pem = Buffer.from(config.ca.pem).toString('utf8')
    try {
      if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no PEM certificate found')
      createSecureContext({ ca: pem })
    } catch (error) {
      const field =
        config.ca.source === 'data'
          ? 'certificate-authority-data'
          : `certificate-authority (${config.ca.file ?? ''})`
      throw new ClusterError(
        'K8S_CODEGEN_CLUSTER_CONFIG_INVALID',
        `invalid kubeconfig: ${clusterLabel}: field ${field} does not hold a PEM certificate (${(error as Error).message})`,
      )
    }
  }
  const pair = config.credentials.clientCertificate
  if (pair !== undefined) {
    try {
      createSecureContext({
        cert: Buffer.from(pair.cert).toString('utf8'),
        key: Buffer.from(pair.key).toString('utf8'),
      })
    } catch (error) {
      throw new ClusterError(
        'K8S_CODEGEN_CLUSTER_CONFIG_INVALID',
        `invalid kubeconfig: ${userLabel}: client-certificate and client-key do not form a usable PEM certificate/key pair (${(error as Error).message.split('\n')[0] ?? ''})`,
      )
    }
  }
}

async function resolveInCluster(
  inCluster: InClusterConfig,
  options: LoadConnectionOptions,
  files: string[],
): Promise<ResolvedConfig> {
  // inClusterClientConfig.ClientConfig applies the token, CA, insecure, server and namespace flags.
  const cluster = applyClusterOverrides(
    {
      server: inCluster.server,
      ...(inCluster.caFile === undefined ? {} : { certificateAuthority: inCluster.caFile }),
    },
    options,
  )
  const resolved: ResolvedConfig = {
    source: 'in-cluster',
    kubeconfigFiles: files,
    namespace:
      options.namespace !== undefined && options.namespace !== ''
        ? options.namespace
        : inCluster.namespace,
    server: normalizeServer(cluster.server ?? inCluster.server),
    insecureSkipTlsVerify: cluster.insecureSkipTlsVerify === true,
    disableCompression: false,
    credentials:
      options.token !== undefined && options.token !== ''
        ? { token: options.token }
        : { tokenFile: inCluster.tokenFile },
  }
  if (cluster.tlsServerName !== undefined) resolved.tlsServerName = cluster.tlsServerName
  if (cluster.certificateAuthority !== undefined) {
    const file = cluster.certificateAuthority
    resolved.ca = {
      source: file === inCluster.caFile ? 'in-cluster' : 'file',
      file,
      pem: await readReferenced(file, 'the in-cluster certificate authority'),
    }
  }
  return resolved
}

// rest.DefaultServerURL: a server without a scheme gets https:// when TLS is configured, else http://.
function defaultServerScheme(server: string, selection: ReturnType<typeof selectEntries>): string {
  if (server === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(server)) return server
  const c = selection.cluster
  const u = selection.user
  const tls =
    c.certificateAuthorityData !== undefined ||
    (c.certificateAuthority ?? '') !== '' ||
    c.insecureSkipTlsVerify === true ||
    u.clientCertificateData !== undefined ||
    (u.clientCertificate ?? '') !== ''
  return `${tls ? 'https' : 'http'}://${server}`
}

// client_config.go drops query and fragment from a server URL with a path; we also drop the
// trailing slash so `server + path` never has '//'. Otherwise the server stays as written.
function normalizeServer(server: string): string {
  if (!isServerUrl(server)) return server
  return server.replace(/[?#].*$/s, '').replace(/\/+$/, '')
}

async function readReferenced(file: string, what: string): Promise<Uint8Array> {
  try {
    return await readFile(file)
  } catch (error) {
    throw new ClusterError(
      'K8S_CODEGEN_CLUSTER_CONFIG_FILE_UNREADABLE',
      `cannot read ${what} from ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { cause: error },
    )
  }
}
