// `POST /apis/authorization.k8s.io/v1/…accessreviews` and `selfsubjectrulesreviews`
// (`kubectl auth can-i`, `kubectl auth can-i --list`): kubernetes
// `pkg/registry/authorization/{selfsubjectaccessreview,subjectaccessreview,
// localsubjectaccessreview,selfsubjectrulesreview}/rest.go` REST.Create, answered by the
// AlwaysAllow authorizer the emulator stands for ("authorization is always allowed"): nothing is
// stored, no name is needed, and every review is allowed.
import { isJsonObject, type JsonObject } from './_json.js'
import { updateManagedFields } from './managed-fields.js'
import type { ResourceInfo } from './resource-catalog.js'
import { badRequest, invalid, type StatusCause } from './status-errors.js'

/** The authorization.k8s.io resources answered as reviews, by their kind. */
export const reviewKinds: Record<string, string> = {
  selfsubjectaccessreviews: 'SelfSubjectAccessReview',
  subjectaccessreviews: 'SubjectAccessReview',
  localsubjectaccessreviews: 'LocalSubjectAccessReview',
  selfsubjectrulesreviews: 'SelfSubjectRulesReview',
}

const unionMessage = 'exactly one of nonResourceAttributes or resourceAttributes must be specified'

// pkg/apis/authorization/validation/validation.go: the causes of one review, in its order.
function problems(kind: string, body: JsonObject, namespace: string): StatusCause[] {
  const spec = isJsonObject(body['spec']) ? body['spec'] : {}
  const resource = isJsonObject(spec['resourceAttributes']) ? spec['resourceAttributes'] : undefined
  const nonResource = isJsonObject(spec['nonResourceAttributes'])
    ? spec['nonResourceAttributes']
    : undefined
  const out: StatusCause[] = []
  const cause = (field: string, value: string, message: string): void => {
    out.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${value}: ${message}`, field })
  }
  if (kind === 'LocalSubjectAccessReview') {
    // ValidateLocalSubjectAccessReview: attributes of this namespace only.
    const given = resource?.['namespace'] ?? ''
    if (resource !== undefined && given !== namespace)
      cause(
        'spec.resourceAttributes.namespace',
        JSON.stringify(given),
        'must match metadata.namespace',
      )
    if (nonResource !== undefined)
      cause(
        'spec.nonResourceAttributes',
        goValue(nonResource),
        'disallowed on this kind of request',
      )
  }
  // ValidateSubjectAccessReviewSpec / ValidateSelfSubjectAccessReviewSpec: the value printed is
  // the internal NonResourceAttributes struct, whose fields have no JSON names.
  if ((resource === undefined) === (nonResource === undefined))
    cause('spec', nonResource === undefined ? 'null' : goValue(nonResource), unionMessage)
  if (kind !== 'SelfSubjectAccessReview') {
    const user = typeof spec['user'] === 'string' ? spec['user'] : ''
    const groups = Array.isArray(spec['groups']) ? spec['groups'] : []
    if (user === '' && groups.length === 0)
      cause('spec.user', JSON.stringify(user), 'at least one of user or group must be specified')
  }
  return out
}

// authorization's internal NonResourceAttributes as encoding/json prints it.
function goValue(attributes: JsonObject): string {
  const text = (value: unknown): string => (typeof value === 'string' ? value : '')
  return JSON.stringify({ Path: text(attributes['path']), Verb: text(attributes['verb']) })
}

/**
 * The answer (201) to a review of `info` (one of {@link reviewKinds}) posted by `manager` in
 * `namespace` ('' for the cluster-scoped ones): the review with `status.allowed: true`, or the
 * rules review's allow-everything rules. Throws the 400 or 422 Status kube-apiserver answers.
 *
 * @example
 * send(exchange, 201, accessReview(info, body, '', 'kubectl'))
 */
export function accessReview(
  info: ResourceInfo,
  body: JsonObject,
  namespace: string,
  manager: string,
): JsonObject {
  const kind = reviewKinds[info.resource] ?? info.kind
  if (kind === 'SelfSubjectRulesReview') {
    const spec = isJsonObject(body['spec']) ? body['spec'] : {}
    if (typeof spec['namespace'] !== 'string' || spec['namespace'] === '')
      throw badRequest('no namespace on request')
    // selfsubjectrulesreview/rest.go answers a new review: no metadata, no spec; AlwaysAllow's
    // RulesFor allows every verb on everything.
    return {
      kind,
      apiVersion: info.apiVersion,
      metadata: {},
      spec: {},
      status: {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      },
    }
  }
  const metadata = isJsonObject(body['metadata']) ? { ...body['metadata'] } : {}
  // The create handler fills in the request's namespace (rest.EnsureObjectNamespaceMatchesRequestNamespace).
  if (namespace !== '') {
    if (metadata['namespace'] !== undefined && metadata['namespace'] !== namespace)
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      )
    metadata['namespace'] = namespace
  }
  const causes = problems(kind, { ...body, metadata }, namespace)
  // NewInvalid(authorizationapi.Kind(review.Kind), "", errs): the decoded internal object has
  // no kind, so the message and details name the group alone.
  if (causes.length > 0) throw invalid({ group: info.group, kind: '' }, '', causes)
  // The create handler's field manager records the request (its managedFields answer too).
  const decoded: JsonObject = { apiVersion: info.apiVersion, kind, spec: body['spec'] }
  const managedFields = updateManagedFields(
    [],
    undefined,
    decoded,
    { document: info.document, schema: info.schema },
    manager,
    info.apiVersion,
    undefined,
    'all',
  )
  return {
    kind,
    apiVersion: info.apiVersion,
    metadata: { ...metadata, managedFields },
    spec: body['spec'],
    // AlwaysAllow gives no reason (`reason` is omitempty).
    status: { allowed: true },
  }
}
