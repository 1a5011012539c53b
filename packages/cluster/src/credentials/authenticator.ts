// Chooses how requests authenticate, with client-go's precedence (`rest/transport.go`
// `HTTPWrappersForConfig`, exec.go `UpdateTransportConfig`): a token (static or from tokenFile)
// or basic credentials are used as given; a configured client certificate is always presented;
// an exec plugin runs only when none of those is set; an auth-provider adds its token last.
import type { AuthMethod, ResolvedConfig } from '../resolve.js'
import type { Redactor } from '../redact.js'
import { basicAuthorization } from './basic.js'
import { ExecPlugin, type ExecClusterInfo, type ExecCredentialResult } from './exec-plugin.js'
import { authProviderToken } from './oidc.js'
import { FileTokenSource } from './token-file.js'

/** What one request presents. */
export interface RequestCredentials {
  authorization?: string
  /** a certificate that changes over time (exec plugins); static ones live in the transport */
  clientCertificate?: { cert: Uint8Array; key: Uint8Array }
  /** the exec credential this came from, so a 401 can invalidate exactly it */
  exec?: ExecCredentialResult
}

/** Produces credentials for requests and reacts to 401s. */
export interface Authenticator {
  readonly method: AuthMethod
  credentials(): Promise<RequestCredentials>
  /** After a 401: true when fresh credentials were obtained and one retry makes sense. */
  refreshAfterUnauthorized(used: RequestCredentials): boolean
}

export interface AuthenticatorOptions {
  config: ResolvedConfig
  /** false: plain http, credentials are never attached */
  secure: boolean
  env: Record<string, string | undefined>
  clock: () => number
  redactor: Redactor
  onWarning?: ((message: string) => void) | undefined
  stdinIsTTY?: boolean | undefined
}

/** The method `describe()` reports for a resolved config. */
export function authMethodOf(config: ResolvedConfig, secure: boolean): AuthMethod {
  const c = config.credentials
  if (!secure) return 'none'
  if (c.tokenFile !== undefined) return 'tokenFile'
  if (c.token !== undefined) return 'token'
  if (c.basic !== undefined) return 'basic'
  if (c.authProvider !== undefined) return 'oidc'
  if (c.clientCertificate !== undefined) return 'clientCert'
  if (c.exec !== undefined) return 'exec'
  return 'none'
}

/** Builds the authenticator for a resolved config; registers every static secret for redaction. */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { config, redactor } = options
  const c = config.credentials
  const owner = config.user === undefined ? 'the user given by flags' : `user "${config.user}"`
  redactor.add(c.token)
  redactor.add(c.basic?.password)
  if (c.clientCertificate !== undefined)
    redactor.add(Buffer.from(c.clientCertificate.key).toString('utf8'))
  if (c.authProvider !== undefined) {
    for (const [key, value] of Object.entries(c.authProvider.config)) {
      if (/token|secret/i.test(key)) redactor.add(value)
    }
  }
  const method = authMethodOf(config, options.secure)
  const none: Authenticator = {
    method,
    credentials: () => Promise.resolve({}),
    refreshAfterUnauthorized: () => false,
  }
  if (!options.secure) return none

  let bearer: (() => Promise<string>) | undefined
  if (c.tokenFile !== undefined) {
    const source = new FileTokenSource({
      file: c.tokenFile,
      fallback: c.token,
      owner,
      clock: options.clock,
      redactor,
      onWarning: options.onWarning,
    })
    bearer = () => source.token()
  } else if (c.token !== undefined) {
    const token = c.token
    bearer = () => Promise.resolve(token)
  }
  const staticAuthorization =
    c.basic !== undefined ? basicAuthorization(c.basic.username, c.basic.password) : undefined
  const providerToken =
    c.authProvider === undefined ? undefined : authProviderToken(c.authProvider, owner)

  if (
    bearer !== undefined ||
    staticAuthorization !== undefined ||
    c.clientCertificate !== undefined ||
    c.exec === undefined
  ) {
    return {
      method,
      async credentials() {
        if (bearer !== undefined) return { authorization: `Bearer ${await bearer()}` }
        if (staticAuthorization !== undefined) return { authorization: staticAuthorization }
        if (providerToken !== undefined) return { authorization: `Bearer ${providerToken}` }
        return {}
      },
      refreshAfterUnauthorized: () => false,
    }
  }

  const plugin = new ExecPlugin({
    exec: c.exec,
    owner,
    cluster: execClusterInfo(config),
    env: options.env,
    clock: options.clock,
    redactor,
    stdinIsTTY: options.stdinIsTTY,
  })
  return {
    method,
    async credentials() {
      const result = await plugin.credential()
      const out: RequestCredentials = { exec: result }
      if (result.token !== undefined) out.authorization = `Bearer ${result.token}`
      if (result.clientCertificate !== undefined) out.clientCertificate = result.clientCertificate
      return out
    },
    refreshAfterUnauthorized(used) {
      if (used.exec === undefined) return false
      plugin.invalidate(used.exec)
      return true
    },
  }
}

// exec.go: the ExecCredential spec.cluster built from the rest.Config (clientauthentication.Cluster).
// Like kubectl, `config` is always present: Go marshals an empty runtime.RawExtension as null.
function execClusterInfo(config: ResolvedConfig): ExecClusterInfo {
  const info: ExecClusterInfo = { server: config.server, config: config.execExtension ?? null }
  if (config.tlsServerName !== undefined) info['tls-server-name'] = config.tlsServerName
  if (config.insecureSkipTlsVerify) info['insecure-skip-tls-verify'] = true
  if (config.ca !== undefined)
    info['certificate-authority-data'] = Buffer.from(config.ca.pem).toString('base64')
  if (config.proxyUrl !== undefined) info['proxy-url'] = config.proxyUrl
  if (config.disableCompression) info['disable-compression'] = true
  return info
}
