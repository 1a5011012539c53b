import { describe, expect, it } from 'vitest'
import { podPrinters } from '../src/pod-printer.js'

// kubernetes pkg/printers/internalversion/printers.go printPod: the READY, STATUS and RESTARTS
// rules the server-parity row "kubectl get pods …" does not reach (a kubelet writes these states;
// the rows follow the Go function branch by branch).
const now = Date.parse('2026-01-01T01:00:00Z')
const columns = podPrinters['core/v1/Pod']?.()
const cells = (pod: Record<string, unknown>): unknown[] =>
  columns
    ?.cells({ metadata: { name: 'p', creationTimestamp: '2026-01-01T00:00:00Z' }, ...pod }, now)
    .slice(1, 4) ?? []

const container = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name,
  image: 'nginx',
  ...extra,
})
const runningReady = (
  name: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  name,
  ready: true,
  restartCount: 0,
  state: { running: {} },
  ...extra,
})

const rows: { name: string; given: Record<string, unknown>; want: unknown[] }[] = [
  {
    name: 'a deleted pod that has not finished is Terminating',
    given: {
      metadata: {
        name: 'p',
        creationTimestamp: '2026-01-01T00:00:00Z',
        deletionTimestamp: '2026-01-01T00:59:00Z',
      },
      spec: { containers: [container('a')] },
      status: { phase: 'Running', containerStatuses: [runningReady('a')] },
    },
    want: ['1/1', 'Terminating', '0'],
  },
  {
    name: 'a deleted pod on a lost node is Unknown',
    given: {
      metadata: {
        name: 'p',
        creationTimestamp: '2026-01-01T00:00:00Z',
        deletionTimestamp: '2026-01-01T00:59:00Z',
      },
      spec: { containers: [container('a')] },
      status: { phase: 'Running', reason: 'NodeLost' },
    },
    want: ['0/1', 'Unknown', '0'],
  },
  {
    name: 'a deleted pod that succeeded keeps its status',
    given: {
      metadata: {
        name: 'p',
        creationTimestamp: '2026-01-01T00:00:00Z',
        deletionTimestamp: '2026-01-01T00:59:00Z',
      },
      spec: { containers: [container('a')] },
      status: { phase: 'Succeeded' },
    },
    want: ['0/1', 'Succeeded', '0'],
  },
  {
    name: 'a scheduling gate names the status',
    given: {
      spec: { containers: [container('a')], schedulingGates: [{ name: 'g' }] },
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
      },
    },
    want: ['0/1', 'SchedulingGated', '0'],
  },
  {
    name: 'a started sidecar counts as a container, ready, and its restarts count',
    given: {
      spec: {
        initContainers: [container('side', { restartPolicy: 'Always' })],
        containers: [container('a')],
      },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [runningReady('side', { started: true, restartCount: 2 })],
        containerStatuses: [runningReady('a')],
      },
    },
    want: ['2/2', 'Running', '2'],
  },
  {
    name: 'a failed init container without a reason shows its exit code',
    given: {
      spec: { initContainers: [container('i')], containers: [container('a')] },
      status: {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'i', restartCount: 1, state: { terminated: { exitCode: 3 } } },
        ],
      },
    },
    want: ['0/1', 'Init:ExitCode:3', '1'],
  },
  {
    name: 'an init container killed by a signal',
    given: {
      spec: { initContainers: [container('i')], containers: [container('a')] },
      status: {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'i', state: { terminated: { exitCode: 137, signal: 9 } } }],
      },
    },
    want: ['0/1', 'Init:Signal:9', '0'],
  },
  {
    name: 'an init container waiting with a reason',
    given: {
      spec: { initContainers: [container('i')], containers: [container('a')] },
      status: {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'i', state: { waiting: { reason: 'ImagePullBackOff' } } }],
      },
    },
    want: ['0/1', 'Init:ImagePullBackOff', '0'],
  },
  {
    name: 'Completed with a container still running and the pod Ready is Running',
    given: {
      spec: { containers: [container('a'), container('b')] },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          { name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          runningReady('b'),
        ],
      },
    },
    want: ['1/2', 'Running', '0'],
  },
  {
    name: 'Completed with a container still running and the pod not Ready is NotReady',
    given: {
      spec: { containers: [container('a'), container('b')] },
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          runningReady('b'),
        ],
      },
    },
    want: ['1/2', 'NotReady', '0'],
  },
  {
    name: 'Completed after a container that failed shows the failure',
    given: {
      spec: { containers: [container('a'), container('b')] },
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          { name: 'b', state: { terminated: { exitCode: 1, reason: 'Error' } } },
        ],
      },
    },
    want: ['0/2', 'Error', '0'],
  },
  {
    name: 'restarts say how long ago the last one ended',
    given: {
      spec: { containers: [container('a')] },
      status: {
        phase: 'Running',
        containerStatuses: [
          runningReady('a', {
            restartCount: 4,
            lastState: { terminated: { exitCode: 1, finishedAt: '2026-01-01T00:55:00Z' } },
          }),
        ],
      },
    },
    want: ['1/1', 'Running', '4 (5m ago)'],
  },
]

describe('the Pod printer', () => {
  it.each(rows)('$name', ({ given, want }) => {
    expect(cells(given)).toEqual(want)
  })
})
