// Exec credential plugins, reproducing client-go `plugin/pkg/client/auth/exec/exec.go`
// (`Authenticator.refreshCredsLocked`, `interactive`, `maybeRefreshCreds`): the plugin runs with
// the process environment plus `env` plus KUBERNETES_EXEC_INFO, stderr inherited so prompts show,
// stdin only when interactive; its ExecCredential must have the configured apiVersion and carry a
// token or a client certificate + key; it is cached until expirationTimestamp and re-run after a
// 401. The cache belongs to one connection (one user + cluster), never keyed by user name alone.
import type { KubeconfigExec } from '../kubeconfig-types.js'
import type { Redactor } from '../redact.js'

/** What a plugin returned, decoded. */
export interface ExecCredentialResult {
  token?: string
  clientCertificate?: { cert: Uint8Array; key: Uint8Array }
  /** ms since the epoch; undefined: valid until a 401 */
  expiresAt?: number
}

/** The `spec.cluster` a plugin gets when `provideClusterInfo` is true. */
export interface ExecClusterInfo {
  server: string
  'tls-server-name'?: string
  'insecure-skip-tls-verify'?: boolean
  'certificate-authority-data'?: string
  'proxy-url'?: string
  'disable-compression'?: boolean
  /** the cluster's client.authentication.k8s.io/exec extension, or null */
  config: unknown
}

export interface ExecPluginOptions {
  exec: KubeconfigExec
  owner: string
  cluster: ExecClusterInfo
  env: Record<string, string | undefined>
  clock: () => number
  redactor: Redactor
  /** default `process.stdin.isTTY` */
  stdinIsTTY?: boolean | undefined
}

/** Runs one user's exec plugin and caches its credential. */
export class ExecPlugin {
  readonly #options: ExecPluginOptions
  #cached: ExecCredentialResult | undefined
  #pending: Promise<ExecCredentialResult> | undefined

  constructor(options: ExecPluginOptions) {
    this.#options = options
  }

  credential(): Promise<ExecCredentialResult> {
    const cached = this.#cached
    if (
      cached !== undefined &&
      (cached.expiresAt === undefined || this.#options.clock() < cached.expiresAt)
    ) {
      return Promise.resolve(cached)
    }
    this.#pending ??= this.#run().finally(() => {
      this.#pending = undefined
    })
    return this.#pending
  }

  /** After a 401: drop the credential that was used, so the next call re-runs the plugin. */
  invalidate(used: ExecCredentialResult): void {
    if (this.#cached === used) this.#cached = undefined
  }

  async #run(): Promise<ExecCredentialResult> {
    const { exec, owner, redactor } = this.#options
    const interactive = this.#interactive()
    const info: Record<string, unknown> = {
      kind: 'ExecCredential',
      apiVersion: exec.apiVersion,
      spec: { interactive, ...(exec.provideClusterInfo ? { cluster: this.#options.cluster } : {}) },
    }
    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries(this.#options.env)) if (v !== undefined) env[k] = v
    for (const { name, value } of exec.env) env[name] = value
    env['KUBERNETES_EXEC_INFO'] = JSON.stringify(info)

    const what = `exec plugin "${exec.command}" of ${owner}`
    // Loaded with the first plugin run: child_process (with net's and dgram's modules under it)
    // is a few ms of every start of a CLI whose kubeconfig runs no plugin.
    const { spawn } = await import('node:child_process')
    const stdout = await new Promise<Buffer>((resolve, reject) => {
      const child = spawn(exec.command, exec.args, {
        env,
        stdio: [interactive ? 'inherit' : 'ignore', 'pipe', 'inherit'],
        shell: false,
      })
      const chunks: Buffer[] = []
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
      child.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') {
          const hint =
            exec.installHint === undefined || exec.installHint === ''
              ? ''
              : `; ${exec.installHint.trim()}`
          reject(
            redactor.error(
              'K8S_CODEGEN_CLUSTER_EXEC_FAILED',
              `${what}: executable not found${hint}`,
              error,
            ),
          )
        } else {
          reject(
            redactor.error(
              'K8S_CODEGEN_CLUSTER_EXEC_FAILED',
              `${what} could not be started: ${error.message}`,
              error,
            ),
          )
        }
      })
      child.on('close', (code, signal) => {
        if (code === 0) resolve(Buffer.concat(chunks))
        else {
          const how = signal === null ? `exit code ${code ?? 'unknown'}` : `signal ${signal}`
          reject(redactor.error('K8S_CODEGEN_CLUSTER_EXEC_FAILED', `${what} failed with ${how}`))
        }
      })
    })
    const result = this.#decode(stdout, what)
    this.#cached = result
    return result
  }

  #interactive(): boolean {
    const mode = this.#options.exec.interactiveMode ?? 'IfAvailable'
    if (mode === 'Never') return false
    const tty = (this.#options.stdinIsTTY ?? process.stdin.isTTY) === true
    if (!tty && mode === 'Always') {
      throw this.#options.redactor.error(
        'K8S_CODEGEN_CLUSTER_EXEC_FAILED',
        `exec plugin "${this.#options.exec.command}" of ${this.#options.owner} has interactiveMode Always, but standard input is not a terminal`,
      )
    }
    return tty
  }

  #decode(stdout: Buffer, what: string): ExecCredentialResult {
    const { exec, redactor } = this.#options
    const fail = (rule: string) =>
      redactor.error('K8S_CODEGEN_CLUSTER_EXEC_FAILED', `${what} ${rule}`)
    let parsed: unknown
    try {
      parsed = JSON.parse(stdout.toString('utf8'))
    } catch {
      // Never quote the output: it is meant to hold a credential.
      throw fail('did not print an ExecCredential JSON object on stdout')
    }
    if (typeof parsed !== 'object' || parsed === null)
      throw fail('printed JSON that is not an object')
    const cred = parsed as { apiVersion?: unknown; kind?: unknown; status?: unknown }
    if (cred.kind !== 'ExecCredential')
      throw fail(`printed kind ${JSON.stringify(cred.kind)}, want "ExecCredential"`)
    if (cred.apiVersion !== exec.apiVersion) {
      throw fail(
        `is configured for apiVersion ${exec.apiVersion} but returned ${JSON.stringify(cred.apiVersion)}`,
      )
    }
    if (typeof cred.status !== 'object' || cred.status === null)
      throw fail('returned no status field')
    const status = cred.status as Record<string, unknown>
    const token = typeof status['token'] === 'string' ? status['token'] : ''
    const certData =
      typeof status['clientCertificateData'] === 'string' ? status['clientCertificateData'] : ''
    const keyData = typeof status['clientKeyData'] === 'string' ? status['clientKeyData'] : ''
    redactor.add(token)
    redactor.add(keyData)
    if (token === '' && certData === '' && keyData === '')
      throw fail('returned neither a token nor a client certificate and key')
    if ((certData === '') !== (keyData === ''))
      throw fail('returned only one of clientCertificateData and clientKeyData')
    const result: ExecCredentialResult = {}
    if (token !== '') result.token = token
    if (certData !== '') {
      result.clientCertificate = {
        cert: Buffer.from(certData, 'utf8'),
        key: Buffer.from(keyData, 'utf8'),
      }
    }
    const expiry = status['expirationTimestamp']
    if (expiry !== undefined && expiry !== null) {
      const at = typeof expiry === 'string' ? Date.parse(expiry) : Number.NaN
      if (Number.isNaN(at))
        throw fail('returned an expirationTimestamp that is not an RFC 3339 time')
      result.expiresAt = at
    }
    return result
  }
}
