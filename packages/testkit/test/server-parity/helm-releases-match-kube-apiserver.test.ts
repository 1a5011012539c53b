// Helm 4 (built from Go modules: `npm run helm:build`, test/helm) installs, upgrades, rolls back
// and uninstalls real public charts (fixtures/helm, PROVENANCE.md) against the emulator and the
// real kube-apiserver; the normalised transcripts — helm's stdout, stderr and exit code, and the
// objects it left behind — must be equal. No controller runs on either server: installs do not
// `--wait`, and the test completes a hook's Job itself (as the Job controller would) on both.
//
// The real server's transcripts are kept in recorded/helm/<scenario>.json (vitest file
// snapshots), so with helm built but no kube-apiserver the emulator is still compared with what
// kube-apiserver answered.
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, startRealApiServer, type ApiServer } from '../../src/index.js'
import { get, type Target } from '../_client.js'
import { findHelm, helmFor, type Helm } from '../_helm.js'
import { Normaliser } from './_normalise.js'
import { differingParts } from './_scenario.js'
import { kubeApiserver } from './_servers.js'
import { simplificationRows } from './_simplifications.js'

const charts = fileURLToPath(new URL('../fixtures/helm/charts/', import.meta.url))
const podinfo = join(charts, 'podinfo')
const jaegerOperator = join(charts, 'jaeger-operator')

/** How the test finishes the Jobs a helm run creates, as the Job controller would. */
type JobOutcome = 'Complete' | 'Failed'

/** One step: a helm run (finishing hook Jobs while it runs), a read, or another client's write. */
type Step =
  | { helm: string[]; finishJobs?: JobOutcome; finishPods?: true }
  | { read: string; keep?: (body: Record<string, unknown>) => unknown }
  | { patch: string; manager: string; body: object }

interface HelmScenario {
  name: string
  /** The recorded transcript's file name under recorded/helm/. */
  file: string
  /** The steps, given the scenario's namespace. */
  steps: (ns: string) => Step[]
  /**
   * Where the emulator's transcript differs (`differingParts`: step and three levels) and the
   * rows of the README's simplifications table that explain it; none when equal.
   */
  want?: { differences: string[]; simplifications: string[] }
}

// What a read keeps of an object helm wrote: its metadata a client sees (uids, revisions and
// times are normalised), spec and, for a custom resource or a CRD, status.
const objectView = (body: Record<string, unknown>): unknown => {
  const metadata = (body['metadata'] ?? {}) as Record<string, unknown>
  return {
    kind: body['kind'],
    code: body['code'],
    reason: body['reason'],
    metadata: {
      name: metadata['name'],
      labels: metadata['labels'],
      annotations: metadata['annotations'],
      managedFields: metadata['managedFields'],
    },
    spec: body['spec'],
  }
}
// A list of helm's release Secrets: their names, types and the labels helm's driver selects by.
const releaseSecrets = (body: Record<string, unknown>): unknown =>
  ((body['items'] ?? []) as Record<string, Record<string, unknown>>[]).map((item) => ({
    name: item['metadata']?.['name'],
    type: item['type'],
    // helm's driver stamps `modifiedAt` with the Unix second of the write (pkg/storage/driver).
    labels: { ...(item['metadata']?.['labels'] as object), modifiedAt: '<time>' },
  }))
const names = (body: Record<string, unknown>): unknown =>
  ((body['items'] ?? []) as Record<string, Record<string, unknown>>[]).map(
    (item) => item['metadata']?.['name'],
  )

// podinfo with its pre-install hook Job (`hooks.preInstall.job`), deleted only when it succeeds.
const installWithPreInstallJob = (ns: string): string[] => [
  'install',
  'podinfo',
  podinfo,
  '-n',
  ns,
  '--create-namespace',
  '--timeout',
  '60s',
  '--set',
  'hooks.preInstall.job.enabled=true,hooks.preInstall.job.hookDeletePolicy=hook-succeeded',
]

const scenarios: HelmScenario[] = [
  {
    name: 'podinfo: template --validate, install --dry-run=server, install, list, status, get',
    file: 'podinfo-install',
    steps: (ns) => [
      { helm: ['template', 'podinfo', podinfo, '-n', ns, '--validate'] },
      { helm: ['install', 'podinfo', podinfo, '-n', ns, '--dry-run=server'] },
      { helm: ['install', 'podinfo', podinfo, '-n', ns, '--create-namespace'] },
      { helm: ['install', 'podinfo', podinfo, '-n', ns, '--dry-run=server'] },
      { helm: ['list', '-n', ns] },
      { helm: ['list', '-n', ns, '-o', 'json'] },
      { helm: ['status', 'podinfo', '-n', ns] },
      { helm: ['get', 'manifest', 'podinfo', '-n', ns] },
      { helm: ['get', 'values', 'podinfo', '-n', ns] },
      { read: `/apis/apps/v1/namespaces/${ns}/deployments/podinfo`, keep: objectView },
      { read: `/api/v1/namespaces/${ns}/services/podinfo`, keep: objectView },
      { read: `/api/v1/namespaces/${ns}/secrets?labelSelector=owner%3Dhelm`, keep: releaseSecrets },
    ],
  },
  {
    name: 'podinfo: upgrade, a field another manager changed, rollback, history',
    file: 'podinfo-upgrade-rollback',
    steps: (ns) => [
      { helm: ['install', 'podinfo', podinfo, '-n', ns, '--create-namespace'] },
      { helm: ['upgrade', 'podinfo', podinfo, '-n', ns, '--set', 'replicaCount=2'] },
      { read: `/apis/apps/v1/namespaces/${ns}/deployments/podinfo`, keep: objectView },
      {
        patch: `/apis/apps/v1/namespaces/${ns}/deployments/podinfo`,
        manager: 'someone-else',
        body: { spec: { replicas: 5 } },
      },
      { helm: ['upgrade', 'podinfo', podinfo, '-n', ns, '--set', 'replicaCount=3'] },
      {
        helm: [
          'upgrade',
          'podinfo',
          podinfo,
          '-n',
          ns,
          '--set',
          'replicaCount=3',
          '--force-conflicts',
        ],
      },
      { read: `/apis/apps/v1/namespaces/${ns}/deployments/podinfo`, keep: objectView },
      { helm: ['history', 'podinfo', '-n', ns] },
      { helm: ['rollback', 'podinfo', '1', '-n', ns] },
      { helm: ['history', 'podinfo', '-n', ns, '-o', 'json'] },
      { helm: ['get', 'values', 'podinfo', '-n', ns, '--revision', '2'] },
      { read: `/apis/apps/v1/namespaces/${ns}/deployments/podinfo`, keep: objectView },
      { read: `/api/v1/namespaces/${ns}/secrets?labelSelector=owner%3Dhelm`, keep: releaseSecrets },
    ],
  },
  {
    name: 'podinfo: uninstall --keep-history, then uninstall',
    file: 'podinfo-uninstall',
    steps: (ns) => [
      { helm: ['install', 'podinfo', podinfo, '-n', ns, '--create-namespace'] },
      { helm: ['install', 'other', podinfo, '-n', ns, '--set', 'replicaCount=2'] },
      { helm: ['list', '-n', ns, '--selector', 'name=other'] },
      { helm: ['uninstall', 'podinfo', '-n', ns, '--keep-history'] },
      { helm: ['list', '-n', ns] },
      { helm: ['list', '-n', ns, '--uninstalled'] },
      { helm: ['list', '-n', ns, '--uninstalled', '--selector', 'name=podinfo'] },
      { helm: ['history', 'podinfo', '-n', ns] },
      { read: `/apis/apps/v1/namespaces/${ns}/deployments`, keep: names },
      { read: `/api/v1/namespaces/${ns}/secrets?labelSelector=owner%3Dhelm`, keep: releaseSecrets },
      { helm: ['uninstall', 'podinfo', '-n', ns] },
      { helm: ['uninstall', 'podinfo', '-n', ns] },
      { helm: ['list', '-n', ns, '--uninstalled', '--deployed'] },
      { read: `/api/v1/namespaces/${ns}/secrets?labelSelector=owner%3Dhelm`, keep: releaseSecrets },
    ],
  },
  {
    name: 'podinfo: a pre-install hook Job, deleted when it succeeded',
    file: 'podinfo-pre-install-hook',
    steps: (ns) => [
      { helm: installWithPreInstallJob(ns), finishJobs: 'Complete' },
      { helm: ['get', 'hooks', 'podinfo', '-n', ns] },
      { helm: ['test', 'podinfo', '-n', ns, '--timeout', '60s'], finishPods: true },
      { read: `/api/v1/namespaces/${ns}/pods`, keep: names },
      { read: `/apis/batch/v1/namespaces/${ns}/jobs`, keep: names },
      { helm: ['status', 'podinfo', '-n', ns, '-o', 'json'] },
    ],
  },
  {
    name: 'podinfo: a pre-install hook Job that fails, then install again and upgrade --install',
    file: 'podinfo-failed-hook',
    steps: (ns) => [
      { helm: installWithPreInstallJob(ns), finishJobs: 'Failed' },
      { read: `/apis/batch/v1/namespaces/${ns}/jobs`, keep: names },
      { helm: ['list', '-n', ns, '--failed'] },
      { helm: ['install', 'podinfo', podinfo, '-n', ns] },
      { helm: ['upgrade', '--install', 'podinfo', podinfo, '-n', ns] },
      { helm: ['history', 'podinfo', '-n', ns] },
      { read: `/api/v1/namespaces/${ns}/secrets?labelSelector=owner%3Dhelm`, keep: releaseSecrets },
    ],
  },
  {
    name: 'jaeger-operator: a CRD of crds/ and a custom resource of it in one install',
    file: 'jaeger-operator-crd',
    steps: (ns) => [
      {
        helm: [
          'install',
          'jaeger',
          jaegerOperator,
          '-n',
          ns,
          '--create-namespace',
          '--set',
          'jaeger.create=true,certs.issuer.create=false,certs.certificate.create=false,webhooks.mutatingWebhook.create=false,webhooks.validatingWebhook.create=false',
        ],
      },
      {
        read: `/apis/jaegertracing.io/v1/namespaces/${ns}/jaegers/jaeger-jaeger-operator-jaeger`,
        keep: objectView,
      },
      { helm: ['get', 'manifest', 'jaeger', '-n', ns] },
      { helm: ['uninstall', 'jaeger', '-n', ns] },
      { read: `/apis/jaegertracing.io/v1/namespaces/${ns}/jaegers`, keep: names },
      {
        read: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/jaegers.jaegertracing.io',
        keep: (body) => ({
          labels: (body['metadata'] as Record<string, unknown> | undefined)?.['labels'],
          annotations: (body['metadata'] as Record<string, unknown> | undefined)?.['annotations'],
        }),
      },
    ],
  },
]

// The values of a helm transcript no client can predict: times in its tables and notes, the
// server's address, the working directory; table columns are as wide as their widest cell.
const helmTime = [
  // `LAST DEPLOYED: Mon Dec  7 06:00:55 2026` (time.ANSIC), helm list/history's Go time.String()
  /[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}/g,
  /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4} [A-Z]+/g,
  /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/g,
]

function normaliseText(text: string, work: string, host: string): string {
  let out = text.replaceAll(work, '<work>').replaceAll(host, '<server>')
  for (const time of helmTime) out = out.replace(time, '<time>')
  // podinfo names its test Pods with `randAlphaNum 5 | lower` (templates/tests/*.yaml).
  out = out.replace(/(?<=-test-)[a-z0-9]{5}\b/g, '<random>')
  // `helm status` prints its resources' tables from a Go map (pkg/action/status.go
  // GetResourceList), in random order, with allocated cluster IPs and ages.
  out = out.replace(/(?<=RESOURCES:\n)[\s\S]*?(?=\n\nNOTES:|$)/, (block) =>
    block
      .split(/\n(?===> )/)
      .map((section) => section.trim())
      .sort()
      .join('\n\n')
      .replace(/\b10\.0\.0\.\d+\b/g, '<cluster-ip>')
      .replace(/(?<=\s)\d+s$/gm, '<age>'),
  )
  return out
    .split('\n')
    .map((line) => line.replace(/[ \t]{2,}|\t/g, '  ').trimEnd())
    .join('\n')
}

// Finishes every Job of `ns` that has not finished, as the Job controller would once its pod
// succeeded or failed (k8s.io/kubernetes pkg/controller/job/job_controller.go: SuccessCriteriaMet
// then Complete with a completionTime; FailureTarget then Failed, without one).
async function finishJobs(server: Target, ns: string, outcome: JobOutcome): Promise<void> {
  const listed = await get(server, `/apis/batch/v1/namespaces/${ns}/jobs`)
  if (listed.status !== 200) return
  const { items } = JSON.parse(listed.body.toString()) as {
    items: { metadata: { name: string }; status?: { conditions?: { type: string }[] } }[]
  }
  for (const job of items) {
    const conditions = job.status?.conditions ?? []
    if (conditions.some((c) => c.type === 'Complete' || c.type === 'Failed')) continue
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
    const condition = (type: string, reason: string, message: string) => ({
      type,
      status: 'True',
      lastProbeTime: now,
      lastTransitionTime: now,
      reason,
      message,
    })
    const status =
      outcome === 'Complete'
        ? {
            completionTime: now,
            succeeded: 1,
            conditions: [
              condition(
                'SuccessCriteriaMet',
                'CompletionsReached',
                'Reached expected number of succeeded pods',
              ),
              condition(
                'Complete',
                'CompletionsReached',
                'Reached expected number of succeeded pods',
              ),
            ],
          }
        : {
            failed: 2,
            conditions: [
              condition(
                'FailureTarget',
                'BackoffLimitExceeded',
                'Job has reached the specified backoff limit',
              ),
              condition(
                'Failed',
                'BackoffLimitExceeded',
                'Job has reached the specified backoff limit',
              ),
            ],
          }
    await get(server, `/apis/batch/v1/namespaces/${ns}/jobs/${job.metadata.name}/status`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: {
        status: {
          startTime: now,
          ready: 0,
          terminating: 0,
          uncountedTerminatedPods: {},
          ...status,
        },
      },
    })
  }
}

// Marks every Pod of `ns` still Pending as Succeeded, as its kubelet would once its containers
// exited 0 (k8s.io/kubernetes pkg/kubelet/status/status_manager.go writes pods/status).
async function finishPods(server: Target, ns: string): Promise<void> {
  const listed = await get(server, `/api/v1/namespaces/${ns}/pods`)
  if (listed.status !== 200) return
  const { items } = JSON.parse(listed.body.toString()) as {
    items: { metadata: { name: string }; status?: { phase?: string } }[]
  }
  for (const pod of items) {
    if (pod.status?.phase === 'Succeeded') continue
    await get(server, `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/status`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { status: { phase: 'Succeeded' } },
    })
  }
}

interface Side {
  server: Target & { close(): Promise<void> }
  helm: Helm
  work: string
  host: string
}

async function runHelmScenario(side: Side, scenario: HelmScenario, ns: string): Promise<unknown[]> {
  const normaliser = new Normaliser(side.host)
  const transcript: unknown[] = []
  for (const step of scenario.steps(ns)) {
    if ('helm' in step) {
      let running = true
      const completing = (async () => {
        while (running && (step.finishJobs !== undefined || step.finishPods === true)) {
          if (step.finishJobs !== undefined) await finishJobs(side.server, ns, step.finishJobs)
          if (step.finishPods === true) await finishPods(side.server, ns)
          await new Promise((resolve) => setTimeout(resolve, 200))
        }
      })()
      const result = await side.helm.run(step.helm)
      running = false
      await completing
      const json = step.helm.join(' ').includes('-o json') && result.code === 0
      transcript.push({
        helm: step.helm.map((arg) => arg.replace(charts, '<charts>/')),
        code: result.code,
        // `-o json`: the release as a document, its objects normalised as the API's answers.
        ...(json
          ? {
              json: normaliser.json(JSON.parse(normaliseText(result.stdout, side.work, side.host))),
            }
          : { stdout: normaliseText(result.stdout, side.work, side.host) }),
        stderr: normaliseText(result.stderr, side.work, side.host),
      })
    } else if ('read' in step) {
      const answer = await get(side.server, step.read)
      const body = JSON.parse(answer.body.toString()) as Record<string, unknown>
      transcript.push({
        read: step.read,
        status: answer.status,
        body: normaliser.json(answer.status === 200 ? (step.keep ?? objectView)(body) : body),
      })
    } else {
      const answer = await get(side.server, `${step.patch}?fieldManager=${step.manager}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json' },
        body: step.body,
      })
      transcript.push({ patch: step.patch, manager: step.manager, status: answer.status })
    }
  }
  return transcript
}

const helm = findHelm()
const real = kubeApiserver()
if (helm === undefined)
  console.warn('skipping the helm suite: no helm binary (npm run helm:build needs Go)')
else if (real.skip !== undefined)
  console.warn(`helm suite: ${real.skip}; comparing the emulator with recorded transcripts`)

async function sideFor(server: Side['server'] & Pick<ApiServer, 'kubeconfig'>): Promise<Side> {
  const work = await mkdtemp(join(tmpdir(), 'k8s-codegen-helm-'))
  const kubeconfig = await server.kubeconfig(join(work, 'kubeconfig'))
  return {
    server,
    work,
    host: new URL(server.url).host,
    helm: await helmFor(helm as string, kubeconfig, work),
  }
}

describe.skipIf(helm === undefined)('helm 4 against the emulator and kube-apiserver', () => {
  let emulated: Side
  let live: Side | undefined
  beforeAll(async () => {
    const [emulator, kube] = await Promise.all([
      startApiServer({ profile: 'recorded' }),
      real.skip === undefined ? startRealApiServer() : undefined,
    ])
    emulated = await sideFor(emulator)
    if (kube !== undefined) live = await sideFor(kube)
  }, 180_000)
  afterAll(async () => {
    await Promise.all(
      [emulated, live].map(async (side) => {
        if (side === undefined) return
        await side.server.close()
        await rm(side.work, { recursive: true, force: true })
      }),
    )
  })

  it.each(scenarios.map((scenario, i) => ({ scenario, ns: `helm-${i + 1}` })))(
    '$scenario.name',
    async ({ scenario, ns }) => {
      const recorded = new URL(`./recorded/helm/${scenario.file}.json`, import.meta.url)
      const [emulatorTranscript, answered] = await Promise.all([
        runHelmScenario(emulated, scenario, ns),
        live === undefined ? undefined : runHelmScenario(live, scenario, ns),
      ])
      let reference = answered
      if (reference !== undefined) {
        await expect(`${JSON.stringify(reference, null, 2)}\n`).toMatchFileSnapshot(
          recorded.pathname,
        )
      } else if (existsSync(recorded)) {
        reference = JSON.parse(readFileSync(recorded, 'utf8')) as unknown[]
      } else {
        expect.fail(
          `no kube-apiserver (${real.skip}) and no recorded transcript ${recorded.pathname}`,
        )
      }
      expect(differingParts(emulatorTranscript, reference)).toEqual(
        scenario.want?.differences ?? [],
      )
      for (const simplification of scenario.want?.simplifications ?? [])
        expect(simplificationRows.some((row) => row.startsWith(`| ${simplification}`))).toBe(true)
    },
    300_000,
  )
})
