import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kubectlMinor, runKubectl, type KubectlResult, succeeding } from './_kubectl.js'
import { recordedProfileDir, startApiServer, type ApiServer } from '../src/index.js'

// kubectl's typed commands (`create namespace|configmap|deployment…`, `expose`) send protobuf
// bodies for built-in kinds. kubectl is the oracle twice: each command must succeed against
// the emulator, and the stored object must be what `--dry-run=client -o json` prints — the
// same Go struct through Go's JSON encoder — once the server's own fields are set aside.
const minor = kubectlMinor()
if (minor === undefined)
  console.warn('skipping kubectl typed-command tests: kubectl is not on PATH')
if (recordedProfileDir() === undefined)
  console.warn('skipping kubectl typed-command tests: ../shared/fixtures/kubernetes is absent')

const work = mkdtempSync(join(tmpdir(), 'testkit-kubectl-typed-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

type Json = Record<string, unknown> & { metadata: Record<string, unknown> }

// What the server sets (metadata it owns; status, which create drops for kinds with a status
// subresource) is not part of what the client sent.
function sent(object: Json): Json {
  const metadata = { ...object.metadata }
  for (const key of ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'generation'])
    delete metadata[key]
  delete metadata['namespace']
  const out: Json = { ...object, metadata }
  delete out['status']
  return out
}

// Each command, the object it makes, and the kubectl minor version from which it writes a
// group-version 1.36 still serves. Objects are stored with what kube-apiserver adds (the Go
// defaults of builtin-defaults.ts; service-allocation.ts: a cluster IP, node ports;
// job-selector.ts): what the client sent is kept, and `added` is there too.
const aUid: unknown = expect.stringMatching(/^[0-9a-f-]{36}$/)
const allocated = {
  spec: { clusterIPs: [expect.stringMatching(/^10\.0\.0\.\d+$/)], sessionAffinity: 'None' },
}
const commands: {
  given: string[]
  object: string[]
  since?: number
  added?: Record<string, unknown>
}[] = [
  {
    given: ['create', 'configmap', 'c', '--from-literal=a=b', '--from-literal=__proto__=x'],
    object: ['configmap', 'c'],
  },
  {
    given: ['create', 'secret', 'generic', 's', '--from-literal=p=q'],
    object: ['secret', 's'],
    added: { type: 'Opaque' },
  },
  {
    given: ['create', 'deployment', 'web', '--image=nginx', '--replicas=2'],
    object: ['deployment', 'web'],
    added: {
      spec: {
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
        },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
        template: {
          spec: {
            restartPolicy: 'Always',
            dnsPolicy: 'ClusterFirst',
            containers: [{ imagePullPolicy: 'Always', terminationMessagePolicy: 'File' }],
          },
        },
      },
    },
  },
  {
    given: ['create', 'service', 'clusterip', 'svc', '--tcp=80:8080'],
    object: ['service', 'svc'],
    added: allocated,
  },
  {
    given: ['create', 'service', 'nodeport', 'np', '--tcp=80:http'],
    object: ['service', 'np'],
    added: allocated,
  },
  {
    given: ['create', 'job', 'j', '--image=busybox'],
    object: ['job', 'j'],
    added: {
      spec: {
        selector: {
          matchLabels: { 'batch.kubernetes.io/controller-uid': aUid },
        },
      },
    },
  },
  // kubectl before 1.21 creates batch/v1beta1 CronJobs, which 1.36 no longer serves.
  {
    given: ['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/5 * * * *'],
    object: ['cronjob', 'cj'],
    since: 21,
    added: {
      spec: {
        concurrencyPolicy: 'Allow',
        suspend: false,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
      },
    },
  },
  { given: ['create', 'serviceaccount', 'sa'], object: ['serviceaccount', 'sa'] },
  {
    given: ['create', 'quota', 'q', '--hard=pods=2,cpu=500m,memory=1Gi'],
    object: ['quota', 'q'],
  },
  {
    given: ['create', 'role', 'r', '--verb=get,list', '--resource=pods,deployments.apps'],
    object: ['role', 'r'],
  },
  {
    given: ['create', 'rolebinding', 'rb', '--role=r', '--user=u', '--serviceaccount=default:sa'],
    object: ['rolebinding', 'rb'],
    added: {
      subjects: [
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io' },
        { kind: 'ServiceAccount' },
      ],
    },
  },
  {
    given: ['create', 'clusterrole', 'cr', '--verb=get', '--resource=nodes'],
    object: ['clusterrole', 'cr'],
  },
  {
    given: ['create', 'clusterrolebinding', 'crb', '--clusterrole=cr', '--group=g'],
    object: ['clusterrolebinding', 'crb'],
  },
  {
    given: ['create', 'poddisruptionbudget', 'pdb', '--selector=app=web', '--min-available=1'],
    object: ['pdb', 'pdb'],
  },
  {
    given: ['create', 'priorityclass', 'high', '--value=1000'],
    object: ['priorityclass', 'high'],
  },
  {
    given: ['expose', 'deployment', 'exposed', '--port=80', '--target-port=8080'],
    object: ['service', 'exposed'],
    added: allocated,
  },
]

describe.skipIf(minor === undefined || recordedProfileDir() === undefined)(
  'kubectl typed commands against the emulator',
  () => {
    let server: ApiServer
    let kubeconfig = ''
    const kubectl = (args: string[]): Promise<KubectlResult> => runKubectl(kubeconfig, work, args)
    const ok = succeeding(kubectl)

    beforeAll(async () => {
      server = await startApiServer()
      kubeconfig = await server.kubeconfig(join(work, 'kubeconfig'))
      await ok(['create', 'deployment', 'exposed', '--image=nginx'])
    })
    afterAll(() => server.close())

    it.each(commands.filter(({ since }) => (minor ?? 0) >= (since ?? 0)))(
      'kubectl $given.0 $given.1 $given.2 stores what the client encoded',
      async ({ given, object, added }) => {
        const want = JSON.parse(await ok([...given, '--dry-run=client', '-o', 'json'])) as Json
        await ok(given)
        const stored = JSON.parse(await ok(['get', ...object, '-o', 'json'])) as Json
        if (added === undefined) expect(sent(stored)).toEqual(sent(want))
        else {
          expect(sent(stored)).toMatchObject(sent(want))
          expect(stored).toMatchObject(added)
        }
      },
    )

    it('kubectl create namespace stores the namespace with the server’s defaults', async () => {
      await ok(['create', 'namespace', 't0'])
      const stored = JSON.parse(await ok(['get', 'namespace', 't0', '-o', 'json'])) as Json
      expect(sent(stored)).toEqual({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 't0', labels: { 'kubernetes.io/metadata.name': 't0' } },
        spec: { finalizers: ['kubernetes'] },
      })
    })
  },
)
