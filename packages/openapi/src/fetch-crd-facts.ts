// What a cluster's CRDs say beyond their OpenAPI documents and discovery lists (a deprecated
// version's warning, printer columns): apiextensions-apiserver publishes neither, so, as kubectl
// and kopium do, `fetch` reads the CustomResourceDefinition objects themselves and locks their
// facts beside each CRD group-version it fetched, as `generate --crds` locks those of CRD files.
import { isDeepStrictEqual } from 'node:util'

import { parseJson, type Fetcher } from './_fetcher.js'
import { canonicalJson, isJsonObject } from './_canonical-json.js'
import { crdResourceFacts, type CrdFactsList } from './crd/facts.js'
import type { CustomResourceDefinition } from './crd/types.js'
import { validateCrd } from './crd/validate.js'
import { OpenApiError } from './errors.js'
import { sha512Hex } from './hash.js'
import type { LockedBytes, LockedGroupVersion, Lockfile } from './lockfile.js'

const CRDS_KEY = 'apis/apiextensions.k8s.io/v1'
const CRDS_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions'

// The group-versions as fetched, without what this step adds: equal to the previous lockfile's
// means nothing the cluster serves changed. Compared as values, not as two canonical JSON texts
// of every entry (a warm fetch of 2,000 CRDs compares ~900 of them).
function withoutFacts(
  groupVersions: Record<string, LockedGroupVersion>,
): Record<string, LockedGroupVersion> {
  return Object.fromEntries(
    Object.entries(groupVersions).map(([key, gv]) => {
      if (gv.status !== 'ok' || gv.crdFacts === undefined) return [key, gv]
      const served = { ...gv }
      delete served.crdFacts
      return [key, served]
    }),
  )
}

// CRDs are listed a page at a time, as client-go's pager lists (tools/pager/pager.go, limit and
// continue): one list of 2,000 real-sized CRDs is over the response limit (maxBodyBytes,
// 256 MiB). etcd refuses an object over 1.5 MiB (its default --max-request-bytes), so a page of
// 100 stays under the limit however large each CRD is.
const PAGE = 100
// A server that keeps answering with a continue token is not listing CRDs: 100,000 is far more
// than any cluster holds.
const MAX_PAGES = 1000

async function readCrds(fetcher: Fetcher): Promise<CustomResourceDefinition[] | undefined> {
  const crds: CustomResourceDefinition[] = []
  let token = ''
  let index = 0
  for (let page = 0; page === 0 || token !== ''; page++) {
    if (page === MAX_PAGES) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID',
        `the CustomResourceDefinitions ${CRDS_PATH} did not end after ${MAX_PAGES} pages of ${PAGE}`,
      )
    }
    const query = `?limit=${PAGE}${token === '' ? '' : `&continue=${encodeURIComponent(token)}`}`
    const response = await fetcher.get(`${CRDS_PATH}${query}`, 'the CustomResourceDefinitions')
    if (response.status !== 200) {
      fetcher.emit({
        type: 'warning',
        message: `${response.url} answered HTTP ${response.status}; CRD group-versions are locked without their deprecation warnings and printer columns`,
      })
      return undefined
    }
    const list = parseJson(
      response.body,
      `the CustomResourceDefinitions ${response.url}`,
      'K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID',
    )
    if (!isJsonObject(list) || !Array.isArray(list.items)) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID',
        `the CustomResourceDefinitions ${response.url} are not a list`,
      )
    }
    for (const value of list.items as readonly unknown[]) {
      // A CRD the server holds was valid when created; one that is not now (hostile or from a
      // newer server) is skipped and named, not fatal to the others.
      try {
        // A list's items go without kind and apiVersion (the list says them once).
        const object = isJsonObject(value)
          ? { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', ...value }
          : { value }
        crds.push(validateCrd({ where: { file: response.url, index }, value: object }))
      } catch (error) {
        fetcher.emit({ type: 'warning', message: `${(error as Error).message}; skipped` })
      }
      index++
    }
    const metadata = isJsonObject(list.metadata) ? list.metadata : {}
    token = typeof metadata.continue === 'string' ? metadata.continue : ''
  }
  return crds
}

// `gv` with `crdFacts` where the lockfile writes it, between `bytes` and `discovery`: an entry
// whose keys are in the written (sorted) order is serialized without a copy (fetch-v3.ts
// lockedEntry).
function withFacts(
  gv: Extract<LockedGroupVersion, { status: 'ok' }>,
  crdFacts: LockedBytes,
): LockedGroupVersion {
  const { bytes, ...rest } = gv
  // A key assigned again keeps its place: crdFacts stays second, with the new value.
  return Object.assign({ bytes, crdFacts }, rest, { crdFacts })
}

/**
 * Adds `crdFacts` to the fetched CRD group-versions, read from the cluster's
 * `/apis/apiextensions.k8s.io/v1/customresourcedefinitions` (pages of 100, only when the cluster
 * serves that group-version and something changed since `previous`: an unchanged cluster keeps
 * the locked facts and costs no request). Each CRD's served versions give the facts of the
 * group-version they are served in (the served versions of `servedGroupVersions`).
 *
 * @example
 * await addClusterCrdFacts(fetcher, state.groupVersions, previous)
 */
export async function addClusterCrdFacts(
  fetcher: Fetcher,
  groupVersions: Record<string, LockedGroupVersion>,
  previous: Lockfile | undefined,
): Promise<void> {
  if (groupVersions[CRDS_KEY]?.status !== 'ok') return
  if (
    previous !== undefined &&
    isDeepStrictEqual(withoutFacts(previous.groupVersions), withoutFacts(groupVersions))
  ) {
    for (const [key, gv] of Object.entries(groupVersions)) {
      const locked = previous.groupVersions[key]
      if (gv.status === 'ok' && locked?.status === 'ok' && locked.crdFacts !== undefined)
        groupVersions[key] = withFacts(gv, locked.crdFacts)
    }
    let cached = true
    for (const gv of Object.values(groupVersions)) {
      if (gv.status === 'ok' && gv.crdFacts !== undefined)
        cached &&= await fetcher.cache.hasVerified(gv.crdFacts.hash, gv.crdFacts.bytes)
    }
    if (cached) return
  }
  const crds = await readCrds(fetcher)
  if (crds === undefined) return
  const facts = new Map<string, CrdFactsList>()
  for (const crd of crds) {
    for (const version of crd.versions) {
      if (!version.served) continue
      const key = `apis/${crd.group}/${version.name}`
      let list = facts.get(key)
      if (list === undefined) {
        list = { groupVersion: `${crd.group}/${version.name}`, resources: [] }
        facts.set(key, list)
      }
      list.resources.push(crdResourceFacts(crd, version))
    }
  }
  for (const [key, gv] of Object.entries(groupVersions)) {
    if (gv.status !== 'ok') continue
    delete gv.crdFacts
    const list = facts.get(key)
    if (list === undefined) continue
    list.resources.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    // Canonical JSON, as lockCrds stores the facts of CRD files.
    const bytes = new TextEncoder().encode(canonicalJson(list))
    const hash = sha512Hex(bytes)
    if (!fetcher.cache.has(hash, bytes.byteLength)) await fetcher.cache.write(bytes, hash)
    groupVersions[key] = withFacts(gv, { bytes: bytes.byteLength, hash })
  }
}
