// Decoding and validation of a custom resource as apiextensions-apiserver does them, through
// @k8s-codegen/validation on the group-version's published v3 document:
// `pkg/apiserver/customresource_handler.go` decodes (unknown fields pruned: a 400 strict decoding
// error under fieldValidation=Strict, a Warning each under Warn; schema defaults applied), then
// `pkg/registry/customresource/strategy.go` Validate / ValidateUpdate answer the 422.
import {
  decodeObject,
  findDecodeError,
  findUnknownFields,
  isK8sCodegenError,
  newStrictDecodingError,
  validateObject,
  type OpenApiDocument,
  type Status,
} from '@k8s-codegen/validation'
import { isJsonObject, type JsonObject } from './_json.js'
import { scaleCauses, type ScalePaths } from './custom-scale.js'
import type { ResourceInfo } from './resource-catalog.js'
import { ApiStatusError, invalid } from './status-errors.js'

/** How a request asked for unknown fields to be handled, and where its warnings go. */
export interface FieldValidation {
  fieldValidation: 'Strict' | 'Warn' | 'Ignore'
  warnings: string[]
}

/** True when `document` is a v3 document whose schemas the validation library reads. */
export function isV3Document(document: unknown): document is OpenApiDocument {
  return isJsonObject(document) && isJsonObject(document['components'])
}

/**
 * The message of the 400 kube-apiserver's Go decoder answers a built-in kind's body with when a
 * value's JSON type does not fit its field (`findDecodeError`), or undefined. A kind the document
 * has no schema for has no Go type to check against.
 *
 * @example
 * goDecodeErrorOf(coreV1, configMapWithNumberData) // 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number …'
 */
export function goDecodeErrorOf(document: OpenApiDocument, object: JsonObject): string | undefined {
  try {
    return findDecodeError(document, object)?.message
  } catch (error) {
    if (isK8sCodegenError(error)) return undefined
    throw error
  }
}

/**
 * The validation library's Status as the emulator's error.
 *
 * @example
 * throw statusError(newInvalid({ group: 'example.dev', kind: 'Widget' }, 'w', errors))
 */
export function statusError(status: Status): ApiStatusError {
  return new ApiStatusError(status.code, status.reason, status.message, { ...status.details })
}

/**
 * Decodes and validates a custom resource on create (`old` undefined) or update: throws the
 * server's 400 (Strict, unknown fields) or 422 (Invalid); returns the object to store. `scale`:
 * the CRD's scale subresource, whose paths validator.go checks after the schema.
 */
export function validateCustomResource(
  info: ResourceInfo,
  document: OpenApiDocument,
  object: JsonObject,
  options: FieldValidation,
  scale: ScalePaths | undefined,
  old?: JsonObject,
): JsonObject {
  const unknown = findUnknownFields(document, object)
  if (unknown.length > 0 && options.fieldValidation === 'Strict') {
    const status = newStrictDecodingError(
      info.kind,
      info.version,
      unknown.map((u) => u.message),
    )
    throw new ApiStatusError(status.code, status.reason, status.message)
  }
  if (options.fieldValidation === 'Warn') for (const u of unknown) options.warnings.push(u.message)
  // The old object of an update: transition rules (`oldSelf`) and ratcheting read it.
  const status = validateObject(document, object, old === undefined ? {} : { oldObject: old })
  const decoded = decodeObject(document, object) as JsonObject
  const scaleErrors = scale === undefined ? [] : scaleCauses(decoded, scale)
  if (scaleErrors.length > 0) {
    // After the schema's causes; the server puts list-type and CEL causes after these.
    const metadata = isJsonObject(decoded['metadata']) ? decoded['metadata'] : {}
    throw invalid(
      { group: info.group, kind: info.kind },
      typeof metadata['name'] === 'string' ? metadata['name'] : '',
      [...(status?.details.causes ?? []), ...scaleErrors],
    )
  }
  if (status !== undefined) throw statusError(status)
  return decoded
}
