import { createKubernetesService } from './kubernetes-service.js'
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { isJsonObject, type JsonObject } from './_json.js'
import { renderKubeconfig, writeKubeconfig } from './auth.js'
import { generateCertificates } from './certificates.js'
import { TestkitError } from './errors.js'
import { exampleCrdDocument, sharedSchemaOf } from './example-crds.js'
import { FaultTable, type Fault } from './faults.js'
import { groupVersionOf } from './group-version.js'
import { loadProfile, serverFeatures } from './profile.js'
import { recordedProfileDir } from './profile-dir.js'
import { runCrdControllers } from './crd-controller.js'
import { crdAdditions, crdBuiltinsOf } from './crd-serving.js'
import type { ScalePaths } from './custom-scale.js'
import { crdCreateOptions, parseJsonText, type ReadCrds } from './crd-read.js'
import { establishedCrd } from './crd-status.js'
import { crdAsV1beta1 } from './crd-v1beta1.js'
import { serveProxy } from './proxy.js'
import { collectionOf, Registry } from './registry.js'
import { ResourceCatalog, type ResourceInfo } from './resource-catalog.js'
import { listen, type RequestLogEntry } from './server.js'
import { SpecRegistry } from './spec-registry.js'
import { ObjectStore } from './store.js'
import {
  newestReleaseGroupVersions,
  newestReleaseValidationDocuments,
  prepareNewestRecordedSplit,
  recordedGroupVersions,
  synthesizeGroupVersions,
} from './synthesize.js'
import type { WatchDrop, WatchSettings } from './list-watch.js'
import { systemPriorityClasses } from './pod-admission.js'
import { PodLogs, type PodLogTarget } from './pod-logs.js'
import { ServiceAccountTokens } from './service-account-token.js'

/**
 * Options of {@link startApiServer}.
 *
 * @example
 * const options: StartApiServerOptions = { profile: 'kubernetes-1.13', prefix: '/k8s/clusters/c-1', auth: { anonymous: true } }
 */
export interface StartApiServerOptions {
  /** `'recorded'` (../shared), `'kubernetes-1.13'` (v2-only), or a profile directory. Default: `'recorded'` when present, else `'kubernetes-1.13'`. */
  profile?: 'recorded' | 'kubernetes-1.13' | (string & {})
  /** Path of a v2 document (`.json` or `.json.gz`) served at `/openapi/v2`. */
  v2?: string
  /** Adds the project-authored `example.dev/v1` group (Widget, Gadget). */
  exampleCrds?: boolean
  /**
   * Installs these CustomResourceDefinition files or directories: their served versions appear
   * in `/openapi/v3`, `/openapi/v2` and discovery as kube-apiserver publishes them (the
   * emulator's own conversion, crd-documents.ts).
   */
  crds?: readonly string[]
  /** Adds N extra group-versions split from the recorded v2 1.36 spec (needs ../shared). */
  synthesizeGroupVersions?: number
  /**
   * Group-versions of the recorded v2 1.36 spec (split per group-version) served beside the
   * profile's documents (needs ../shared). Default: on the `'recorded'` profile, every one its v3
   * documents lack (rbac, policy, storage…, as a 1.36 cluster serves them), elsewhere none;
   * `[]` serves the recorded v3 documents alone; named ones (`['apis/policy/v1']`) add those.
   */
  recordedGroupVersions?: readonly string[]
  /** Serves every route under this path prefix, e.g. `/k8s/clusters/c-1`. */
  prefix?: string
  /** Plain HTTP instead of TLS. */
  http?: boolean
  /** Listen address: `127.0.0.1` (default) or `::1`. */
  host?: string
  /** Listen port, default 0 (any free port). */
  port?: number
  /** Default: a random bearer token is required. */
  auth?: { token?: string | false; clientCert?: boolean; anonymous?: boolean }
  /** Called with each request's log entry once its response status is decided (the bin's `--log`). */
  onRequest?: (entry: RequestLogEntry) => void
  /**
   * Serve an `Etag` (quoted SHA-512 of the root bytes, 304 on `If-None-Match`) on the
   * `/openapi/v3` root, as kube-openapi handler3 does since its `cached` rewrite (Kubernetes
   * 1.27+). Default false: no ETag, as 1.24–1.26 servers (and the contract).
   */
  rootEtag?: boolean
  /**
   * How many changes the watch history keeps (default 100000). A watch or list at an older
   * resourceVersion, or a continue token from before it, gets 410 Expired, like a compacted
   * etcd revision.
   */
  historyWindow?: number
  /** Interval of watch BOOKMARK events when `allowWatchBookmarks=true` (default 60000 ms). */
  bookmarkIntervalMs?: number
  /**
   * Where the proxy really dials a resolved backend address: `{'10.0.0.5:8080': 40123}` sends
   * what the apiserver would send to 10.0.0.5:8080 to 127.0.0.1:40123. Loopback addresses
   * (Endpoints at 127.0.0.1) are dialled as they are; nothing else is ever dialled.
   */
  backends?: Record<string, number>
}

/**
 * A running emulated kube-apiserver. Without a `hash`, `/openapi/v3/<key>` answers
 * `no-cache, private`; with the current one `public, immutable`; with a stale one 301.
 *
 * @example
 * const server = await startApiServer({ exampleCrds: true })
 * server.markUnavailable('apis/example.dev/v1') // /apis/example.dev/v1 now answers 503
 * await server.close()
 */
export interface ApiServer {
  /** e.g. `https://127.0.0.1:40123/k8s/clusters/c-1` (prefix included, no trailing slash). */
  url: string
  /** CA that signed the server certificate (`''` in http mode). */
  caPem: string
  token: string | undefined
  /** A client certificate the server accepts (when `auth.clientCert`). */
  clientCert?: { certPem: string; keyPem: string }
  /** Writes a kubeconfig for this server (CA data and credentials) and returns its path. */
  kubeconfig(path?: string, options?: { auth?: 'token' | 'clientCert' | 'none' }): Promise<string>
  requests: RequestLogEntry[]
  clearRequests(): void
  /** The current hash of a `/openapi/v3` root key, e.g. `apis/apps/v1`. */
  hashOf(key: string): string | undefined
  /** Adds or replaces a group-version document: its hash changes, the root and discovery follow. */
  setGroupVersion(key: string, doc: unknown): void
  removeGroupVersion(key: string): void
  /** An aggregated APIService that is down: still listed, but its routes answer 503. */
  markUnavailable(key: string): void
  /** Injects a fault; returns a function that removes it. */
  injectFault(fault: Fault): () => void
  /** Forgets the whole watch history, as `etcdctl compact` at the current revision. */
  compact(): void
  /**
   * Cuts every open watch stream so clients must resume: `'reset'` (default) destroys the
   * connections mid-stream, `'end'` ends the bodies cleanly as a watch timeout does. Returns
   * how many were cut.
   */
  dropWatches(how?: WatchDrop): number
  /** How many watch streams are open now (a client that stopped watching has closed its own). */
  readonly openWatches: number
  /**
   * What a container printed, as the kubelet would serve it on `pods/log` (one line per `\n`;
   * a follow stream receives it at once). The pod must exist and be scheduled
   * (`spec.nodeName`); `container` is needed when it has several.
   */
  appendPodLog(target: PodLogTarget, text: string): void
  /** The container restarts: its log so far is served by `?previous=true`, the new one is empty. */
  restartPodContainer(target: PodLogTarget): void
  close(): Promise<void>
}

export type { Fault, PodLogTarget, WatchDrop }
export type { RequestLogEntry }

function normalizePrefix(prefix: string | undefined): string {
  if (prefix === undefined || prefix === '' || prefix === '/') return ''
  if (
    !prefix.startsWith('/') ||
    prefix.includes('?') ||
    prefix.includes('#') ||
    prefix.includes('//')
  ) {
    throw new TestkitError(
      'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
      `prefix ${JSON.stringify(prefix)} must be an absolute path like /k8s/clusters/c-1 without query, fragment or empty segments`,
    )
  }
  return prefix.replace(/\/+$/, '')
}

function defaultProfile(): string {
  return recordedProfileDir() === undefined ? 'kubernetes-1.13' : 'recorded'
}

const CRD_GROUP = 'apiextensions.k8s.io'
const CRD_RESOURCE = 'customresourcedefinitions'

// The CRDs are stored as apiextensions.k8s.io/v1 objects too, as a cluster that serves them
// holds them: `kubectl get crd` and a client reading their printer columns or deprecation find
// them (a profile whose apiextensions group is v1beta1 only, as 1.13, holds them converted to
// that form: crd-v1beta1.ts). Each was created as it was read, off this thread; they are stored as created, with the revisions they
// take now, when something first reads them (ObjectStore `defer`). Created otherwise than here
// (another resource), or refused, or two of one name, they are created here, one by one, so the
// error is the one creating them throws.
function storeCrds(registry: Registry, info: ResourceInfo, read: ReadCrds): void {
  if (info.version === 'v1beta1') {
    // A server whose apiextensions group is v1beta1 only (≤ 1.15) holds them in that form.
    for (const object of read.objects())
      registry.create(info, '', crdAsV1beta1(object), crdCreateOptions())
    return
  }
  const created = read.created
  const collection = collectionOf(info)
  // Installed CRDs are served, so they are Established (crd-status.ts).
  const node = { document: info.document, schema: info.schema }
  const names = new Set(created?.objects.map((object) => object.name))
  if (
    created === undefined ||
    created.info.document !== info.document ||
    created.info.schema !== info.schema ||
    names.size !== created.objects.length ||
    registry.store.list(collection).length > 0
  ) {
    for (const object of read.objects()) {
      // Created, then established: the controllers' status write is a write of its own.
      const stored = establishedCrd(registry.create(info, '', object, crdCreateOptions()), node)
      const revision = registry.store.nextRevision()
      ;(stored['metadata'] as JsonObject)['resourceVersion'] = String(revision)
      registry.store.put(collection, stored, revision)
    }
    return
  }
  registry.store.defer(collection, created.objects.length, (first) => {
    for (const [i, { text }] of created.objects.entries()) {
      const object = establishedCrd(parseJsonText(text), node)
      const revision = first + i + 1
      // registry.create sets it last, after measuring the object for etcd.
      ;(object['metadata'] as JsonObject)['resourceVersion'] = String(revision)
      registry.store.put(collection, object, revision)
    }
  })
}

/**
 * Starts an emulated kube-apiserver on 127.0.0.1 (or ::1) serving discovery, `/version`,
 * `/openapi/v2` and `/openapi/v3` from a cluster profile, with the apiserver's exact caching,
 * hash and error semantics. Close it with `close()` (in `afterAll`/`finally`).
 *
 * @example
 * const server = await startApiServer({ profile: 'kubernetes-1.13' })
 * try {
 *   const kubeconfig = await server.kubeconfig()
 *   // … run the code under test against `kubeconfig` or `server.url` + `server.token`
 * } finally {
 *   await server.close()
 * }
 */
export async function startApiServer(options: StartApiServerOptions = {}): Promise<ApiServer> {
  const prefix = normalizePrefix(options.prefix)
  const host = options.host ?? '127.0.0.1'
  if (host !== '127.0.0.1' && host !== '::1' && host !== 'localhost') {
    throw new TestkitError(
      'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
      `host ${JSON.stringify(host)} is not allowed: the emulator listens on 127.0.0.1, ::1 or localhost only`,
    )
  }
  const synthesize = options.synthesizeGroupVersions ?? 0
  if (!Number.isInteger(synthesize) || synthesize < 0) {
    throw new TestkitError(
      'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
      `synthesizeGroupVersions must be a non-negative integer, got ${String(synthesize)}`,
    )
  }
  const tokenOption = options.auth?.token
  const token =
    tokenOption === false ? undefined : (tokenOption ?? randomBytes(32).toString('base64url'))
  const clientCertAuth = options.auth?.clientCert === true
  const anonymous = options.auth?.anonymous === true
  if (clientCertAuth && options.http === true) {
    throw new TestkitError(
      'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
      'auth.clientCert needs TLS: it cannot be combined with http: true',
    )
  }

  const profileName = options.profile ?? defaultProfile()
  const profile = loadProfile(profileName, options.v2)
  // The profile's group-version documents, by key: where CRD documents find builtin schemas.
  const v3Documents = (): unknown[] | undefined =>
    profile.v3 === undefined
      ? undefined
      : [...profile.v3.entries()]
          .filter(([key]) => groupVersionOf(key) !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([, document]) => document)
  // CRDs through the emulator's own conversion (crd-documents.ts), on the profile's documents.
  const reading =
    options.crds === undefined || options.crds.length === 0
      ? undefined
      : crdAdditions(
          options.crds,
          v3Documents(),
          profile.v2?.(),
          // Where the CRD objects are stored, as the profile's documents serve it: each is
          // created as it is read (stored below when that is still where they go).
          profile.v3 === undefined
            ? undefined
            : new ResourceCatalog(new SpecRegistry(profile)).get(CRD_GROUP, 'v1', CRD_RESOURCE),
        )
  // The CRD files are read on worker threads (crd-read.ts) while this thread does what does not
  // depend on them; every error is still thrown in the order of a start that waited for them.
  const certifying = options.http === true ? undefined : generateCertificates()
  void reading?.catch(() => undefined)
  void certifying?.catch(() => undefined)
  if (
    reading !== undefined &&
    profileName === 'recorded' &&
    options.recordedGroupVersions === undefined
  )
    prepareNewestRecordedSplit()
  const crds = await reading
  const specs = new SpecRegistry(profile, crds)
  if (options.exampleCrds === true) {
    // The profile's own shared definitions, as a real server embeds them in a CRD's document.
    specs.put('apis/example.dev/v1', exampleCrdDocument(sharedSchemaOf(profile.v3?.values() ?? [])))
  }
  if (options.recordedGroupVersions !== undefined) {
    for (const [key, document] of recordedGroupVersions(options.recordedGroupVersions)) {
      specs.put(key, document)
    }
  } else if (profileName === 'recorded') {
    for (const [key, document] of newestReleaseGroupVersions(
      new Set(specs.entries.keys()),
      sharedSchemaOf(profile.v3?.values() ?? []),
    )) {
      specs.put(key, document)
    }
  }
  if (synthesize > 0) {
    for (const [key, document] of synthesizeGroupVersions(
      synthesize,
      new Set(specs.entries.keys()),
    )) {
      specs.put(key, document)
    }
  }

  const historyWindow = options.historyWindow ?? 100_000
  if (!Number.isInteger(historyWindow) || historyWindow < 1) {
    throw new TestkitError(
      'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
      `historyWindow must be a positive integer, got ${String(historyWindow)}`,
    )
  }
  const catalog = new ResourceCatalog(
    specs,
    profileName === 'recorded' && profile.v3 !== undefined
      ? newestReleaseValidationDocuments(profile.v3)
      : new Map(),
  )
  const store = new ObjectStore({ historyWindow })
  // The CRDs' scale paths: those installed now, then those the CRD controllers serve.
  const scalePaths = crds?.read.scalePaths ?? new Map<string, ScalePaths>()
  const registry: Registry = new Registry(
    store,
    (namespace) => {
      // The namespace controller (kubernetes `pkg/controller/namespace/deletion`): delete the
      // content, then the namespace once its `kubernetes` finalizer would be released.
      setImmediate(() => {
        for (const { collection, object } of store.inNamespace(namespace)) {
          const final = structuredClone(object)
          const revision = store.nextRevision()
          ;(final['metadata'] as Record<string, unknown>)['resourceVersion'] = String(revision)
          store.remove(collection, final, revision)
        }
        const namespaces = catalog.get('', 'v1', 'namespaces')
        if (namespaces !== undefined) registry.finalizeNamespace(namespaces, namespace)
      })
    },
    scalePaths,
    { managedFields: serverFeatures(profile.version).serverSideApply },
  )
  // kube-apiserver's bootstrap controller creates these (`pkg/controlplane/controller/
  // systemnamespaces`).
  const namespaces = catalog.get('', 'v1', 'namespaces')
  if (namespaces !== undefined) {
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      registry.create(
        namespaces,
        '',
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
        { dryRun: false, fieldManager: 'kube-apiserver', fieldValidation: 'Ignore', warnings: [] },
      )
    }
  }
  // And these (the scheduling/bootstrap-system-priority-classes post-start hook).
  const priorityClasses = catalog.get('scheduling.k8s.io', 'v1', 'priorityclasses')
  if (priorityClasses !== undefined) {
    for (const priorityClass of systemPriorityClasses) {
      registry.create(priorityClasses, '', structuredClone(priorityClass), {
        dryRun: false,
        fieldManager: 'kube-apiserver',
        fieldValidation: 'Ignore',
        warnings: [],
      })
    }
  }
  // And the `kubernetes` Service (its controller), before the CRDs' deferred writes.
  const kubernetesService = createKubernetesService(registry, catalog)
  // The CRDs are stored as apiextensions.k8s.io/v1 objects too, as a cluster that serves them
  // holds them: `kubectl get crd` and a client reading their printer columns or deprecation find
  // them. A profile whose apiextensions group is v1beta1 only (1.13) keeps them in that form.
  const crdObjects =
    catalog.get(CRD_GROUP, 'v1', CRD_RESOURCE) ?? catalog.get(CRD_GROUP, 'v1beta1', CRD_RESOURCE)
  if (crdObjects !== undefined && crds !== undefined) storeCrds(registry, crdObjects, crds.read)
  // A CRD written through the API from now on is served, or stops being served, as
  // apiextensions-apiserver's controllers do it (crd-controller.ts).
  const stopCrdControllers =
    crdObjects === undefined
      ? undefined
      : runCrdControllers({
          registry,
          specs,
          crds: crdObjects,
          scalePaths,
          builtins: () => crdBuiltinsOf(v3Documents(), profile.v2?.()),
          v2: profile.v2,
        })
  const backends = { ...(options.backends ?? {}) }
  const podLogs = new PodLogs(registry, store, () => catalog.get('', 'v1', 'pods'))
  const watchSettings: WatchSettings = {
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    defaultTimeoutSeconds: 1800,
    open: new Set(),
  }

  const certificates = await certifying
  const faults = new FaultTable()
  const requests: RequestLogEntry[] = []
  const tempDirs: string[] = []
  let url = ''
  const running = await listen({
    host,
    port: options.port ?? 0,
    prefix,
    certificates,
    auth: { token, clientCert: clientCertAuth, anonymous },
    faults,
    specs,
    version: profile.version,
    rootEtag: options.rootEtag === true,
    requests,
    onRequest: options.onRequest,
    resources: {
      catalog,
      registry,
      watch: watchSettings,
      proxy: (exchange, info, path) =>
        serveProxy(exchange, registry, catalog, info, path, backends),
      podLogs,
      version: profile.version,
      // The issuer is the server's URL, as the real one's `--service-account-issuer`.
      serviceAccountTokens: new ServiceAccountTokens(() => `${url}/`),
    },
  })
  // Read by the token issuer once requests arrive, after listen() knows the port.
  url = `${certificates === undefined ? 'http' : 'https'}://${running.serverAddress}${prefix}`
  const listeningPort = Number(
    running.serverAddress.slice(running.serverAddress.lastIndexOf(':') + 1),
  )
  kubernetesService.listeningOn(listeningPort)

  const api: ApiServer = {
    url,
    caPem: certificates?.ca.certPem ?? '',
    token,
    requests,
    clearRequests() {
      requests.length = 0
    },
    kubeconfig(path, kubeconfigOptions) {
      const mode =
        kubeconfigOptions?.auth ??
        (token !== undefined ? 'token' : clientCertAuth ? 'clientCert' : 'none')
      if (mode === 'token' && token === undefined) {
        return Promise.reject(
          new TestkitError(
            'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
            'kubeconfig auth "token": this server was started with auth.token false',
          ),
        )
      }
      if (mode === 'clientCert' && certificates === undefined) {
        return Promise.reject(
          new TestkitError(
            'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
            'kubeconfig auth "clientCert": this server was started without auth.clientCert',
          ),
        )
      }
      if (mode === 'clientCert' && !clientCertAuth) {
        return Promise.reject(
          new TestkitError(
            'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
            'kubeconfig auth "clientCert": this server was started without auth.clientCert',
          ),
        )
      }
      return writeKubeconfig(
        path,
        renderKubeconfig(url, certificates?.ca.certPem, mode, token, certificates?.client),
        tempDirs,
        'k8s-emulator-',
      )
    },
    hashOf(key) {
      if (!specs.servesV3) return undefined
      return specs.servedOf(key)?.served.hash
    },
    setGroupVersion(key, doc) {
      if (!isJsonObject(doc)) {
        throw new TestkitError(
          'K8S_CODEGEN_TESTKIT_PROFILE_INVALID',
          `setGroupVersion(${JSON.stringify(key)}): the document must be a JSON object`,
        )
      }
      specs.put(key, doc)
    },
    removeGroupVersion(key) {
      specs.remove(key)
    },
    markUnavailable(key) {
      specs.markUnavailable(key)
    },
    injectFault(fault) {
      return faults.add(fault)
    },
    compact() {
      store.compact()
    },
    get openWatches() {
      return watchSettings.open.size
    },
    dropWatches(how = 'reset') {
      const open = [...watchSettings.open]
      for (const drop of open) drop(how)
      return open.length
    },
    appendPodLog(target, text) {
      podLogs.append(target, text)
    },
    restartPodContainer(target) {
      podLogs.restart(target)
    },
    async close() {
      stopCrdControllers?.()
      kubernetesService.stop()
      await running.close()
      for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
    },
  }
  if (clientCertAuth && certificates !== undefined) api.clientCert = { ...certificates.client }
  return api
}
