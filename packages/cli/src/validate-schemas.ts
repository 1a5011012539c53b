// Where `validate` finds the OpenAPI v3 document of an object's group-version, first match wins
// (kubectl-validate consults local schemas, then local CRDs, then the built-ins of --version:
// pkg/cmd/validate.go Run; here the CRDs given on the command line come first, since they are
// what the user is checking):
//   1. `--crds`: converted to the documents kube-apiserver publishes for them (openapi
//      `crdsToOpenApiV3`, as `generate --crds` converts them), nothing written;
//   2. the lockfile: its cluster group-versions and recorded CRD sets, read from `--specs-dir` or
//      the cache and re-verified against their SHA-512, one group-version at a time when needed;
//   3. `--specs-dir` alone: `<dir>/api/v1.json`, `<dir>/apis/<group>/<version>.json`, the
//      `/openapi/v3` documents as served (no lockfile to verify them against);
//   4. the built-in schemas shipped for `--kube-version` (built-in-schemas.ts).
import { readFile } from 'node:fs/promises'

import type { CrdReadLimits, Lockfile } from '@k8s-codegen/openapi'
import type { OpenApiDocument } from '@k8s-codegen/validation'

import { loadBuiltInSchemas } from './built-in-schemas.js'

/**
 * What {@link openSchemas} reads.
 *
 * @example
 * const plan: SchemaPlan = { crds: ['crds'], cwd: '/repo', crdLimits: {}, lockfile: '/repo/k8s-codegen.lock.json', cacheDir: '/cache', specsDir: undefined, kubeVersion: undefined }
 */
export interface SchemaPlan {
  crds: readonly string[]
  cwd: string
  crdLimits: Partial<CrdReadLimits>
  lockfile: string
  cacheDir: string
  specsDir: string | undefined
  kubeVersion: string | undefined
}

/**
 * Finds the document of a group-version (`api/v1`, `apis/apps/v1`) and says where it looked.
 *
 * @example
 * const doc = await schemas.documentFor('apis/example.dev/v1')
 */
export interface Schemas {
  documentFor(key: string): Promise<OpenApiDocument | undefined>
  /** The sources consulted, in order, for a message about a kind no source has. */
  sources: string[]
  /**
   * The Kubernetes version whose name rules apply (a Service's name depends on it):
   * `--kube-version`, else the version of the server the lockfile was fetched from, else that of
   * the shipped built-ins in use; undefined (the newest rules) when none says.
   */
  kubeVersion: string | undefined
}

/**
 * The group-version key of an apiVersion, as the apiserver serves its document:
 * `/openapi/v3/api/v1`, `/openapi/v3/apis/<group>/<version>`.
 *
 * @example
 * groupVersionKeyOf('apps/v1') // 'apis/apps/v1'
 */
export function groupVersionKeyOf(apiVersion: string): string {
  return apiVersion.includes('/') ? `apis/${apiVersion}` : `api/${apiVersion}`
}

type Source = (key: string) => Promise<OpenApiDocument | undefined>

async function crdSource(plan: SchemaPlan): Promise<Source> {
  const { crdSchemaName, crdsToOpenApiV3, loadCrds, shippedCrdBaseline } =
    await import('@k8s-codegen/openapi')
  const { crds } = await loadCrds(plan.crds, { cwd: plan.cwd, limits: plan.crdLimits })
  const documents = new Map<string, OpenApiDocument>()
  for (const gv of crdsToOpenApiV3(crds, shippedCrdBaseline())) {
    // The published document says a kind's scope only through its paths; kubectl-validate adds
    // the CRD's scope to the kind's schema as `x-kubectl-validate-scope`
    // (pkg/openapiclient/local_crds.go), which is what the validation library reads to check a
    // namespaced object's metadata.namespace.
    const schemas = { ...gv.document.components?.schemas }
    for (const crd of crds) {
      if (crd.group !== gv.group) continue
      const name = crdSchemaName(crd.group, gv.version, crd.names.kind)
      const schema = schemas[name]
      if (schema !== undefined) schemas[name] = { ...schema, 'x-kubectl-validate-scope': crd.scope }
    }
    documents.set(gv.key, { ...gv.document, components: { ...gv.document.components, schemas } })
  }
  return (key) => Promise.resolve(documents.get(key))
}

function lockfileSource(plan: SchemaPlan, lock: Lockfile): Source {
  return async (key) => {
    const locked = lock.groupVersions[key]
    if (locked?.status !== 'ok') return undefined
    const { loadSpecSet } = await import('@k8s-codegen/openapi')
    // Only this group-version is read and verified, not the whole lockfile.
    const one: Lockfile = { ...lock, groupVersions: { [key]: locked } }
    const specs = await loadSpecSet(
      { lockfile: plan.lockfile, cacheDir: plan.cacheDir, specsDir: plan.specsDir },
      one,
    )
    return specs.groupVersions[0]?.document
  }
}

function specsDirSource(specsDir: string): Source {
  return async (key) => {
    const { OpenApiError, specsDirPaths } = await import('@k8s-codegen/openapi')
    const path = specsDirPaths(specsDir, key).document
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined
      throw error
    })
    if (text === undefined) return undefined
    try {
      return JSON.parse(text) as OpenApiDocument
    } catch (error) {
      throw new OpenApiError('K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID', `${path} is not JSON`, {
        cause: error,
      })
    }
  }
}

/**
 * Opens the sources of a `validate` run in their order (see the file's header). `--crds` are read
 * and converted now (a bad CRD file fails the run, as it fails `generate --crds`); the other
 * documents are read when an object needs them, each once.
 *
 * @example
 * const schemas = await openSchemas(plan)
 * await schemas.documentFor('apis/apps/v1')
 */
export async function openSchemas(plan: SchemaPlan): Promise<Schemas> {
  const { getLockfile } = await import('@k8s-codegen/openapi')
  const chain: Source[] = []
  const sources: string[] = []
  if (plan.crds.length > 0) {
    chain.push(await crdSource(plan))
    sources.push(`--crds ${plan.crds.join(' ')}`)
  }
  const lock = await getLockfile(plan.lockfile)
  if (lock !== undefined) {
    chain.push(lockfileSource(plan, lock))
    sources.push(`the lockfile ${plan.lockfile}`)
  }
  if (plan.specsDir !== undefined) {
    chain.push(specsDirSource(plan.specsDir))
    sources.push(`--specs-dir ${plan.specsDir}`)
  }
  // Without --kube-version, the newest shipped built-ins serve a run that has no other source of
  // built-in schemas.
  let kubeVersion = plan.kubeVersion ?? lock?.serverVersion?.gitVersion
  if (plan.kubeVersion !== undefined || (lock === undefined && plan.specsDir === undefined)) {
    const builtIns = await loadBuiltInSchemas(plan.kubeVersion)
    chain.push((key) => Promise.resolve(builtIns.documentFor(key)))
    sources.push(`the built-in schemas of Kubernetes ${builtIns.release}`)
    kubeVersion ??= builtIns.kubeVersion
  }
  const found = new Map<string, Promise<OpenApiDocument | undefined>>()
  const lookUp = async (key: string): Promise<OpenApiDocument | undefined> => {
    for (const source of chain) {
      const document = await source(key)
      if (document !== undefined) return document
    }
    return undefined
  }
  return {
    documentFor: (key) => {
      let document = found.get(key)
      if (document === undefined) found.set(key, (document = lookUp(key)))
      return document
    },
    sources,
    kubeVersion,
  }
}
