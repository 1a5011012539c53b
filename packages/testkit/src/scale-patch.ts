// PATCH on `/scale` patches the autoscaling/v1 Scale, then writes its replicas back
// (kubernetes `pkg/registry/apps/deployment/storage/storage.go` ScaleREST.Update via
// `rest.DefaultUpdatedObjectInfo`).
import { jsonPatch, mergePatch, strategicMergePatch, PatchError } from './patch.js'
import type { PatchType } from './registry.js'
import { badRequest } from './status-errors.js'
import type { JsonObject } from './_json.js'

/** The Scale after a patch of any type (apply merges like a merge patch here). */
export function patchScale(scale: JsonObject, type: PatchType, patch: unknown): unknown {
  try {
    if (type === 'json') return jsonPatch(scale, patch)
    if (type === 'strategic')
      return strategicMergePatch(scale, patch, { document: undefined, schema: undefined })
    return mergePatch(scale, patch)
  } catch (error) {
    if (error instanceof PatchError) throw badRequest(error.message)
    throw error
  }
}
