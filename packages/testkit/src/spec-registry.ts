import { isJsonObject } from './_json.js'
import { deriveResourceList, storageVersionOf, type APIResourceList } from './discovery.js'
import { TestkitError } from './errors.js'
import { groupVersionOf, requireGroupVersion, type GroupVersion } from './group-version.js'
import { fixedMetaKeys, metaDocument } from './meta-documents.js'
import type { JsonObject } from './_json.js'
import type { JsonText, ServedCrds } from './crd-documents.js'
import type { Profile } from './profile.js'
import { ServedDocument } from './served-document.js'

/** One served group-version: its document and its aggregated-API availability. */
export interface SpecEntry {
  gv: GroupVersion
  served: ServedDocument
  unavailable: boolean
  revision: number
  discovery?: APIResourceList
  /** Served for installed CRDs (aggregated discovery lists them as the CRD controller does). */
  crd?: boolean
}

/** Splits a v2 document's paths into the group-versions they belong to. */
export function groupVersionsOfV2(document: unknown): GroupVersion[] {
  const keys = new Set<string>()
  const paths = isJsonObject(document) && isJsonObject(document['paths']) ? document['paths'] : {}
  for (const path of Object.keys(paths)) {
    const match = /^\/(api)\/([^/]+)\/|^\/(apis)\/([^/]+)\/([^/]+)\//.exec(path)
    if (match === null) continue
    const key = match[1] === 'api' ? `api/${match[2]}` : `apis/${match[4]}/${match[5]}`
    if (groupVersionOf(key) !== undefined) keys.add(key)
  }
  return [...keys].sort().map((key) => requireGroupVersion(key))
}

/**
 * The spec documents one server serves: group-versions (the OpenAPI v3 documents, or the
 * group-versions of a v2-only profile), the meta documents of the `/openapi/v3` root, and v2.
 */
export class SpecRegistry {
  readonly entries = new Map<string, SpecEntry>()
  readonly #meta = new Map<string, ServedDocument>()
  readonly #profile: Profile
  #v2Source: (() => unknown) | undefined
  #v2: ServedDocument | undefined

  /**
   * `crds` (crd-serving.ts `crdAdditions`): installed CRDs, whose documents join the v3 ones, whose
   * paths and definitions are merged into `/openapi/v2`, and whose discovery is the CRD's own.
   */
  constructor(
    profile: Profile,
    crds?: { served: ServedCrds<JsonText[]>; v2: (() => JsonObject) | undefined },
  ) {
    this.#profile = profile
    this.#v2Source = crds?.v2 ?? profile.v2
    if (profile.v3 !== undefined) {
      for (const [key, document] of profile.v3) {
        if (groupVersionOf(key) === undefined) this.#meta.set(key, new ServedDocument(document))
        else this.put(key, document)
      }
      for (const [key, build] of crds?.served.documents ?? []) {
        this.#putServed(key, ServedDocument.deferred(build))
      }
    } else if (this.#v2Source !== undefined) {
      const v2 = this.#v2Source()
      for (const gv of groupVersionsOfV2(v2)) this.put(gv.key, v2)
    }
    // A CRD's discovery is the CRD's own (short names, categories, verbs, storage version).
    for (const [key, list] of crds?.served.discovery ?? []) {
      const entry = this.entries.get(key)
      if (entry !== undefined) {
        entry.discovery = list
        entry.crd = true
      }
    }
  }

  /** A profile without v3 documents is a pre-1.24 server: /openapi/v3 does not exist there. */
  get servesV3(): boolean {
    return this.#profile.v3 !== undefined
  }

  // Replacing a document keeps the group-version's availability: a spec update does not bring
  // a down APIService back.
  put(key: string, document: unknown): void {
    this.#putServed(key, new ServedDocument(document))
  }

  #putServed(key: string, served: ServedDocument): void {
    const gv = requireGroupVersion(key)
    this.entries.set(key, {
      gv,
      served,
      unavailable: this.entries.get(key)?.unavailable ?? false,
      revision: 0,
    })
  }

  /**
   * Serves `group`'s CRDs as they are now, as apiextensions-apiserver's discovery and OpenAPI
   * controllers republish a group after a CRD write (customresource_discovery_controller.go
   * `sync`, `pkg/controller/openapiv3` per group-version): each served version's document (new
   * hash) and discovery; a CRD group-version no longer served goes.
   */
  serveCrdGroup(group: string, served: Pick<ServedCrds<string>, 'documents' | 'discovery'>): void {
    for (const [key, entry] of this.entries) {
      if (entry.crd === true && entry.gv.group === group && !served.documents.has(key))
        this.entries.delete(key)
    }
    for (const [key, build] of served.documents) {
      // A group-version the server serves otherwise (built-in, or set by a test) stays its own.
      const current = this.entries.get(key)
      if (current !== undefined && current.crd !== true) continue
      this.#putServed(key, ServedDocument.deferred(build))
      const entry = this.entries.get(key) as SpecEntry
      const list = served.discovery.get(key)
      if (list !== undefined) entry.discovery = list
      entry.crd = true
    }
  }

  /** `/openapi/v2` from now on: `source`, built on first use (the CRDs served changed). */
  setV2Source(source: () => unknown): void {
    this.#v2Source = source
    this.#v2 = undefined
  }

  remove(key: string): void {
    requireGroupVersion(key)
    if (!this.entries.delete(key)) {
      throw new TestkitError(
        'K8S_CODEGEN_TESTKIT_GROUP_VERSION_INVALID',
        `removeGroupVersion(${JSON.stringify(key)}): this server does not serve that group-version`,
      )
    }
  }

  markUnavailable(key: string): void {
    const entry = this.entries.get(requireGroupVersion(key).key)
    if (entry === undefined) {
      throw new TestkitError(
        'K8S_CODEGEN_TESTKIT_GROUP_VERSION_INVALID',
        `markUnavailable(${JSON.stringify(key)}): this server does not serve that group-version`,
      )
    }
    entry.unavailable = true
  }

  v2Document(): ServedDocument | undefined {
    if (this.#v2Source === undefined) return undefined
    this.#v2 ??= new ServedDocument(this.#v2Source())
    return this.#v2
  }

  #metaDocumentOf(key: string): ServedDocument | undefined {
    let served = this.#meta.get(key)
    if (served === undefined) {
      const document = metaDocument(key, this.#profile.version.gitVersion)
      if (document === undefined) return undefined
      served = new ServedDocument(document)
      this.#meta.set(key, served)
    }
    return served
  }

  rootKeys(): Set<string> {
    const groups = new Set<string>()
    for (const entry of this.entries.values()) if (entry.gv.group !== '') groups.add(entry.gv.group)
    const keys = new Set<string>([...this.entries.keys(), ...fixedMetaKeys])
    for (const group of groups) keys.add(`apis/${group}`)
    // A group whose last version was removed also disappears from the root.
    for (const key of this.#meta.keys()) {
      const group = /^apis\/([^/]+)$/.exec(key)?.[1]
      if (group === undefined || groups.has(group)) keys.add(key)
    }
    return keys
  }

  servedOf(
    key: string,
    keys: Set<string> = this.rootKeys(),
  ): { served: ServedDocument; entry?: SpecEntry } | undefined {
    const entry = this.entries.get(key)
    if (entry !== undefined) return { served: entry.served, entry }
    if (!keys.has(key)) return undefined
    const served = this.#metaDocumentOf(key)
    return served === undefined ? undefined : { served }
  }

  discoveryOf(entry: SpecEntry): APIResourceList {
    // Discovery hashes the storage version of a kind (the version a real server stores it at),
    // not the one this group-version serves.
    entry.discovery ??= deriveResourceList(
      entry.gv,
      entry.served.document,
      (kind) =>
        // Only the group's own documents: another group's (a CRD's, built on first use) stay unbuilt.
        storageVersionOf(
          [...this.entries.values()]
            .filter((e) => e.gv.group === entry.gv.group)
            .map((e) => ({ gv: e.gv, document: e.served.document })),
          entry.gv.group,
          kind,
        ) ?? entry.gv.version,
    )
    return entry.discovery
  }

  /**
   * Whether any group-version of `group` is served: kube-apiserver's director (apiserver
   * pkg/server/handler.go) sends a path under no served group past go-restful, whose routes
   * answer a Status, to the non-go-restful chain, which ends in Go's text `404 page not found`.
   */
  servesGroup(group: string): boolean {
    return [...this.entries.keys()].some((key) => key.startsWith(`apis/${group}/`))
  }

  // kube-apiserver installs a group-version only when it has resources ("Skipping API … because
  // it has no resources", apiserver `pkg/server/genericapiserver.go` installAPIResources), so
  // discovery leaves out documents without resource paths even when /openapi/v3 lists them.
  discoverable(): SpecEntry[] {
    return [...this.entries.values()].filter((e) => this.discoveryOf(e).resources.length > 0)
  }
}
