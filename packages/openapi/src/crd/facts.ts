import { compareKubeAwareVersions } from '../kube-version.js'
import type { CrdVersion, CustomResourceDefinition } from './types.js'

// What a CRD says about a served version that neither its OpenAPI document nor its discovery
// list carries (apiextensions-apiserver publishes neither): the deprecation warning the server
// sends with every request to a deprecated version, and the columns `kubectl get` prints. They
// travel beside the converted document (locked with it) so codegen can put them on the types.

/**
 * One of a CRD version's `additionalPrinterColumns` (apiextensions/v1
 * `CustomResourceColumnDefinition`), as `kubectl get` uses it.
 *
 * @example
 * const ready: PrinterColumn = { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' }
 */
export interface PrinterColumn {
  name: string
  /** integer, number, string, boolean or date. */
  type: string
  jsonPath: string
  description?: string
  /** 0 is shown by default; higher only with `-o wide`. */
  priority?: number
  format?: string
}

/**
 * The CRD facts of one resource in one served version.
 *
 * @example
 * const facts: CrdResourceFacts = { name: 'widgets', kind: 'Widget', deprecationWarning: 'example.dev/v1beta1 Widget is deprecated; use example.dev/v1 Widget' }
 */
export interface CrdResourceFacts {
  /** The plural, as discovery names the resource. */
  name: string
  kind: string
  /** Set when the version is deprecated: its own warning, or the apiserver's default text. */
  deprecationWarning?: string
  printerColumns?: PrinterColumn[]
}

/**
 * The CRD facts of every resource of one group-version, sorted by name.
 *
 * @example
 * const list: CrdFactsList = { groupVersion: 'example.dev/v1', resources: [{ name: 'widgets', kind: 'Widget' }] }
 */
export interface CrdFactsList {
  groupVersion: string
  resources: CrdResourceFacts[]
}

/**
 * The warning a request to a deprecated version gets: `deprecationWarning` when set, else
 * apiextensions-apiserver `pkg/apiserver/customresource_handler.go` defaultDeprecationWarning:
 * `<group>/<version> <Kind> is deprecated`, and `; use <group>/<newer> <Kind>` naming the
 * highest served, non-deprecated version that ranks above it (CompareKubeAwareVersionStrings).
 * Undefined for a version that is not deprecated.
 *
 * @example
 * crdDeprecationWarning(crd, crd.versions[1]) // 'example.dev/v1beta1 Widget is deprecated; use example.dev/v1 Widget'
 */
export function crdDeprecationWarning(
  crd: CustomResourceDefinition,
  version: CrdVersion,
): string | undefined {
  if (version.deprecated !== true) return undefined
  if (version.deprecationWarning !== undefined) return version.deprecationWarning
  const message = `${crd.group}/${version.name} ${crd.names.kind} is deprecated`
  const newer = crd.versions
    .filter(
      (v) =>
        v.served && v.deprecated !== true && compareKubeAwareVersions(version.name, v.name) < 0,
    )
    .map((v) => v.name)
    .sort((a, b) => compareKubeAwareVersions(b, a))
  return newer[0] === undefined
    ? message
    : `${message}; use ${crd.group}/${newer[0]} ${crd.names.kind}`
}

function column(value: Record<string, unknown>): PrinterColumn {
  const out: PrinterColumn = {
    name: value.name as string,
    type: value.type as string,
    jsonPath: value.jsonPath as string,
  }
  if (typeof value.description === 'string') out.description = value.description
  if (typeof value.priority === 'number') out.priority = value.priority
  if (typeof value.format === 'string' && value.format !== '') out.format = value.format
  return out
}

/**
 * The facts of one CRD in one of its versions (validated by `validateCrd`).
 *
 * @example
 * crdResourceFacts(crd, crd.versions[0]) // { name: 'widgets', kind: 'Widget', printerColumns: [...] }
 */
export function crdResourceFacts(
  crd: CustomResourceDefinition,
  version: CrdVersion,
): CrdResourceFacts {
  const facts: CrdResourceFacts = { name: crd.names.plural, kind: crd.names.kind }
  const warning = crdDeprecationWarning(crd, version)
  if (warning !== undefined) facts.deprecationWarning = warning
  if (version.additionalPrinterColumns !== undefined && version.additionalPrinterColumns.length > 0)
    facts.printerColumns = version.additionalPrinterColumns.map(column)
  return facts
}
