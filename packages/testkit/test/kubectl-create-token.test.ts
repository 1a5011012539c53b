import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kubectlMinor, runKubectl, type KubectlResult } from './_kubectl.js'
import { recordedProfileDir, startApiServer, type ApiServer } from '../src/index.js'

// `kubectl create token` (a protobuf TokenRequest to `serviceaccounts/token`) and `kubectl auth
// whoami --token` (a SelfSubjectReview) against the emulator. The expected outputs are what
// kubectl 1.32 printed against kube-apiserver v1.37.2 for the same commands; the
// server-parity table `serviceAccountTokens` compares the HTTP answers with the real server.
const minor = kubectlMinor()
if (minor === undefined) console.warn('skipping kubectl create token tests: kubectl is not on PATH')
if (recordedProfileDir() === undefined)
  console.warn('skipping kubectl create token tests: ../shared/fixtures/kubernetes is absent')

const work = mkdtempSync(join(tmpdir(), 'testkit-kubectl-token-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g

describe.skipIf(minor === undefined || recordedProfileDir() === undefined)(
  'kubectl create token against the emulator',
  () => {
    let server: ApiServer
    let kubeconfig = ''
    const kubectl = (args: string[]): Promise<KubectlResult> => runKubectl(kubeconfig, work, args)
    beforeAll(async () => {
      server = await startApiServer({ profile: 'recorded' })
      kubeconfig = await server.kubeconfig(join(work, 'kubeconfig'))
      expect((await kubectl(['create', 'namespace', 'tk'])).code).toBe(0)
      expect((await kubectl(['create', 'serviceaccount', 'robot', '-n', 'tk'])).code).toBe(0)
    }, 60_000)
    afterAll(() => server?.close())

    it('issues a token that authenticates as the service account', async () => {
      const created = await kubectl(['create', 'token', 'robot', '-n', 'tk'])
      expect(created.stderr).toBe('')
      const token = created.stdout.trim()
      // The secret never reaches the request log.
      expect(JSON.stringify(server.requests)).not.toContain(token)
      const whoami = await kubectl(['auth', 'whoami', '--token', token, '-o', 'json'])
      const review = JSON.parse(whoami.stdout) as { status: { userInfo: unknown } }
      expect(JSON.parse(JSON.stringify(review.status.userInfo).replace(uuid, '<uid>'))).toEqual({
        username: 'system:serviceaccount:tk:robot',
        uid: '<uid>',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:tk', 'system:authenticated'],
        extra: { 'authentication.kubernetes.io/credential-id': ['JTI=<uid>'] },
      })
    })

    it.each<{ given: string[]; want: string }>([
      {
        given: ['create', 'token', 'ghost', '-n', 'tk'],
        want: 'error: failed to create token: serviceaccounts "ghost" not found\n',
      },
      {
        given: ['create', 'token', 'robot', '-n', 'tk', '--duration', '5m'],
        want: 'error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes\n',
      },
      {
        given: [
          'create',
          'token',
          'robot',
          '-n',
          'tk',
          '--bound-object-kind',
          'Pod',
          '--bound-object-name',
          'nope',
        ],
        want: 'error: failed to create token: pods "nope" not found\n',
      },
      {
        given: [
          'create',
          'token',
          'robot',
          '-n',
          'tk',
          '--bound-object-kind',
          'Secret',
          '--bound-object-name',
          'nope',
        ],
        want: 'error: failed to create token: secrets "nope" not found\n',
      },
    ])('kubectl $given', async ({ given, want }) => {
      const result = await kubectl(given)
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 1, stderr: want })
    })

    it.each<{ given: string; want: string }>([
      { given: 'a token for another audience', want: 'only-this' },
      { given: 'a token with a byte changed', want: 'tampered' },
    ])('$given is Unauthorized', async ({ want }) => {
      const created = await kubectl(
        ['create', 'token', 'robot', '-n', 'tk'].concat(
          want === 'only-this' ? ['--audience', want] : [],
        ),
      )
      const token = want === 'tampered' ? `x${created.stdout.trim()}` : created.stdout.trim()
      const whoami = await kubectl(['auth', 'whoami', '--token', token])
      expect({ code: whoami.code, stderr: whoami.stderr }).toEqual({
        code: 1,
        stderr: 'error: You must be logged in to the server (Unauthorized)\n',
      })
    })
  },
)
