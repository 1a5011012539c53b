// `serviceaccounts/token` (TokenRequest, what `kubectl create token` sends) and the tokens it
// issues: their claims, the user they authenticate as (`SelfSubjectReview`, what `kubectl auth
// whoami` sends), and the refusals — a missing service account, a bad expiration, a bad bound
// object, a token for another audience. A token whose service account or pod was deleted is
// refused too (service-account-token.test.ts), but not here: kube-apiserver looks them up in its
// informers first, which may still hold the deleted object for a moment.
import type { Answer, ParityRow, Request } from './_scenario.js'

const accounts = '/api/v1/namespaces/{ns}/serviceaccounts'
const pods = '/api/v1/namespaces/{ns}/pods'
const reviews = '/apis/authentication.k8s.io/v1/selfsubjectreviews'
const review = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }

function tokenRequest(spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) {
  return { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata, spec }
}

function account(name: string): Request {
  return {
    method: 'POST',
    path: accounts,
    body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } },
  }
}

// The token's claims with what differs by construction left out: the signature and key id (each
// server has its own key), and the times, kept as their distances from `iat`.
function claimsOf(token: unknown): unknown {
  const [head = '', payload = ''] = String(token).split('.')
  const decode = (part: string) =>
    JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>
  const { alg, typ } = decode(head)
  const claims = decode(payload)
  const iat = Number(claims['iat'])
  const k8s = claims['kubernetes.io'] as Record<string, unknown>
  const warnafter = k8s['warnafter']
  return {
    header: { alg, typ },
    claims: {
      ...claims,
      iat: 0,
      nbf: Number(claims['nbf']) - iat,
      exp: Number(claims['exp']) - iat,
      'kubernetes.io':
        warnafter === undefined ? k8s : { ...k8s, warnafter: Number(warnafter) - iat },
    },
  }
}

// A TokenRequest answer with its token shown as claims, and its expirationTimestamp as seconds
// after the creationTimestamp.
function tokenView(body: unknown): unknown {
  const answer = body as Record<string, Record<string, unknown>>
  if ((answer['kind'] as unknown) !== 'TokenRequest') return body
  const created = Date.parse(String(answer['metadata']?.['creationTimestamp']))
  const expires = Date.parse(String(answer['status']?.['expirationTimestamp']))
  return {
    ...answer,
    status: {
      token: claimsOf(answer['status']?.['token']),
      expiresAfterSeconds: (expires - created) / 1000,
    },
  }
}

const tokenOf = (answers: Answer[], index: number): string =>
  String((answers.at(index)?.body as { status?: { token?: unknown } }).status?.token)

// `index` counts every answer of the scenario, its setup's first.
function whoami(index: number): (answers: Answer[]) => Request {
  return (answers) => ({
    method: 'POST',
    path: reviews,
    body: review,
    token: tokenOf(answers, index),
  })
}

export const serviceAccountTokens: ParityRow[] = [
  {
    given: {
      name: 'a token for a service account authenticates as it, with its groups and credential id',
      setup: [account('robot')],
      steps: [
        { method: 'POST', path: `${accounts}/robot/token`, body: tokenRequest(), view: tokenView },
        whoami(1),
        { method: 'POST', path: reviews, body: review },
      ],
    },
  },
  {
    given: {
      name: 'a token bound to a pod names the pod in its claims and its user',
      setup: [
        account('robot'),
        account('other'),
        {
          method: 'POST',
          path: pods,
          body: {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'runner' },
            spec: { serviceAccountName: 'robot', containers: [{ name: 'c', image: 'busybox' }] },
          },
        },
      ],
      steps: [
        {
          method: 'POST',
          path: `${accounts}/robot/token`,
          body: tokenRequest({
            expirationSeconds: 7200,
            boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'runner' },
          }),
          view: tokenView,
        },
        whoami(3),
        // kubelet's token: 3607 s asked, a year granted with a warning after the hour.
        {
          method: 'POST',
          path: `${accounts}/robot/token`,
          body: tokenRequest({
            expirationSeconds: 3607,
            boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'runner' },
          }),
          view: tokenView,
        },
        {
          method: 'POST',
          path: `${accounts}/other/token`,
          body: tokenRequest({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'runner' } }),
        },
        {
          method: 'POST',
          path: `${accounts}/robot/token`,
          body: tokenRequest({
            boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'runner', uid: 'not-its-uid' },
          }),
        },
        {
          method: 'POST',
          path: `${accounts}/robot/token`,
          body: tokenRequest({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'gone' } }),
        },
        {
          method: 'POST',
          path: `${accounts}/robot/token`,
          body: tokenRequest({
            boundObjectRef: { kind: 'Deployment', apiVersion: 'apps/v1', name: 'd' },
          }),
        },
      ],
    },
  },
  {
    given: {
      name: 'token requests refused: no such service account, a bad expiration, another name or uid, a GET',
      setup: [account('robot')],
      steps: [
        { method: 'POST', path: `${accounts}/ghost/token`, body: tokenRequest() },
        {
          method: 'POST',
          path: `${accounts}/robot/token`,
          body: tokenRequest({ expirationSeconds: 599 }),
        },
        {
          method: 'POST',
          path: `${accounts}/robot/token`,
          body: tokenRequest({ expirationSeconds: 2 ** 32 + 1 }),
        },
        {
          method: 'POST',
          path: `${accounts}/robot/token`,
          body: tokenRequest({}, { name: 'other' }),
        },
        {
          method: 'POST',
          path: `${accounts}/robot/token`,
          body: tokenRequest({}, { namespace: 'elsewhere' }),
        },
        {
          method: 'POST',
          path: `${accounts}/robot/token`,
          body: tokenRequest({}, { uid: 'not-its-uid' }),
        },
        { path: `${accounts}/robot/token` },
      ],
    },
  },
  {
    given: {
      name: 'a token for another audience, or no token of ours, does not authenticate',
      setup: [account('robot')],
      steps: [
        {
          method: 'POST',
          path: `${accounts}/robot/token`,
          body: tokenRequest({ audiences: ['https://vault.example'] }),
          view: tokenView,
        },
        whoami(1),
        { method: 'POST', path: reviews, body: review, token: 'not-a-token' },
      ],
    },
  },
]
