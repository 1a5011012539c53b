// `POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token`: kubernetes
// `pkg/registry/core/serviceaccount/storage/token.go` TokenREST.Create, which `kubectl create
// token` calls. The TokenRequest's `spec.expirationSeconds` defaults to 3600
// (`pkg/apis/authentication/v1/defaults.go`); a name or uid in the body must be the service
// account's (422 / 409); the service account must exist (404); `spec.audiences` defaults to the
// server's; `ValidateTokenRequest` (`pkg/apis/authentication/validation`) wants 10 minutes to 2^32
// seconds; a `boundObjectRef` names a Pod running as this service account, a Secret or a Node that
// exists (404), with the uid given (409), any other kind is a 400. The answer is the request with
// its metadata filled in and `status.token` + `status.expirationTimestamp` (201); `dryRun` is
// ignored, as the real storage ignores it. Webhook-configuration bindings (alpha, feature gate
// off by default) are refused as any other kind is, before their own validation.
import { isJsonObject, scalarText, type JsonObject } from './_json.js'
import { nowTime, updateManagedFields } from './managed-fields.js'
import { collectionOf, type Registry } from './registry.js'
import { kindSchema, type ResourceCatalog } from './resource-catalog.js'
import type { BoundObjectLookup, ServiceAccountTokens, TokenRef } from './service-account-token.js'
import { badRequest, conflict, invalid, type StatusCause } from './status-errors.js'

const group = 'authentication.k8s.io'
const apiVersion = `${group}/v1`
const tokenRequest = { group, kind: 'TokenRequest' }

// token.go: the pod-bound token kubelet asks for lives a year and warns after its hour.
const warnOnlyBoundTokenExpirationSeconds = 60 * 60 + 7
const expirationExtensionSeconds = 24 * 365 * 60 * 60
// pkg/apis/authentication/validation MinTokenAgeSec, and the 2^32 s upper bound.
const minTokenAgeSeconds = 10 * 60
const maxTokenAgeSeconds = 2 ** 32

/** What issuing a token reads and writes. */
export interface TokenContext {
  catalog: ResourceCatalog
  registry: Registry
  serviceAccountTokens: ServiceAccountTokens
}

/**
 * Reads service accounts, pods, secrets and nodes from the server's storage, for the token
 * authenticator's checks.
 *
 * @example
 * tokens.authenticate(bearer, boundObjectLookup(context))
 */
export function boundObjectLookup(
  context: Omit<TokenContext, 'serviceAccountTokens'>,
): BoundObjectLookup {
  return (resource, namespace, name) => {
    const info = context.catalog.get('', 'v1', resource)
    if (info === undefined) return undefined
    return context.registry.store.get(collectionOf(info), info.namespaced ? namespace : '', name)
  }
}

function objectOf(value: unknown): JsonObject {
  return isJsonObject(value) ? value : {}
}

function refOf(object: JsonObject): TokenRef {
  const meta = objectOf(object['metadata'])
  return { name: scalarText(meta['name']), uid: scalarText(meta['uid']) }
}

function invalidValue(field: string, value: string, why: string): StatusCause {
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${value}: ${why}`, field }
}

/**
 * TokenREST.Create for the service account `name` in `namespace`: the TokenRequest answer, or
 * the `ApiStatusError` kube-apiserver answers. `manager` is the request's field manager.
 *
 * @example
 * send(exchange, 201, issueToken(context, 'default', 'robot', body, 'kubectl'))
 */
export function issueToken(
  context: TokenContext,
  namespace: string,
  name: string,
  body: JsonObject,
  manager: string,
): JsonObject {
  const { catalog, registry } = context
  const get = (
    resource: 'serviceaccounts' | 'pods' | 'secrets' | 'nodes',
    ns: string,
    n: string,
  ) => {
    const info = catalog.get('', 'v1', resource)
    if (info === undefined) throw badRequest(`the server does not serve ${resource}`)
    return registry.getOrThrow(info, info.namespaced ? ns : '', n)
  }
  // The decoder: another kind cannot become a TokenRequest (runtime scheme conversion).
  const kind = body['kind']
  const version = body['apiVersion']
  if (
    (kind !== undefined && kind !== 'TokenRequest') ||
    (version !== undefined && version !== apiVersion)
  ) {
    const v = scalarText(version)
    const goType = `${v.split('/').at(-1) ?? ''}.${scalarText(kind)}`
    throw badRequest(
      `${scalarText(kind)} in version ${JSON.stringify(v)} cannot be handled as a TokenRequest: converting (${goType}) to (authentication.TokenRequest): unknown conversion`,
    )
  }
  const meta = objectOf(body['metadata'])
  // The create handler, before the storage: the body's namespace is the URL's.
  if (scalarText(meta['namespace']) !== '' && meta['namespace'] !== namespace)
    throw badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    )
  const spec = objectOf(body['spec'])
  const expiration = spec['expirationSeconds'] ?? 3600
  if (typeof expiration !== 'number' || !Number.isSafeInteger(expiration))
    throw badRequest(
      `TokenRequest in version "v1" cannot be handled as a TokenRequest: spec.expirationSeconds: ${JSON.stringify(expiration)} is not an integer`,
    )
  const given = scalarText(meta['name'])
  if (given !== '' && given !== name)
    throw invalid(tokenRequest, name, [
      invalidValue(
        'metadata.name',
        JSON.stringify(given),
        'must match the service account name if specified',
      ),
    ])

  const account = get('serviceaccounts', namespace, name)
  const accountRef = refOf(account)
  const uid = scalarText(meta['uid'])
  // The TokenRequestServiceAccountUIDValidation gate is on in 1.37.
  if (uid !== '' && uid !== accountRef.uid)
    throw conflict(
      { group, resource: 'TokenRequest' },
      name,
      `the UID in the token request (${uid}) does not match the UID of the service account (${accountRef.uid})`,
    )
  const requested = Array.isArray(spec['audiences']) ? spec['audiences'].map(scalarText) : []
  const audiences = requested.length > 0 ? requested : context.serviceAccountTokens.audiences()

  const problems: StatusCause[] = []
  if (expiration < minTokenAgeSeconds)
    problems.push(
      invalidValue(
        'spec.expirationSeconds',
        String(expiration),
        'may not specify a duration less than 10 minutes',
      ),
    )
  if (expiration > maxTokenAgeSeconds)
    problems.push(
      invalidValue(
        'spec.expirationSeconds',
        String(expiration),
        'may not specify a duration larger than 2^32 seconds',
      ),
    )
  if (problems.length > 0) throw invalid(tokenRequest, '', problems)

  const bound: { pod?: TokenRef; secret?: TokenRef; node?: TokenRef } = {}
  const boundObjectRef = isJsonObject(spec['boundObjectRef']) ? spec['boundObjectRef'] : undefined
  if (boundObjectRef !== undefined) {
    const refKind = scalarText(boundObjectRef['kind'])
    const refVersion = scalarText(boundObjectRef['apiVersion'])
    const refName = scalarText(boundObjectRef['name'])
    const slash = refVersion.indexOf('/')
    const refGroup = slash === -1 ? '' : refVersion.slice(0, slash)
    let uidOnRecord: string
    if (refGroup === '' && refKind === 'Pod') {
      const pod = get('pods', namespace, refName)
      if (objectOf(pod['spec'])['serviceAccountName'] !== name)
        throw badRequest(
          `cannot bind token for serviceaccount ${JSON.stringify(name)} to pod running with different serviceaccount name.`,
        )
      bound.pod = refOf(pod)
      uidOnRecord = bound.pod.uid
      // ServiceAccountTokenPodNodeInfo (GA): the pod's node, by name alone when it is gone.
      const nodeName = scalarText(objectOf(pod['spec'])['nodeName'])
      if (nodeName !== '') {
        const node = boundObjectLookup(context)('nodes', '', nodeName)
        bound.node = node === undefined ? { name: nodeName, uid: '' } : refOf(node)
      }
    } else if (refGroup === '' && refKind === 'Node') {
      bound.node = refOf(get('nodes', '', refName))
      uidOnRecord = bound.node.uid
    } else if (refGroup === '' && refKind === 'Secret') {
      bound.secret = refOf(get('secrets', namespace, refName))
      uidOnRecord = bound.secret.uid
    } else {
      // schema.GroupVersionKind.String(): `apps/v1, Kind=Deployment`, `/v1, Kind=ConfigMap`.
      throw badRequest(
        `cannot bind token to object of type ${refVersion.includes('/') ? refVersion : `/${refVersion}`}, Kind=${refKind}`,
      )
    }
    const refUid = scalarText(boundObjectRef['uid'])
    if (refUid !== '' && refUid !== uidOnRecord)
      throw conflict(
        { group: refGroup, resource: refKind },
        refName,
        `the UID in the bound object reference (${refUid}) does not match the UID in record. The object might have been deleted and then recreated`,
      )
  }

  const now = Date.now()
  const extended =
    bound.pod !== undefined &&
    expiration === warnOnlyBoundTokenExpirationSeconds &&
    audiences.every((a) => context.serviceAccountTokens.audiences().includes(a))
  const token = context.serviceAccountTokens.issue(
    {
      namespace,
      serviceAccount: accountRef,
      pod: bound.pod,
      secret: bound.secret,
      node: bound.node,
      audiences,
      expirationSeconds: extended ? expirationExtensionSeconds : expiration,
      warnAfterSeconds: extended ? expiration : undefined,
    },
    now,
  )

  // The request as decoded and defaulted, which the field manager records (before the storage
  // fills in audiences and metadata).
  const decoded: JsonObject = {
    apiVersion,
    kind: 'TokenRequest',
    // An empty metadata is no member of the field set (structured-merge-diff drops it).
    ...(Object.keys(meta).length > 0 ? { metadata: meta } : {}),
    spec: { ...spec, expirationSeconds: expiration },
  }
  const info = catalog.get('', 'v1', 'serviceaccounts')
  const managedFields = updateManagedFields(
    [],
    undefined,
    decoded,
    { document: info?.document, schema: kindSchema(info?.document, group, 'v1', 'TokenRequest') },
    manager,
    apiVersion,
    'token',
    'all',
  )
  // One clock reading for both times, as token.go (`Create`: `nowTime`) fills in the
  // creationTimestamp and the expirationTimestamp: read twice, a second could pass between them.
  const metadata: JsonObject = {
    name: accountRef.name,
    namespace,
    uid: accountRef.uid,
    creationTimestamp: nowTime(now),
  }
  for (const key of ['labels', 'annotations'])
    if (isJsonObject(meta[key])) metadata[key] = meta[key]
  metadata['managedFields'] = managedFields
  return {
    kind: 'TokenRequest',
    apiVersion,
    metadata,
    spec: {
      audiences,
      expirationSeconds: expiration,
      boundObjectRef:
        boundObjectRef === undefined
          ? null
          : Object.fromEntries(
              ['kind', 'apiVersion', 'name', 'uid'].flatMap((k) =>
                scalarText(boundObjectRef[k]) === '' ? [] : [[k, scalarText(boundObjectRef[k])]],
              ),
            ),
    },
    status: {
      token,
      expirationTimestamp: nowTime(now + expiration * 1000),
    },
  }
}
