// The scale subresource's object: autoscaling/v1 Scale as every `/scale` endpoint serves it
// (kubernetes pkg/apis/autoscaling/v1 and apiextensions-apiserver's scale handler for custom
// resources), declared here so the client types it without the autoscaling bindings.

/**
 * autoscaling/v1 Scale, as served.
 *
 * @example
 * const scale: Scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'api', namespace: 'web' }, spec: { replicas: 3 } }
 */
export interface Scale {
  apiVersion: 'autoscaling/v1'
  kind: 'Scale'
  metadata?: {
    name?: string
    namespace?: string
    uid?: string
    resourceVersion?: string
    creationTimestamp?: string
    [key: string]: unknown
  }
  spec?: { replicas?: number }
  status?: { replicas: number; selector?: string }
}
