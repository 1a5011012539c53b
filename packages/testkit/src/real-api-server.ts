import { spawn, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request as httpsRequest } from 'node:https'
import { request as httpRequest } from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isJsonObject, type JsonObject } from './_json.js'
import type { ApiServer } from './api-server.js'
import { renderKubeconfig } from './auth.js'
import { generateCertificates } from './certificates.js'
import { loadCrdFiles } from './crd-documents.js'
import { TestkitError } from './errors.js'

// A real kube-apiserver for tests, started the way controller-runtime's envtest starts one
// (`pkg/internal/testing/controlplane/apiserver.go` defaultArgs, `etcd.go` defaultArgs): etcd
// and kube-apiserver binaries from `KUBEBUILDER_ASSETS`, or this repository's
// `test/apiserver` binary (kube-apiserver with etcd embedded).

/**
 * The members of the emulator's {@link ApiServer} a real kube-apiserver cannot offer: the
 * request log, fault injection, document replacement, watch cutting and pod logs are the
 * emulator's own test hooks.
 *
 * @example
 * const absent: EmulatorOnlyMember = 'injectFault'
 */
export type EmulatorOnlyMember =
  | 'requests'
  | 'clearRequests'
  | 'hashOf'
  | 'setGroupVersion'
  | 'removeGroupVersion'
  | 'markUnavailable'
  | 'injectFault'
  | 'compact'
  | 'dropWatches'
  | 'openWatches'
  | 'appendPodLog'
  | 'restartPodContainer'

/**
 * Which binaries run a {@link RealApiServer}: envtest's pair, or the repository's
 * kube-apiserver with etcd embedded (`npm run apiserver:build`).
 *
 * @example
 * const backend: RealApiServerBackend = { kind: 'embedded-etcd', binary: '/repo/test/apiserver/bin/k8s-codegen-apiserver' }
 */
export type RealApiServerBackend =
  | { kind: 'envtest'; kubeApiserver: string; etcd: string }
  | { kind: 'embedded-etcd'; binary: string }

/**
 * A running real kube-apiserver: the emulator's {@link ApiServer} without the
 * {@link EmulatorOnlyMember}s. Authentication is the bearer `token` (a static token of a
 * `system:masters` user) or `clientCert`; authorization is AlwaysAllow.
 *
 * @example
 * const server: RealApiServer = await startRealApiServer()
 * const kubeconfig = await server.kubeconfig()
 * await server.close()
 */
export interface RealApiServer extends Omit<
  ApiServer,
  EmulatorOnlyMember | 'token' | 'clientCert'
> {
  token: string
  clientCert: { certPem: string; keyPem: string }
  backend: RealApiServerBackend
  /** The process ids serving: kube-apiserver's, then etcd's under envtest's binaries. */
  pids: readonly number[]
  /**
   * Creates the CustomResourceDefinitions of these files or directories and resolves once each
   * is Established and published in `/openapi/v3` and `/openapi/v2` (envtest's `InstallCRDs`).
   */
  installCrds(paths: readonly string[], options?: { timeoutMs?: number }): Promise<void>
}

/**
 * Options of {@link startRealApiServer}.
 *
 * @example
 * const options: StartRealApiServerOptions = { crds: ['config/crd/bases'], timeoutMs: 180_000 }
 */
export interface StartRealApiServerOptions {
  /**
   * CustomResourceDefinition files or directories (as the emulator's `crds`), created once the
   * server is ready; `startRealApiServer` returns when each is Established and its served
   * versions are published in `/openapi/v3` and `/openapi/v2`.
   */
  crds?: readonly string[]
  /** Extra kube-apiserver flags, after (so winning over) the defaults. */
  args?: readonly string[]
  /** How long starting (and installing the CRDs) may take. Default 180000 ms. */
  timeoutMs?: number
  /** Where the binaries are looked up. Default `process.env`. */
  env?: NodeJS.ProcessEnv
}

const REPO_BINARY = fileURLToPath(
  new URL('../../../test/apiserver/bin/k8s-codegen-apiserver', import.meta.url),
)
const DEFAULT_ASSETS = '/usr/local/kubebuilder/bin'

/**
 * Where {@link startRealApiServer} finds its binaries, in envtest's order
 * (controller-runtime `pkg/internal/testing/process/bin_path_finder.go`, `pkg/envtest`):
 * `TEST_ASSET_KUBE_APISERVER` and `TEST_ASSET_ETCD`, else the `kube-apiserver` and `etcd` of
 * `KUBEBUILDER_ASSETS`; else `K8S_CODEGEN_APISERVER_BIN`; else the pair in
 * `/usr/local/kubebuilder/bin` or this repository's `test/apiserver/bin/k8s-codegen-apiserver`
 * when they exist. A path named by a variable is returned as it is (starting it reports a
 * missing file); undefined when nothing is named or found.
 *
 * @example
 * const backend = findRealApiServer()
 * if (backend === undefined) console.log('no kube-apiserver: run npm run apiserver:build')
 */
export function findRealApiServer(
  env: NodeJS.ProcessEnv = process.env,
): RealApiServerBackend | undefined {
  const assetApiserver = env['TEST_ASSET_KUBE_APISERVER']
  const assetEtcd = env['TEST_ASSET_ETCD']
  if (assetApiserver !== undefined && assetEtcd !== undefined) {
    return { kind: 'envtest', kubeApiserver: assetApiserver, etcd: assetEtcd }
  }
  const assets = env['KUBEBUILDER_ASSETS']
  if (assets !== undefined && assets !== '') {
    return {
      kind: 'envtest',
      kubeApiserver: join(assets, 'kube-apiserver'),
      etcd: join(assets, 'etcd'),
    }
  }
  const own = env['K8S_CODEGEN_APISERVER_BIN']
  if (own !== undefined && own !== '') return { kind: 'embedded-etcd', binary: own }
  const kubeApiserver = join(DEFAULT_ASSETS, 'kube-apiserver')
  const etcd = join(DEFAULT_ASSETS, 'etcd')
  if (existsSync(kubeApiserver) && existsSync(etcd)) return { kind: 'envtest', kubeApiserver, etcd }
  return existsSync(REPO_BINARY) ? { kind: 'embedded-etcd', binary: REPO_BINARY } : undefined
}

function absent(message: string): TestkitError {
  return new TestkitError('K8S_CODEGEN_TESTKIT_REAL_APISERVER_ABSENT', message)
}

function freePort(): Promise<number> {
  // envtest's addr.Suggest: bind port 0, read the port, release it for the child.
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** A child process whose last lines of output are kept for an error message. */
class Child {
  readonly process: ChildProcess
  readonly exited: Promise<number | null>
  private readonly tail: string[] = []

  constructor(
    readonly name: string,
    command: string,
    args: readonly string[],
  ) {
    // stdin stays an open pipe: the embedded-etcd binary stops when it closes, i.e. when this
    // process goes away without calling close().
    this.process = spawn(command, args, { stdio: ['pipe', 'ignore', 'pipe'] })
    this.exited = new Promise((resolve) => {
      this.process.on('exit', (code) => resolve(code))
      this.process.on('error', (error) => {
        this.tail.push(error.message)
        resolve(null)
      })
    })
    this.process.stderr?.setEncoding('utf8')
    this.process.stderr?.on('data', (chunk: string) => {
      this.tail.push(...chunk.split('\n').filter((line) => line !== ''))
      this.tail.splice(0, Math.max(0, this.tail.length - 20))
    })
  }

  get output(): string {
    return this.tail.join('\n')
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null
  }

  async stop(): Promise<void> {
    if (!this.running) return
    this.process.kill('SIGTERM')
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 15_000)
    await this.exited
    clearTimeout(timer)
  }
}

interface Answer {
  status: number
  body: string
}

function failed(message: string, child?: Child, cause?: unknown): TestkitError {
  const output = child === undefined || child.output === '' ? '' : `\n${child.output}`
  return new TestkitError(
    'K8S_CODEGEN_TESTKIT_REAL_APISERVER_FAILED',
    `${message}${output}`,
    cause === undefined ? undefined : { cause },
  )
}

async function until<T>(
  what: string,
  deadline: number,
  child: Child,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  for (;;) {
    if (!child.running) {
      throw failed(`${child.name} exited (code ${String(child.process.exitCode)}) ${what}`, child)
    }
    const value = await probe().catch(() => undefined)
    if (value !== undefined) return value
    if (Date.now() > deadline) throw failed(`${child.name}: timed out ${what}`, child)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

function plainGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })
}

async function startEtcd(
  binary: string,
  dir: string,
  deadline: number,
): Promise<{ child: Child; url: string }> {
  const client = `http://127.0.0.1:${await freePort()}`
  const peer = `http://127.0.0.1:${await freePort()}`
  const child = new Child('etcd', binary, [
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    '--unsafe-no-fsync=true',
  ])
  try {
    // etcd serves /health since 3.3 (envtest's health check).
    await until('before /health answered 200', deadline, child, async () =>
      (await plainGet(`${client}/health`)) === 200 ? true : undefined,
    )
  } catch (error) {
    await child.stop()
    throw error
  }
  return { child, url: client }
}

/**
 * Starts a real kube-apiserver on 127.0.0.1 (a random port, TLS with a fresh CA, a static
 * token, AlwaysAllow) with etcd in a temporary directory, waits for `/readyz`, installs
 * `crds` and waits until they are Established and published in `/openapi/v3` and
 * `/openapi/v2`. Binaries are found by {@link findRealApiServer}; none throws
 * `K8S_CODEGEN_TESTKIT_REAL_APISERVER_ABSENT`. Close it with `close()`.
 *
 * @example
 * const server = await startRealApiServer({ crds: ['config/crd/bases'] })
 * try {
 *   const kubeconfig = await server.kubeconfig()
 *   // … run the code under test against `kubeconfig`
 * } finally {
 *   await server.close()
 * }
 */
export async function startRealApiServer(
  options: StartRealApiServerOptions = {},
): Promise<RealApiServer> {
  const backend = findRealApiServer(options.env)
  if (backend === undefined) {
    throw absent(
      `no kube-apiserver found: set KUBEBUILDER_ASSETS to a directory holding kube-apiserver and etcd (envtest's binaries), or K8S_CODEGEN_APISERVER_BIN to a k8s-codegen-apiserver binary, or build ${REPO_BINARY} with \`npm run apiserver:build\` (needs Go)`,
    )
  }
  const binaries =
    backend.kind === 'envtest' ? [backend.kubeApiserver, backend.etcd] : [backend.binary]
  const missing = binaries.find((path) => !existsSync(path))
  if (missing !== undefined) {
    throw absent(
      `${missing} does not exist (named by TEST_ASSET_KUBE_APISERVER/TEST_ASSET_ETCD, KUBEBUILDER_ASSETS or K8S_CODEGEN_APISERVER_BIN)`,
    )
  }
  const crds = loadCrdFiles(options.crds ?? [])
  const timeoutMs = options.timeoutMs ?? 180_000
  const deadline = Date.now() + timeoutMs
  const dir = mkdtempSync(join(tmpdir(), 'k8s-codegen-real-apiserver-'))
  const children: Child[] = []
  const killAll = (): void => {
    for (const child of children) if (child.running) child.process.kill('SIGKILL')
  }
  process.on('exit', killAll)
  const stop = async (): Promise<void> => {
    process.off('exit', killAll)
    // kube-apiserver first: it drains its requests while etcd still answers.
    for (const child of [...children].reverse()) await child.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    const certificates = await generateCertificates()
    const token = randomBytes(32).toString('base64url')
    const serviceAccount = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    const files = {
      'serving.crt': certificates.server.certPem,
      'serving.key': certificates.server.keyPem,
      'ca.crt': certificates.ca.certPem,
      // What apiserver's keyutil reads: a public key file, and a SEC1 signing key.
      'sa.pub': serviceAccount.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      'sa.key': serviceAccount.privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
      // Static token file rows: token,user,uid,"groups" (apiserver
      // pkg/authentication/token/tokenfile).
      'tokens.csv': `${token},admin,admin,system:masters\n`,
    }
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(dir, name), content, { mode: 0o600 })
    }
    const flags = (port: number): string[] => [
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${port}`,
      `--cert-dir=${dir}`,
      `--tls-cert-file=${join(dir, 'serving.crt')}`,
      `--tls-private-key-file=${join(dir, 'serving.key')}`,
      `--client-ca-file=${join(dir, 'ca.crt')}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`,
      '--authorization-mode=AlwaysAllow',
      `--service-account-issuer=https://127.0.0.1:${port}/`,
      `--service-account-key-file=${join(dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--allow-privileged=true',
      // envtest's reason: no controller-manager creates the default ServiceAccount.
      '--disable-admission-plugins=ServiceAccount',
    ]
    let launch: (port: number) => Child
    if (backend.kind === 'envtest') {
      const etcd = await startEtcd(backend.etcd, dir, deadline)
      children.push(etcd.child)
      launch = (port) =>
        new Child('kube-apiserver', backend.kubeApiserver, [
          ...flags(port),
          `--etcd-servers=${etcd.url}`,
          ...(options.args ?? []),
        ])
    } else {
      launch = (port) =>
        new Child('k8s-codegen-apiserver', backend.binary, [
          ...flags(port),
          ...(options.args ?? []),
        ])
    }

    let url = ''
    const agent = new Agent({
      ca: certificates.ca.certPem,
      keepAlive: true,
      maxSockets: 8,
    })
    const call = (method: string, path: string, body?: unknown): Promise<Answer> =>
      new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body)
        const req = httpsRequest(
          `${url}${path}`,
          {
            method,
            agent,
            headers: {
              authorization: `Bearer ${token}`,
              accept: 'application/json',
              ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
            },
          },
          (res) => {
            const chunks: Buffer[] = []
            res.on('data', (chunk: Buffer) => chunks.push(chunk))
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
            )
          },
        )
        req.on('error', reject)
        req.end(payload)
      })
    const closeAll = async (): Promise<void> => {
      agent.destroy()
      await stop()
    }

    let apiserver: Child | undefined
    try {
      // The port is free when chosen but another process (the embedded etcd's own random
      // ports among them) may take it before kube-apiserver binds it: then try another.
      for (let attempt = 1; apiserver === undefined; attempt++) {
        const port = await freePort()
        url = `https://127.0.0.1:${port}`
        const child = launch(port)
        children.push(child)
        try {
          await until('before /readyz answered 200', deadline, child, async () =>
            (await call('GET', '/readyz')).status === 200 ? true : undefined,
          )
          apiserver = child
        } catch (error) {
          if (attempt === 3 || child.running || !child.output.includes('address already in use')) {
            throw error
          }
          children.pop()
        }
      }
      await installCrds(crds, call, deadline, apiserver)
    } catch (error) {
      await closeAll()
      throw error
    }

    const tempDirs: string[] = []
    return {
      url,
      caPem: certificates.ca.certPem,
      token,
      clientCert: { ...certificates.client },
      backend,
      pids: [...children]
        .reverse()
        .map((child) => child.process.pid)
        .filter((pid) => pid !== undefined),
      installCrds(paths, installOptions) {
        return installCrds(
          loadCrdFiles(paths),
          call,
          Date.now() + (installOptions?.timeoutMs ?? timeoutMs),
          apiserver,
        )
      },
      kubeconfig(path, kubeconfigOptions) {
        const mode = kubeconfigOptions?.auth ?? 'token'
        let target = path
        if (target === undefined) {
          const tempDir = mkdtempSync(join(tmpdir(), 'k8s-codegen-real-apiserver-kubeconfig-'))
          tempDirs.push(tempDir)
          target = join(tempDir, 'kubeconfig')
        }
        try {
          writeFileSync(
            target,
            renderKubeconfig(url, certificates.ca.certPem, mode, token, certificates.client),
            { mode: 0o600 },
          )
        } catch (error) {
          return Promise.reject(
            new TestkitError(
              'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
              `kubeconfig path ${target} cannot be written: ${(error as Error).message}`,
              { cause: error },
            ),
          )
        }
        return Promise.resolve(target)
      },
      async close() {
        await closeAll()
        for (const tempDir of tempDirs.splice(0)) rmSync(tempDir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await stop()
    if (error instanceof TestkitError) throw error
    throw failed('could not start', undefined, error)
  }
}

/** The served group-versions of the CRDs, each with the kinds (and their plurals) it serves. */
function servedKinds(crds: readonly JsonObject[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>()
  for (const crd of crds) {
    const spec = isJsonObject(crd['spec']) ? crd['spec'] : {}
    const names = isJsonObject(spec['names']) ? spec['names'] : {}
    const versions = Array.isArray(spec['versions']) ? (spec['versions'] as unknown[]) : []
    for (const version of versions) {
      if (!isJsonObject(version) || version['served'] !== true) continue
      const key = `${String(spec['group'])}/${String(version['name'])}`
      const kinds = out.get(key) ?? new Map<string, string>()
      kinds.set(String(names['kind']), String(names['plural']))
      out.set(key, kinds)
    }
  }
  return out
}

/** `group/version/kind` of every schema carrying `x-kubernetes-group-version-kind`. */
function publishedKinds(schemas: unknown): Set<string> {
  const out = new Set<string>()
  if (!isJsonObject(schemas)) return out
  for (const schema of Object.values(schemas)) {
    const gvks = isJsonObject(schema) ? schema['x-kubernetes-group-version-kind'] : undefined
    for (const gvk of Array.isArray(gvks) ? (gvks as unknown[]) : []) {
      if (isJsonObject(gvk)) {
        out.add(`${String(gvk['group'])}/${String(gvk['version'])}/${String(gvk['kind'])}`)
      }
    }
  }
  return out
}

function parse(answer: Answer): JsonObject | undefined {
  if (answer.status !== 200) return undefined
  const value: unknown = JSON.parse(answer.body)
  return isJsonObject(value) ? value : undefined
}

async function installCrds(
  crds: readonly JsonObject[],
  call: (method: string, path: string, body?: unknown) => Promise<Answer>,
  deadline: number,
  child: Child,
): Promise<void> {
  const collection = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions'
  for (const crd of crds) {
    const answer = await call('POST', collection, crd)
    if (answer.status !== 201) {
      const name = isJsonObject(crd['metadata']) ? String(crd['metadata']['name']) : '?'
      throw failed(`creating CRD ${name} answered ${answer.status}: ${answer.body.slice(0, 2000)}`)
    }
  }
  // Established (apiextensions-apiserver pkg/controller/establish) means the resource is
  // served; the OpenAPI controllers (pkg/controller/openapi, openapiv3) publish a moment later.
  for (const crd of crds) {
    const name = isJsonObject(crd['metadata']) ? String(crd['metadata']['name']) : ''
    await until(`before CRD ${name} was Established`, deadline, child, async () => {
      const object = parse(await call('GET', `${collection}/${name}`))
      const status = isJsonObject(object?.['status']) ? object['status'] : {}
      const conditions = Array.isArray(status['conditions'])
        ? (status['conditions'] as unknown[])
        : []
      return conditions.some(
        (c) => isJsonObject(c) && c['type'] === 'Established' && c['status'] === 'True',
      )
        ? true
        : undefined
    })
  }
  const served = servedKinds(crds)
  for (const [groupVersion, kinds] of served) {
    // A resource answers 429 until its watch cache is initialized (apiserver
    // pkg/storage/cacher, ResilientWatchCacheInitialization): wait until a list answers.
    for (const plural of kinds.values()) {
      await until(`before ${plural}.${groupVersion} could be listed`, deadline, child, async () =>
        (await call('GET', `/apis/${groupVersion}/${plural}?limit=1`)).status === 200
          ? true
          : undefined,
      )
    }
    await until(`before /openapi/v3 published ${groupVersion}`, deadline, child, async () => {
      const document = parse(await call('GET', `/openapi/v3/apis/${groupVersion}`))
      const components = isJsonObject(document?.['components']) ? document['components'] : {}
      const published = publishedKinds(components['schemas'])
      return [...kinds.keys()].every((kind) => published.has(`${groupVersion}/${kind}`))
        ? true
        : undefined
    })
  }
  if (served.size === 0) return
  await until('before /openapi/v2 published the CRDs', deadline, child, async () => {
    const published = publishedKinds(parse(await call('GET', '/openapi/v2'))?.['definitions'])
    return [...served].every(([groupVersion, kinds]) =>
      [...kinds.keys()].every((kind) => published.has(`${groupVersion}/${kind}`)),
    )
      ? true
      : undefined
  })
}
