// @kubernetes/client-node 2.x — the client most TypeScript code talks to clusters with today — run
// the same scenarios against the emulator and a real kube-apiserver (v1.37.2, `npm run
// apiserver:build`), and the normalised results compared: a user pointing client-node code at the
// emulator in tests must see what a cluster gives. The real server's transcripts are kept in
// recorded/client-node/ (vitest file snapshots, rewritten with `-u`), so without Go the emulator is
// still compared with what kube-apiserver answered. Values no client can predict (uids,
// resourceVersions, times, generated names) go through the server-parity suite's normaliser.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  ApiException,
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  Attach,
  Exec,
  KubeConfig,
  Metrics,
  PortForward,
  type LogOptions,
  KubernetesObjectApi,
  Log,
  PatchStrategy,
  Watch,
  makeInformer,
  setHeaderOptions,
  type KubernetesObject,
  type V1ConfigMap,
} from '@kubernetes/client-node'
import {
  findRealApiServer,
  startApiServer,
  startRealApiServer,
  type ApiServer,
  type RealApiServer,
} from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { Normaliser } from '../../testkit/test/server-parity/_normalise.js'
import { differingParts } from '../../testkit/test/server-parity/_scenario.js'
import { simplificationRows } from '../../testkit/test/server-parity/_simplifications.js'
import { ClientError, createClient, StatusError } from '../src/index.js'
import { ConfigMap, Pod } from './generated/builtins/core/v1.js'
import { Widget } from './generated/crd/example.dev/v1.js'
import { crdFile } from './helpers/cluster.js'

const crds = [
  crdFile,
  fileURLToPath(new URL('../../testkit/test/fixtures/crds/things.yaml', import.meta.url)),
]

/** What a scenario may do to the server beyond the API: end its watches as a timeout does. */
interface Served {
  name: 'emulator' | 'kube-apiserver'
  kubeconfig: string
  host: string
  /** Ends every open watch cleanly (the emulator's dropWatches; the real server's timeout). */
  endWatches(): Promise<void>
  close(): Promise<void>
}

/** One step's result: a label and what client-node handed the caller, as JSON. */
type Step = [string, unknown]

interface Scenario {
  name: string
  /** Where the emulator's transcript differs (`differingParts` paths, as server-parity names them). */
  differences?: string[]
  /** The rows of testkit's simplifications table that explain them, by their first words. */
  simplifications?: string[]
  run(kc: KubeConfig, namespace: string, server: Served): Promise<Step[]>
}

// What client-node hands a caller for a failed call: an ApiException with the HTTP code and the
// body as the raw text it read, which a user parses as a Status.
async function outcome<T>(promise: Promise<T>): Promise<unknown> {
  try {
    return await promise
  } catch (error) {
    if (!(error instanceof ApiException)) throw error
    const { code, body } = error as ApiException<unknown>
    return {
      ApiException: code,
      bodyType: typeof body,
      status: typeof body === 'string' ? (JSON.parse(body) as unknown) : body,
    }
  }
}

const until = async (done: () => boolean, what: string): Promise<void> => {
  for (let waited = 0; !done(); waited += 20) {
    if (waited > 20_000) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const configMap = (name: string, namespace: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels },
  data: { a: '1' },
})

const deployment = (name: string, namespace: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
    },
  },
})

const names = (list: { items: { metadata?: { name?: string } }[] }): unknown[] =>
  list.items.map((item) => item.metadata?.name)

const patchAs = (strategy: PatchStrategy) => setHeaderOptions('Content-Type', strategy)

const scenarios: Scenario[] = [
  {
    name: 'loadFromFile reads the kubeconfig and every API class talks to the server',
    async run(kc) {
      const cluster = kc.getCurrentCluster()
      const user = kc.getCurrentUser()
      const core = kc.makeApiClient(CoreV1Api)
      const apps = kc.makeApiClient(AppsV1Api)
      const custom = kc.makeApiClient(CustomObjectsApi)
      const extensions = kc.makeApiClient(ApiextensionsV1Api)
      const crdList = await extensions.listCustomResourceDefinition()
      const appsResources = (await apps.getAPIResources()).resources.map((r) => r.name)
      return [
        [
          'kubeconfig',
          {
            https: cluster?.server.startsWith('https://'),
            caData: (cluster?.caData ?? '').length > 0,
            skipTLSVerify: cluster?.skipTLSVerify ?? false,
            token: (user?.token ?? '').length > 0,
          },
        ],
        [
          'namespaces',
          names(await core.listNamespace()).filter((n) => n === 'default' || n === 'kube-system'),
        ],
        [
          'apps/v1 resources',
          ['deployments', 'deployments/scale', 'statefulsets'].map((r) =>
            appsResources.includes(r),
          ),
        ],
        ['crds', names(crdList).sort()],
        [
          'custom objects',
          await custom.listClusterCustomObject({
            group: 'test.dev',
            version: 'v1',
            plural: 'knobs',
          }),
        ],
      ]
    },
  },
  {
    name: 'CoreV1Api: create, read, replace, every patch type, list by label, delete, errors',
    simplifications: ['error texts'],
    differences: ['#18.list bad selector.status.message'],
    async run(kc, namespace) {
      const core = kc.makeApiClient(CoreV1Api)
      const name = 'cm'
      const steps: Step[] = []
      steps.push([
        'create',
        await core.createNamespacedConfigMap({
          namespace,
          body: configMap(name, namespace, { tier: 'a' }),
        }),
      ])
      steps.push([
        'create again',
        await outcome(
          core.createNamespacedConfigMap({ namespace, body: configMap(name, namespace) }),
        ),
      ])
      steps.push([
        'invalid name',
        await outcome(
          core.createNamespacedConfigMap({ namespace, body: configMap('Bad_Name', namespace) }),
        ),
      ])
      const read = await core.readNamespacedConfigMap({ name, namespace })
      steps.push(['read', read])
      steps.push(['creationTimestamp is a Date', read.metadata?.creationTimestamp instanceof Date])
      read.data = { a: '2' }
      steps.push([
        'replace',
        await core.replaceNamespacedConfigMap({ name, namespace, body: read }),
      ])
      steps.push([
        'replace with a stale resourceVersion',
        await outcome(core.replaceNamespacedConfigMap({ name, namespace, body: read })),
      ])
      const patch = (
        body: unknown,
        strategy?: PatchStrategy,
        more: { fieldManager?: string; force?: boolean } = {},
      ) =>
        outcome(
          core.patchNamespacedConfigMap(
            { name, namespace, body, ...more },
            strategy === undefined ? undefined : patchAs(strategy),
          ),
        )
      steps.push([
        'patch, no content type',
        await patch([{ op: 'add', path: '/data/j', value: '0' }]),
      ])
      steps.push([
        'json patch',
        await patch([{ op: 'add', path: '/data/b', value: '2' }], PatchStrategy.JsonPatch),
      ])
      steps.push([
        'json patch test fails',
        await patch([{ op: 'test', path: '/data/b', value: 'x' }], PatchStrategy.JsonPatch),
      ])
      steps.push([
        'merge patch',
        await patch(
          { metadata: { labels: { tier: 'b' } }, data: { a: null, c: '3' } },
          PatchStrategy.MergePatch,
        ),
      ])
      steps.push([
        'strategic merge patch',
        await patch({ data: { d: '4' } }, PatchStrategy.StrategicMergePatch),
      ])
      const applied = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { e: '5' } }
      steps.push([
        'apply without a field manager',
        await patch(applied, PatchStrategy.ServerSideApply),
      ])
      steps.push([
        'apply',
        await patch(applied, PatchStrategy.ServerSideApply, { fieldManager: 'client-node' }),
      ])
      const taken = { ...applied, data: { e: '6' } }
      steps.push([
        'apply of a field another manager owns',
        await patch(taken, PatchStrategy.ServerSideApply, { fieldManager: 'other' }),
      ])
      steps.push([
        'apply forced',
        await patch(taken, PatchStrategy.ServerSideApply, { fieldManager: 'other', force: true }),
      ])
      await core.createNamespacedConfigMap({
        namespace,
        body: configMap('other', namespace, { tier: 'a' }),
      })
      steps.push([
        'list tier=b',
        names(await core.listNamespacedConfigMap({ namespace, labelSelector: 'tier=b' })),
      ])
      steps.push([
        'list tier in (a,b)',
        names(await core.listNamespacedConfigMap({ namespace, labelSelector: 'tier in (a,b)' })),
      ])
      steps.push([
        'list bad selector',
        await outcome(core.listNamespacedConfigMap({ namespace, labelSelector: 'tier in' })),
      ])
      steps.push(['delete', await core.deleteNamespacedConfigMap({ name, namespace })])
      steps.push(['read deleted', await outcome(core.readNamespacedConfigMap({ name, namespace }))])
      steps.push([
        'delete deleted',
        await outcome(core.deleteNamespacedConfigMap({ name, namespace })),
      ])
      return steps
    },
  },
  {
    name: 'AppsV1Api: a Deployment patched, applied by two managers, scaled and its status written',
    // kube-apiserver puts the container a strategic merge adds first; the status writer's
    // managedFields entry differs in its `.` markers.
    simplifications: ['strategic merge patch list order', 'managed fields'],
    differences: [
      '#1.strategic merge adds a container.spec.template',
      '#4.apply by b forced.spec.template',
      '#8.patch status.metadata.managedFields[]',
      '#8.patch status.spec.template',
      '#9.read status.metadata.managedFields[]',
      '#9.read status.spec.template',
    ],
    async run(kc, namespace) {
      const apps = kc.makeApiClient(AppsV1Api)
      const name = 'web'
      const steps: Step[] = []
      steps.push([
        'create',
        await apps.createNamespacedDeployment({ namespace, body: deployment(name, namespace) }),
      ])
      const containers = {
        spec: { template: { spec: { containers: [{ name: 'side', image: 'busybox' }] } } },
      }
      steps.push([
        'strategic merge adds a container',
        await apps.patchNamespacedDeployment(
          { name, namespace, body: containers },
          patchAs(PatchStrategy.StrategicMergePatch),
        ),
      ])
      const apply = (manager: string, replicas: number, force?: boolean) =>
        outcome(
          apps.patchNamespacedDeployment(
            {
              name,
              namespace,
              fieldManager: manager,
              ...(force === undefined ? {} : { force }),
              body: {
                apiVersion: 'apps/v1',
                kind: 'Deployment',
                metadata: { name },
                spec: { replicas },
              },
            },
            patchAs(PatchStrategy.ServerSideApply),
          ),
        )
      steps.push(['apply by a', await apply('a', 2)])
      steps.push(['apply by b conflicts', await apply('b', 3)])
      steps.push(['apply by b forced', await apply('b', 3, true)])
      steps.push(['scale', await apps.readNamespacedDeploymentScale({ name, namespace })])
      steps.push([
        'replace scale',
        await apps.replaceNamespacedDeploymentScale({
          name,
          namespace,
          body: { metadata: { name, namespace }, spec: { replicas: 5 } },
        }),
      ])
      steps.push([
        'patch scale',
        await apps.patchNamespacedDeploymentScale(
          { name, namespace, body: { spec: { replicas: 4 } } },
          patchAs(PatchStrategy.MergePatch),
        ),
      ])
      steps.push([
        'patch status',
        await apps.patchNamespacedDeploymentStatus(
          { name, namespace, body: { status: { replicas: 4, readyReplicas: 1 } } },
          patchAs(PatchStrategy.MergePatch),
        ),
      ])
      steps.push(['read status', await apps.readNamespacedDeploymentStatus({ name, namespace })])
      steps.push(['delete', await apps.deleteNamespacedDeployment({ name, namespace })])
      return steps
    },
  },
  {
    name: 'KubernetesObjectApi: built-ins and custom resources by apiVersion and kind',
    simplifications: ['managed fields'],
    differences: [
      '#10.create Widget.metadata.managedFields[]',
      '#11.read Widget.metadata.managedFields[]',
      '#12.merge patch Widget.metadata.managedFields[]',
      '#13.apply Widget.metadata.managedFields[]',
      '#14.replace Widget.metadata.managedFields[]',
      '#19.replace Knob.metadata.managedFields[]',
    ],
    async run(kc, namespace) {
      const objects = KubernetesObjectApi.makeApiClient(kc)
      const widget = {
        apiVersion: 'example.dev/v1',
        kind: 'Widget',
        metadata: { name: 'w', namespace, labels: { x: '1' } },
        spec: { size: 3 },
      }
      const knob = {
        apiVersion: 'test.dev/v1',
        kind: 'Knob',
        metadata: { name: `${namespace}-knob` },
        spec: { on: true },
      }
      type Spec = KubernetesObject & {
        apiVersion: string
        kind: string
        metadata: { name: string; namespace?: string }
      }
      const specs: Spec[] = [configMap('cm', namespace), deployment('web', namespace), widget, knob]
      const steps: Step[] = []
      for (const spec of specs) {
        const what = `${spec.kind}`
        steps.push([`create ${what}`, await objects.create(spec)])
        const read = await objects.read(spec)
        steps.push([`read ${what}`, read])
        const patch = {
          apiVersion: spec.apiVersion,
          kind: spec.kind,
          metadata: { ...spec.metadata, annotations: { patched: 'yes' } },
        }
        steps.push([
          `merge patch ${what}`,
          await objects.patch(
            patch,
            undefined,
            undefined,
            undefined,
            undefined,
            PatchStrategy.MergePatch,
          ),
        ])
        steps.push([
          `apply ${what}`,
          await outcome(
            objects.patch(
              { ...patch, metadata: { ...patch.metadata, labels: { applied: 'yes' } } },
              undefined,
              undefined,
              'client-node',
              true,
              PatchStrategy.ServerSideApply,
            ),
          ),
        ])
        const current = await objects.read(spec)
        current.metadata = { ...current.metadata, labels: { replaced: 'yes' } }
        steps.push([`replace ${what}`, await objects.replace(current)])
      }
      steps.push(['list ConfigMap', names(await objects.list('v1', 'ConfigMap', namespace))])
      steps.push([
        'list Widget',
        names(
          await objects.list(
            'example.dev/v1',
            'Widget',
            namespace,
            undefined,
            undefined,
            undefined,
            undefined,
            'replaced=yes',
          ),
        ),
      ])
      steps.push([
        'list Knob',
        names(await objects.list('test.dev/v1', 'Knob')).filter((n) => n === knob.metadata.name),
      ])
      for (const spec of specs) steps.push([`delete ${spec.kind}`, await objects.delete(spec)])
      steps.push(['read deleted Widget', await outcome(objects.read(widget))])
      const unknown = await objects
        .read({ apiVersion: 'example.dev/v1', kind: 'Gadget', metadata: { name: 'g', namespace } })
        .catch((e: unknown) => (e instanceof Error ? e.message : e))
      steps.push(['a kind the server does not serve', unknown])
      return steps
    },
  },
  {
    name: 'Watch: label selector, add/update/delete, a timeout the server ends, history from resourceVersion 1',
    async run(kc, namespace) {
      const core = kc.makeApiClient(CoreV1Api)
      const watch = new Watch(kc)
      const path = `/api/v1/namespaces/${namespace}/configmaps`
      const events: unknown[] = []
      let ended: unknown = 'open'
      const from = (await core.listNamespacedConfigMap({ namespace })).metadata?.resourceVersion
      const controller = await watch.watch(
        path,
        { labelSelector: 'app=w', resourceVersion: from },
        (phase, object: V1ConfigMap) => events.push([phase, object]),
        (err: unknown) => {
          ended = err
        },
      )
      await core.createNamespacedConfigMap({
        namespace,
        body: configMap('a', namespace, { app: 'w' }),
      })
      await core.createNamespacedConfigMap({ namespace, body: configMap('b', namespace) })
      await core.patchNamespacedConfigMap(
        { name: 'a', namespace, body: { data: { a: '2' } } },
        patchAs(PatchStrategy.MergePatch),
      )
      await core.patchNamespacedConfigMap(
        { name: 'b', namespace, body: { metadata: { labels: { app: 'w' } } } },
        patchAs(PatchStrategy.MergePatch),
      )
      await core.patchNamespacedConfigMap(
        { name: 'a', namespace, body: { metadata: { labels: { app: 'x' } } } },
        patchAs(PatchStrategy.MergePatch),
      )
      await core.deleteNamespacedConfigMap({ name: 'b', namespace })
      await until(() => events.length >= 5, 'five watch events')
      controller.abort()
      const steps: Step[] = [
        ['events', events],
        ['ended by abort', ended],
      ]
      let timedOut: unknown = 'open'
      await watch.watch(
        path,
        { timeoutSeconds: 1 },
        () => undefined,
        (err: unknown) => {
          timedOut = err
        },
      )
      await until(() => timedOut !== 'open', 'the server to end the watch')
      steps.push(['ended by timeoutSeconds', timedOut])
      const old: unknown[] = []
      let oldEnded: unknown = 'open'
      await watch.watch(
        path,
        { resourceVersion: '1' },
        (phase, object) => old.push([phase, object]),
        (err: unknown) => {
          oldEnded = err
        },
      )
      await until(
        () => oldEnded !== 'open' || old.length > 0,
        'the watch from resourceVersion 1 to answer',
      )
      steps.push(['resourceVersion 1', old])
      let missing: unknown = 'open'
      await watch.watch(
        `/apis/example.dev/v1/namespaces/${namespace}/gadgets`,
        {},
        () => undefined,
        (err: unknown) => {
          missing = err
        },
      )
      await until(() => missing !== 'open', 'the missing resource watch to end')
      steps.push([
        'an unknown resource',
        {
          statusCode: (missing as { statusCode?: number }).statusCode,
          message: (missing as Error).message,
        },
      ])
      return steps
    },
  },
  {
    name: 'makeInformer: initial list, add/update/delete by label, a watch the server ends is resumed',
    async run(kc, namespace, server) {
      const core = kc.makeApiClient(CoreV1Api)
      const path = `/api/v1/namespaces/${namespace}/configmaps`
      await core.createNamespacedConfigMap({
        namespace,
        body: configMap('before', namespace, { app: 'i' }),
      })
      const informer = makeInformer(
        kc,
        path,
        () => core.listNamespacedConfigMap({ namespace, labelSelector: 'app=i' }),
        'app=i',
      )
      const events: unknown[] = []
      let connects = 0
      const errors: unknown[] = []
      informer.on('add', (o) => events.push(['add', o.metadata?.name, o.data]))
      informer.on('update', (o) => events.push(['update', o.metadata?.name, o.data]))
      informer.on('delete', (o) => events.push(['delete', o.metadata?.name]))
      informer.on('connect', () => connects++)
      informer.on('error', (e) => errors.push(e))
      await informer.start()
      await core.createNamespacedConfigMap({
        namespace,
        body: configMap('one', namespace, { app: 'i' }),
      })
      await core.createNamespacedConfigMap({ namespace, body: configMap('unlabelled', namespace) })
      await core.patchNamespacedConfigMap(
        { name: 'one', namespace, body: { data: { a: '2' } } },
        patchAs(PatchStrategy.MergePatch),
      )
      await core.deleteNamespacedConfigMap({ name: 'before', namespace })
      await until(() => events.length >= 4, 'four informer events')
      const steps: Step[] = [
        ['events', events.splice(0)],
        ['cache', informer.list().map((o) => o.metadata?.name)],
      ]
      const connected = connects
      await server.endWatches()
      await until(() => connects > connected, 'the informer to watch again')
      await core.createNamespacedConfigMap({
        namespace,
        body: configMap('after', namespace, { app: 'i' }),
      })
      await until(() => events.length >= 1, 'the event after the resumed watch')
      await informer.stop()
      steps.push(
        ['after the server ended the watch', events],
        [
          'cache',
          informer
            .list()
            .map((o) => o.metadata?.name)
            .sort(),
        ],
        ['errors', errors],
      )
      return steps
    },
  },
  {
    name: 'Log, Exec, Attach, PortForward and Metrics of a Pod no node runs',
    async run(kc, namespace) {
      const core = kc.makeApiClient(CoreV1Api)
      const pod = 'p'
      await core.createNamespacedPod({
        namespace,
        body: { metadata: { name: pod }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      })
      const steps: Step[] = []
      const log = async (container: string, options: LogOptions): Promise<unknown> => {
        const out = new PassThrough()
        const chunks: string[] = []
        out.on('data', (chunk: Buffer) => chunks.push(chunk.toString()))
        try {
          const controller = await new Log(kc).log(namespace, pod, container, out, options)
          await until(() => out.writableEnded || options.follow !== true, 'the log to end')
          controller.abort()
          return { text: chunks.join('') }
        } catch (error) {
          // client-node's message ends with the response headers (dates, audit ids, framing).
          const message = error instanceof Error ? error.message : String(error)
          return { error: message.split('\nHeaders:')[0] }
        }
      }
      steps.push(['log tailLines timestamps', await log('c', { tailLines: 1, timestamps: true })])
      steps.push(['log follow', await log('c', { follow: true })])
      steps.push(['log of a missing container', await log('nope', {})])
      const refused = async (connect: () => Promise<unknown>): Promise<unknown> => {
        try {
          await connect()
          return 'connected'
        } catch (error) {
          return { error: (error as { message?: unknown }).message }
        }
      }
      const stdout = new PassThrough()
      steps.push([
        'exec',
        await refused(() =>
          new Exec(kc).exec(namespace, pod, 'c', ['true'], stdout, null, null, false),
        ),
      ])
      steps.push([
        'attach',
        await refused(() => new Attach(kc).attach(namespace, pod, 'c', stdout, null, null, false)),
      ])
      steps.push([
        'port-forward',
        await refused(() =>
          new PortForward(kc).portForward(namespace, pod, [80], stdout, null, new PassThrough()),
        ),
      ])
      steps.push(['pod metrics', await refused(() => new Metrics(kc).getPodMetrics(namespace))])
      return steps
    },
  },
  {
    name: 'CustomObjectsApi: namespaced and cluster-scoped, status and scale, selectors and pages',
    simplifications: ['managed fields'],
    differences: [
      '#0.create w1.metadata.managedFields[]',
      '#1.create w2.metadata.managedFields[]',
      '#12.apply forced.metadata.managedFields[]',
      '#13.patch status.metadata.managedFields[]',
      '#14.replace status.metadata.managedFields[]',
      '#2.create w3.metadata.managedFields[]',
      '#4.get.metadata.managedFields[]',
      '#5.list tier=a.items[].metadata',
      '#6.page 1.items[].metadata',
      '#7.page 2.items[].metadata',
      '#8.merge patch.metadata.managedFields[]',
      '#9.json patch, no content type.metadata.managedFields[]',
    ],
    async run(kc, namespace) {
      const custom = kc.makeApiClient(CustomObjectsApi)
      const widgets = { group: 'example.dev', version: 'v1', namespace, plural: 'widgets' }
      const steps: Step[] = []
      for (const [name, tier] of [
        ['w1', 'a'],
        ['w2', 'b'],
        ['w3', 'a'],
      ] as const)
        steps.push([
          `create ${name}`,
          await custom.createNamespacedCustomObject({
            ...widgets,
            body: {
              apiVersion: 'example.dev/v1',
              kind: 'Widget',
              metadata: { name, labels: { tier } },
              spec: { size: 1 },
            },
          }),
        ])
      steps.push([
        'create invalid',
        await outcome(
          custom.createNamespacedCustomObject({
            ...widgets,
            body: {
              apiVersion: 'example.dev/v1',
              kind: 'Widget',
              metadata: { name: 'bad' },
              spec: { replicas: -1 },
            },
          }),
        ),
      ])
      steps.push(['get', await custom.getNamespacedCustomObject({ ...widgets, name: 'w1' })])
      steps.push([
        'list tier=a',
        await custom.listNamespacedCustomObject({ ...widgets, labelSelector: 'tier=a' }),
      ])
      const first = (await custom.listNamespacedCustomObject({ ...widgets, limit: 2 })) as {
        metadata: { continue?: string }
        items: KubernetesObject[]
      }
      steps.push(['page 1', first])
      steps.push([
        'page 2',
        await custom.listNamespacedCustomObject({
          ...widgets,
          limit: 2,
          _continue: first.metadata.continue ?? '',
        }),
      ])
      steps.push([
        'merge patch',
        await custom.patchNamespacedCustomObject(
          { ...widgets, name: 'w1', body: { spec: { mode: 'slow' } } },
          patchAs(PatchStrategy.MergePatch),
        ),
      ])
      steps.push([
        'json patch, no content type',
        await outcome(
          custom.patchNamespacedCustomObject({
            ...widgets,
            name: 'w1',
            body: [{ op: 'replace', path: '/spec/size', value: 2 }],
          }),
        ),
      ])
      steps.push([
        'strategic merge patch',
        await outcome(
          custom.patchNamespacedCustomObject(
            { ...widgets, name: 'w1', body: { spec: { size: 5 } } },
            patchAs(PatchStrategy.StrategicMergePatch),
          ),
        ),
      ])
      const apply = (force: boolean) =>
        outcome(
          custom.patchNamespacedCustomObject(
            {
              ...widgets,
              name: 'w1',
              fieldManager: 'client-node',
              force,
              body: {
                apiVersion: 'example.dev/v1',
                kind: 'Widget',
                metadata: { name: 'w1' },
                spec: { size: 7 },
              },
            },
            patchAs(PatchStrategy.ServerSideApply),
          ),
        )
      steps.push(['apply', await apply(false)])
      steps.push(['apply forced', await apply(true)])
      steps.push([
        'patch status',
        await custom.patchNamespacedCustomObjectStatus(
          { ...widgets, name: 'w1', body: { status: { replicas: 1, selector: 'tier=a' } } },
          patchAs(PatchStrategy.MergePatch),
        ),
      ])
      const status = (await custom.getNamespacedCustomObjectStatus({ ...widgets, name: 'w1' })) as {
        status: Record<string, unknown>
      }
      status.status = { replicas: 2, selector: 'tier=a' }
      steps.push([
        'replace status',
        await custom.replaceNamespacedCustomObjectStatus({ ...widgets, name: 'w1', body: status }),
      ])
      steps.push(['scale', await custom.getNamespacedCustomObjectScale({ ...widgets, name: 'w1' })])
      steps.push([
        'patch scale',
        await custom.patchNamespacedCustomObjectScale(
          { ...widgets, name: 'w1', body: { spec: { replicas: 3 } } },
          patchAs(PatchStrategy.MergePatch),
        ),
      ])
      const scale = (await custom.getNamespacedCustomObjectScale({ ...widgets, name: 'w1' })) as {
        spec: { replicas: number }
      }
      scale.spec.replicas = 4
      steps.push([
        'replace scale',
        await custom.replaceNamespacedCustomObjectScale({ ...widgets, name: 'w1', body: scale }),
      ])
      steps.push(['delete', await custom.deleteNamespacedCustomObject({ ...widgets, name: 'w2' })])
      steps.push([
        'get deleted',
        await outcome(custom.getNamespacedCustomObject({ ...widgets, name: 'w2' })),
      ])
      const knobs = { group: 'test.dev', version: 'v1', plural: 'knobs' }
      const knob = `${namespace}-k`
      steps.push([
        'create cluster-scoped',
        await custom.createClusterCustomObject({
          ...knobs,
          body: {
            apiVersion: 'test.dev/v1',
            kind: 'Knob',
            metadata: { name: knob, labels: { ns: namespace } },
            anything: [1, 'two'],
          },
        }),
      ])
      steps.push([
        'get cluster-scoped',
        await custom.getClusterCustomObject({ ...knobs, name: knob }),
      ])
      steps.push([
        'list cluster-scoped',
        await custom.listClusterCustomObject({ ...knobs, labelSelector: `ns=${namespace}` }),
      ])
      steps.push([
        'patch cluster-scoped',
        await custom.patchClusterCustomObject(
          { ...knobs, name: knob, body: { anything: null, more: true } },
          patchAs(PatchStrategy.MergePatch),
        ),
      ])
      steps.push([
        'delete cluster-scoped',
        await custom.deleteClusterCustomObject({ ...knobs, name: knob }),
      ])
      steps.push([
        'list across namespaces',
        names(
          (await custom.listCustomObjectForAllNamespaces({
            group: 'example.dev',
            version: 'v1',
            resourcePlural: 'widgets',
            labelSelector: 'tier=a',
          })) as { items: KubernetesObject[] },
        ).length,
      ])
      return steps
    },
  },
]

// What our client hands a caller for a failed call: a StatusError (the Status as sent) or a
// coded ClientError raised before sending.
async function ours<T>(promise: Promise<T>): Promise<unknown> {
  try {
    return await promise
  } catch (error) {
    if (error instanceof StatusError)
      return { StatusError: error.statusCode, reason: error.reason, status: error.status }
    if (error instanceof ClientError) return { ClientError: error.code }
    throw error
  }
}

// The same scenarios through @k8s-codegen/client and the generated bindings, where it has the
// operation, against both servers.
const oursScenarios: Scenario[] = [
  {
    name: 'our client: ConfigMap create, get, replace, every patch type, list by label, delete, errors',
    async run(_kc, namespace, server) {
      const k8s = await createClient({ kubeconfig: server.kubeconfig, fieldManager: 'ours' })
      const name = 'cm'
      const target = { namespace, name }
      const steps: Step[] = []
      try {
        const body = {
          ...configMap(name, namespace, { tier: 'a' }),
          apiVersion: 'v1' as const,
          kind: 'ConfigMap' as const,
        }
        steps.push(['create', await k8s.create(ConfigMap, body)])
        steps.push(['create again', await ours(k8s.create(ConfigMap, body))])
        const read = await k8s.get(ConfigMap, target)
        steps.push(['get', read])
        steps.push(['creationTimestamp type', typeof read.metadata?.creationTimestamp])
        steps.push(['replace', await k8s.replace(ConfigMap, { ...read, data: { a: '2' } })])
        steps.push([
          'replace with a stale resourceVersion',
          await ours(k8s.replace(ConfigMap, { ...read, data: { a: '3' } })),
        ])
        steps.push([
          'json patch',
          await k8s.patch(ConfigMap, target, {
            json: [{ op: 'add', path: '/data/b', value: '2' }],
          }),
        ])
        steps.push([
          'json patch test fails',
          await ours(
            k8s.patch(ConfigMap, target, { json: [{ op: 'test', path: '/data/b', value: 'x' }] }),
          ),
        ])
        steps.push([
          'merge patch',
          await k8s.patch(ConfigMap, target, {
            merge: { metadata: { labels: { tier: 'b' } }, data: { a: null, c: '3' } },
          }),
        ])
        steps.push([
          'strategic merge patch',
          await k8s.patch(ConfigMap, target, { strategic: { data: { d: '4' } } }),
        ])
        const applied = {
          apiVersion: 'v1' as const,
          kind: 'ConfigMap' as const,
          metadata: { name, namespace },
          data: { e: '5' },
        }
        steps.push(['apply', await k8s.apply(ConfigMap, applied)])
        const taken = { ...applied, data: { e: '6' } }
        steps.push([
          'apply of a field another manager owns',
          await ours(k8s.apply(ConfigMap, taken, { fieldManager: 'other' })),
        ])
        steps.push([
          'apply forced',
          await k8s.apply(ConfigMap, taken, { fieldManager: 'other', force: true }),
        ])
        steps.push([
          'list tier=b',
          names(await k8s.list(ConfigMap, { namespace, labelSelector: 'tier=b' })),
        ])
        steps.push([
          'list bad selector',
          await ours(k8s.list(ConfigMap, { namespace, labelSelector: 'tier in' })),
        ])
        steps.push(['delete', await k8s.delete(ConfigMap, target)])
        steps.push(['get deleted', await ours(k8s.get(ConfigMap, target))])
      } finally {
        await k8s.close()
      }
      return steps
    },
  },
  {
    name: 'our client: a Widget’s status and scale, list by label and in pages',
    simplifications: ['managed fields'],
    differences: [
      '#0.create w1.metadata.managedFields[]',
      '#1.create w2.metadata.managedFields[]',
      '#2.create w3.metadata.managedFields[]',
      '#4.list tier=a.items[].metadata',
      '#5.page 1.items[].metadata',
      '#6.page 2.items[].metadata',
      '#7.merge patch.metadata.managedFields[]',
      '#8.patch status.metadata.managedFields[]',
    ],
    async run(_kc, namespace, server) {
      const k8s = await createClient({ kubeconfig: server.kubeconfig, fieldManager: 'ours' })
      const steps: Step[] = []
      try {
        for (const [name, tier] of [
          ['w1', 'a'],
          ['w2', 'b'],
          ['w3', 'a'],
        ] as const)
          steps.push([
            `create ${name}`,
            await k8s.create(Widget, {
              apiVersion: 'example.dev/v1',
              kind: 'Widget',
              metadata: { name, namespace, labels: { tier } },
              spec: { size: 1 },
            }),
          ])
        steps.push([
          'create invalid',
          await ours(
            k8s.create(Widget, {
              apiVersion: 'example.dev/v1',
              kind: 'Widget',
              metadata: { name: 'bad', namespace },
              spec: { size: 1, replicas: -1 },
            }),
          ),
        ])
        steps.push(['list tier=a', await k8s.list(Widget, { namespace, labelSelector: 'tier=a' })])
        const first = await k8s.list(Widget, { namespace, limit: 2 })
        steps.push(['page 1', first])
        steps.push([
          'page 2',
          await k8s.list(Widget, { namespace, limit: 2, continue: first.metadata?.continue ?? '' }),
        ])
        const w1 = { namespace, name: 'w1' }
        steps.push([
          'merge patch',
          await k8s.patch(Widget, w1, { merge: { spec: { mode: 'slow' } } }),
        ])
        steps.push([
          'patch status',
          await k8s.patchStatus(Widget, w1, {
            merge: { status: { replicas: 1, selector: 'tier=a' } },
          }),
        ])
        steps.push(['scale', await k8s.getScale(Widget, w1)])
        steps.push([
          'patch scale',
          await k8s.patchScale(Widget, w1, { merge: { spec: { replicas: 3 } } }),
        ])
        const scale = await k8s.getScale(Widget, w1)
        steps.push([
          'replace scale',
          await k8s.replaceScale(Widget, w1, { ...scale, spec: { replicas: 4 } }),
        ])
        steps.push(['delete', await k8s.delete(Widget, { namespace, name: 'w2' })])
        steps.push(['get deleted', await ours(k8s.get(Widget, { namespace, name: 'w2' }))])
      } finally {
        await k8s.close()
      }
      return steps
    },
  },
  {
    name: 'our client: watch by label selector, and the log of a pod no node runs',
    async run(_kc, namespace, server) {
      const k8s = await createClient({ kubeconfig: server.kubeconfig, fieldManager: 'ours' })
      const steps: Step[] = []
      try {
        const events: unknown[] = []
        const controller = new AbortController()
        // From a list's resourceVersion: the events replay from there however late the
        // connection opens.
        const from = (await k8s.list(ConfigMap, { namespace })).metadata?.resourceVersion ?? ''
        const watching = (async () => {
          for await (const event of k8s.watch(ConfigMap, {
            namespace,
            labelSelector: 'app=w',
            resourceVersion: from,
            signal: controller.signal,
          })) {
            if (event.type === 'BOOKMARK') continue
            events.push([event.type, event.object])
          }
        })()
        const cm = (name: string, labels: Record<string, string>) => ({
          ...configMap(name, namespace, labels),
          apiVersion: 'v1' as const,
          kind: 'ConfigMap' as const,
        })
        await k8s.create(ConfigMap, cm('a', { app: 'w' }))
        await k8s.create(ConfigMap, cm('b', {}))
        await k8s.patch(ConfigMap, { namespace, name: 'a' }, { merge: { data: { a: '2' } } })
        await k8s.patch(
          ConfigMap,
          { namespace, name: 'b' },
          { merge: { metadata: { labels: { app: 'w' } } } },
        )
        await k8s.patch(
          ConfigMap,
          { namespace, name: 'a' },
          { merge: { metadata: { labels: { app: 'x' } } } },
        )
        await k8s.delete(ConfigMap, { namespace, name: 'b' })
        await until(() => events.length >= 5, 'five watch events')
        controller.abort()
        await watching
        steps.push(['events', events])
        await k8s.create(Pod, {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p', namespace },
          spec: { containers: [{ name: 'c', image: 'busybox' }] },
        })
        const lines: string[] = []
        const logged = await ours(
          (async () => {
            for await (const line of k8s.logs(Pod, { namespace, name: 'p', tailLines: 1 }))
              lines.push(line)
            return { lines }
          })(),
        )
        steps.push(['log', logged])
        steps.push([
          'log of a missing container',
          await ours(
            (async () => {
              for await (const line of k8s.logs(Pod, { namespace, name: 'p', container: 'nope' }))
                lines.push(line)
              return { lines }
            })(),
          ),
        ])
      } finally {
        await k8s.close()
      }
      return steps
    },
  },
]

const real = findRealApiServer()
if (real === undefined)
  console.warn(
    'client-node against kube-apiserver: no kube-apiserver binary (npm run apiserver:build needs Go; or set KUBEBUILDER_ASSETS or K8S_CODEGEN_APISERVER_BIN); comparing the emulator with recorded transcripts',
  )

async function served(
  name: Served['name'],
  server: ApiServer | RealApiServer,
  dir: string,
  endWatches: () => Promise<void>,
): Promise<Served> {
  return {
    name,
    kubeconfig: await server.kubeconfig(path.join(dir, `${name}.kubeconfig`)),
    host: new URL(server.url).host,
    endWatches,
    close: () => server.close(),
  }
}

let dir: string
let emulator: Served
let live: Served | undefined
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'k8s-codegen-client-node-'))
  const [emulated, started] = await Promise.all([
    startApiServer({ profile: 'recorded', crds }),
    // Watches the server does not time out by request close after 1–2 s here (apiserver
    // pkg/endpoints/handlers/watch.go: minRequestTimeout × (1 + rand)).
    real === undefined
      ? undefined
      : startRealApiServer({ crds, args: ['--min-request-timeout=1'] }),
  ])
  emulator = await served('emulator', emulated, dir, () => {
    emulated.dropWatches('end')
    return Promise.resolve()
  })
  live =
    started === undefined
      ? undefined
      : await served(
          'kube-apiserver',
          started,
          dir,
          () => new Promise((resolve) => setTimeout(resolve, 2_500)),
        )
}, 180_000)
afterAll(async () => {
  await Promise.all([emulator?.close(), live?.close()])
  await rm(dir, { recursive: true, force: true })
})

async function transcript(server: Served, scenario: Scenario, namespace: string): Promise<unknown> {
  const kc = new KubeConfig()
  kc.loadFromFile(server.kubeconfig)
  const core = kc.makeApiClient(CoreV1Api)
  await core.createNamespace({ body: { metadata: { name: namespace } } })
  const steps = await scenario.run(kc, namespace, server)
  const normaliser = new Normaliser(server.host)
  return steps.map(([label, value]) => ({
    [label]: normaliser.answer('GET /', JSON.parse(JSON.stringify(value ?? null))),
  }))
}

// testkit's simplifications table, whose rows a scenario's `simplifications` name.
const allScenarios = [...scenarios, ...oursScenarios]
describe('client-node against the emulator and kube-apiserver', () => {
  it.each(allScenarios)('$name', async (scenario) => {
    // Named by the scenario's place, not the run's order: objects' namespaces are in the
    // transcripts, which a run of some scenarios (`-t`) must reproduce too.
    const namespace = `client-node-${allScenarios.indexOf(scenario) + 1}`
    const recorded = new URL(`./recorded/client-node/${slug(scenario.name)}.json`, import.meta.url)
    const mine = await transcript(emulator, scenario, namespace)
    let reference: unknown
    if (live !== undefined) {
      reference = await transcript(live, scenario, namespace)
      await expect(`${JSON.stringify(reference, null, 2)}\n`).toMatchFileSnapshot(recorded.pathname)
    } else if (existsSync(recorded)) {
      reference = JSON.parse(readFileSync(recorded, 'utf8'))
    } else {
      expect.fail(`no kube-apiserver and no recorded transcript ${recorded.pathname}`)
    }
    expect(differingParts(mine, reference)).toEqual(scenario.differences ?? [])
    for (const simplification of scenario.simplifications ?? [])
      expect(simplificationRows.some((row) => row.startsWith(`| ${simplification}`))).toBe(true)
  })
})

// 410 Gone needs a compacted history or a fault, which only the emulator can order (`compact()`;
// a real server compacts every 5 minutes): client-node's Watch hands the ERROR event (as the
// watch cache sends it) to its callback, and an informer whose next watch is answered 410 lists
// again (its ListWatch doneHandler) and watches on.
describe('client-node after a compaction (emulator)', () => {
  it('Watch gets ERROR 410 Expired; makeInformer relists after a 410 and watches on', async () => {
    const server = await startApiServer({ profile: 'recorded' })
    const kubeconfig = await server.kubeconfig(path.join(dir, 'compaction.kubeconfig'))
    try {
      const kc = new KubeConfig()
      kc.loadFromFile(kubeconfig)
      const core = kc.makeApiClient(CoreV1Api)
      const namespace = 'default'
      const collection = `/api/v1/namespaces/${namespace}/configmaps`
      const from = (await core.listNamespacedConfigMap({ namespace })).metadata?.resourceVersion
      await core.createNamespacedConfigMap({ namespace, body: configMap('one', namespace) })
      server.compact()
      const seen: unknown[] = []
      let ended: unknown = 'open'
      await new Watch(kc).watch(
        collection,
        { resourceVersion: from },
        (phase, object: { code?: number; reason?: string }) => {
          seen.push([phase, object.code, object.reason])
        },
        (err: unknown) => {
          ended = err
        },
      )
      await until(() => ended !== 'open', 'the expired watch to end')
      expect(seen).toEqual([['ERROR', 410, 'Expired']])

      // The informer's watch is ended and its next one answered 410 Gone: it lists again.
      let lists = 0
      const informer = makeInformer(kc, collection, () => {
        lists++
        return core.listNamespacedConfigMap({ namespace })
      })
      const cached = (): unknown[] => informer.list().map((o) => o.metadata?.name)
      await informer.start()
      await core.createNamespacedConfigMap({ namespace, body: configMap('two', namespace) })
      await until(() => cached().includes('two'), 'the informer to see two')
      server.injectFault({ path: collection, kind: 'status', status: 410, times: 1 })
      server.dropWatches('end')
      await until(() => lists === 2, 'the relist after 410')
      await core.deleteNamespacedConfigMap({ name: 'two', namespace })
      await until(() => !cached().includes('two'), 'the watch after the relist')
      await informer.stop()
      expect(cached()).toContain('one')
    } finally {
      await server.close()
    }
  })
})

// A log as the emulator serves it for a pod on a node (`appendPodLog`; kube-apiserver would ask
// that node's kubelet): client-node's Log with tailLines, timestamps and follow.
describe('client-node Log of a scheduled pod (emulator)', () => {
  it('reads tailLines with timestamps, and follows until the pod goes', async () => {
    const server = await startApiServer({ profile: 'recorded' })
    const kubeconfig = await server.kubeconfig(path.join(dir, 'logs.kubeconfig'))
    try {
      const kc = new KubeConfig()
      kc.loadFromFile(kubeconfig)
      const namespace = 'default'
      await kc.makeApiClient(CoreV1Api).createNamespacedPod({
        namespace,
        body: {
          metadata: { name: 'p' },
          spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox' }] },
        },
      })
      server.appendPodLog({ namespace, pod: 'p' }, 'one\ntwo\nthree\n')
      const out = new PassThrough()
      let text = ''
      out.on('data', (chunk: Buffer) => (text += chunk.toString()))
      await new Log(kc).log(namespace, 'p', 'c', out, {
        tailLines: 2,
        timestamps: true,
      })
      await until(() => text.includes('three'), 'the last two lines')
      expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z two\n\S+ three\n$/)

      text = ''
      const followed = new PassThrough()
      followed.on('data', (chunk: Buffer) => (text += chunk.toString()))
      await new Log(kc).log(namespace, 'p', 'c', followed, { follow: true })
      await until(() => text.includes('three'), 'the lines so far')
      server.appendPodLog({ namespace, pod: 'p' }, 'four\n')
      await until(() => text.includes('four'), 'the line appended while following')
      // The pod's deletion ends the stream, as a container that stops does: client-node's
      // `controller.abort()` would leave its internal stream to throw an unhandled AbortError.
      let ended = false
      followed.on('finish', () => (ended = true))
      await kc.makeApiClient(CoreV1Api).deleteNamespacedPod({ name: 'p', namespace })
      await until(() => ended, 'the follow to end with the pod')
      expect(text).toBe('one\ntwo\nthree\nfour\n')
    } finally {
      await server.close()
    }
  })
})

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}
