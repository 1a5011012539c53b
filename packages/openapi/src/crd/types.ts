import type { JsonObject } from '../types.js'

// The parts of apiextensions.k8s.io/v1 CustomResourceDefinition this package reads
// (apiextensions-apiserver `pkg/apis/apiextensions/v1/types.go`), after validation.

/**
 * One version of a CRD (`spec.versions[*]`).
 *
 * @example
 * const v: CrdVersion = { name: 'v1', served: true, storage: true, schema: { type: 'object' } }
 */
export interface CrdVersion {
  name: string
  served: boolean
  storage: boolean
  deprecated?: boolean
  deprecationWarning?: string
  /** `schema.openAPIV3Schema`. */
  schema: JsonObject
  subresources?: {
    status?: JsonObject
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string }
  }
  additionalPrinterColumns?: JsonObject[]
  /** `selectableFields[].jsonPath`, e.g. `.spec.color`. */
  selectableFields?: string[]
}

/**
 * A validated CustomResourceDefinition.
 *
 * @example
 * const crd: CustomResourceDefinition = { name: 'widgets.example.dev', group: 'example.dev', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' }, versions: [] }
 */
export interface CustomResourceDefinition {
  /** `metadata.name`: `<plural>.<group>`. */
  name: string
  group: string
  scope: 'Namespaced' | 'Cluster'
  names: {
    plural: string
    singular: string
    kind: string
    listKind: string
    shortNames?: string[]
    categories?: string[]
  }
  versions: CrdVersion[]
  /** `spec.preserveUnknownFields` (only `false` is valid in v1; kept for the builder's rule). */
  preserveUnknownFields: boolean
}
