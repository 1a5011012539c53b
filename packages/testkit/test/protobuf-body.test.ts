import fc from 'fast-check'
import protobuf from 'protobufjs/minimal.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../src/index.js'
import { decodeProtobufObject, goDuration } from '../src/protobuf-body.js'
import { ApiStatusError } from '../src/status-errors.js'
import { get } from './_client.js'

// Protobuf bodies are built here field by field with protobufjs's Writer, with the field numbers
// of k8s.io/api `core/v1/generated.proto` and apimachinery `meta/v1/generated.proto`; what
// they must decode to is what Go's encoding/json writes for the same struct (the objects
// `kubectl create … --dry-run=client -o json` prints; `kubectl-typed-commands.test.ts` checks
// that against kubectl itself).
type Part =
  | [number, 'string', string]
  | [number, 'bytes', Uint8Array]
  | [number, 'int32' | 'int64' | 'bool', number | boolean]
  | [number, 'message', Part[]]

function encode(parts: Part[]): Uint8Array {
  const writer = protobuf.Writer.create()
  for (const [id, type, value] of parts) {
    if (type === 'string') writer.uint32((id << 3) | 2).string(value)
    else if (type === 'bytes') writer.uint32((id << 3) | 2).bytes(value)
    else if (type === 'message') writer.uint32((id << 3) | 2).bytes(encode(value))
    else if (type === 'bool') writer.uint32(id << 3).bool(value as boolean)
    else if (type === 'int64') writer.uint32(id << 3).int64(value as number)
    else writer.uint32(id << 3).int32(value as number)
  }
  return writer.finish()
}

const entry = (id: number, key: string, value: Part): Part => [
  id,
  'message',
  [[1, 'string', key], value],
]

function envelope(apiVersion: string, kind: string, raw: Part[]): Buffer {
  return Buffer.concat([
    Buffer.from('k8s\u0000', 'latin1'),
    encode([
      [
        1,
        'message',
        [
          [1, 'string', apiVersion],
          [2, 'string', kind],
        ],
      ],
      [2, 'bytes', encode(raw)],
    ]),
  ])
}

const named = (name: string): Part => [1, 'message', [[1, 'string', name]]]
// kubectl writes `creationTimestamp` as an empty message (a zero metav1.Time marshals to nothing).
const kubectlMeta = (name: string): Part => [
  1,
  'message',
  [
    [1, 'string', name],
    [8, 'message', []],
  ],
]

describe('decodeProtobufObject', () => {
  it.each([
    {
      given: 'a Namespace as kubectl create namespace sends it',
      body: envelope('v1', 'Namespace', [
        kubectlMeta('t0'),
        [2, 'message', []],
        [3, 'message', []],
      ]),
      want: {
        kind: 'Namespace',
        apiVersion: 'v1',
        metadata: { name: 't0', creationTimestamp: null },
        spec: {},
        status: {},
      },
    },
    {
      given: 'Secret data (map<string, bytes>): base64, an empty type omitted',
      body: envelope('v1', 'Secret', [
        named('s'),
        entry(2, 'p', [2, 'bytes', Buffer.from('q\u0000')]),
        [3, 'string', ''],
      ]),
      want: {
        kind: 'Secret',
        apiVersion: 'v1',
        metadata: { name: 's', creationTimestamp: null },
        data: { p: 'cQA=' },
      },
    },
    {
      given: 'a ConfigMap key named __proto__ is data',
      body: envelope('v1', 'ConfigMap', [
        named('c'),
        entry(2, '__proto__', [2, 'string', 'x']),
        entry(2, 'constructor', [2, 'string', 'y']),
      ]),
      want: JSON.parse(
        '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"c","creationTimestamp":null},"data":{"__proto__":"x","constructor":"y"}}',
      ) as unknown,
    },
    {
      given: 'IntOrString as a string and as an int; a zero nodePort kept (no omitempty)',
      body: envelope('v1', 'Service', [
        named('svc'),
        [
          2,
          'message',
          [
            [
              1,
              'message',
              [
                [1, 'string', 'http'],
                [2, 'string', 'TCP'],
                [3, 'int32', 80],
                [
                  4,
                  'message',
                  [
                    [1, 'int64', 1],
                    [3, 'string', 'web'],
                  ],
                ],
                [5, 'int32', 0],
              ],
            ],
            [
              1,
              'message',
              [
                [3, 'int32', 443],
                [4, 'message', [[2, 'int32', 8443]]],
              ],
            ],
            entry(2, 'app', [2, 'string', 'web']),
            [4, 'string', 'ClusterIP'],
          ],
        ],
      ]),
      want: {
        kind: 'Service',
        apiVersion: 'v1',
        metadata: { name: 'svc', creationTimestamp: null },
        spec: {
          ports: [
            { name: 'http', protocol: 'TCP', port: 80, targetPort: 'web' },
            { port: 443, targetPort: 8443 },
          ],
          selector: { app: 'web' },
          type: 'ClusterIP',
        },
        status: { loadBalancer: {} },
      },
    },
    {
      given: 'Quantity values of a map (ResourceQuota hard)',
      body: envelope('v1', 'ResourceQuota', [
        named('q'),
        [
          2,
          'message',
          [
            entry(1, 'cpu', [2, 'message', [[1, 'string', '500m']]]),
            entry(1, 'pods', [2, 'message', [[1, 'string', '2']]]),
          ],
        ],
      ]),
      want: {
        kind: 'ResourceQuota',
        apiVersion: 'v1',
        metadata: { name: 'q', creationTimestamp: null },
        spec: { hard: { cpu: '500m', pods: '2' } },
        status: {},
      },
    },
    {
      given: 'an inlined VolumeSource; containers nil is null (no omitempty)',
      body: envelope('v1', 'Pod', [
        named('p'),
        [
          2,
          'message',
          [
            [
              1,
              'message',
              [
                [1, 'string', 'scratch'],
                [2, 'message', [[2, 'message', [[1, 'string', 'Memory']]]]],
              ],
            ],
          ],
        ],
      ]),
      want: {
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: { name: 'p', creationTimestamp: null },
        spec: { volumes: [{ name: 'scratch', emptyDir: { medium: 'Memory' } }], containers: null },
        status: {},
      },
    },
    {
      given: 'Time (seconds only, RFC 3339) and MicroTime (microseconds) of an Event',
      body: envelope('v1', 'Event', [
        named('e'),
        [2, 'message', []],
        [
          6,
          'message',
          [
            [1, 'int64', 1_700_000_000],
            [2, 'int32', 999_999_999],
          ],
        ],
        [
          10,
          'message',
          [
            [1, 'int64', 1_700_000_000],
            [2, 'int32', 123_456_789],
          ],
        ],
      ]),
      want: {
        kind: 'Event',
        apiVersion: 'v1',
        metadata: { name: 'e', creationTimestamp: null },
        involvedObject: {},
        source: {},
        firstTimestamp: '2023-11-14T22:13:20Z',
        lastTimestamp: null,
        eventTime: '2023-11-14T22:13:20.123456Z',
        reportingComponent: '',
        reportingInstance: '',
      },
    },
    {
      given: 'an envelope without kind and apiVersion takes the route’s',
      body: envelope('', '', [named('c')]),
      want: {
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { name: 'c', creationTimestamp: null },
      },
    },
  ])('$given', ({ body, want }) => {
    const expected = { apiVersion: 'v1', kind: 'ConfigMap' }
    expect(decodeProtobufObject(body, expected)).toEqual(want)
  })

  // A typed client-go clientset sends a delete's DeleteOptions as protobuf, in the envelope of the
  // route's group-version (apimachinery `meta/v1/register.go` registers the option kinds in each).
  it.each([
    { given: { apiVersion: 'v1', route: 'v1' } },
    { given: { apiVersion: 'apps/v1', route: 'apps/v1' } },
    { given: { apiVersion: 'meta.k8s.io/v1', route: 'v1' } },
    { given: { apiVersion: '', route: 'example.dev/v1' } },
  ])('decodes DeleteOptions of $given.apiVersion', ({ given }) => {
    const body = envelope(given.apiVersion, 'DeleteOptions', [
      [2, 'message', [[1, 'string', 'uid-1']]],
      [4, 'string', 'Background'],
      [5, 'string', 'All'],
    ])
    expect(decodeProtobufObject(body, { apiVersion: given.route, kind: 'DeleteOptions' })).toEqual({
      kind: 'DeleteOptions',
      apiVersion: given.apiVersion === '' ? given.route : given.apiVersion,
      preconditions: { uid: 'uid-1' },
      propagationPolicy: 'Background',
      dryRun: ['All'],
    })
  })

  it.each([
    { given: Buffer.alloc(0), want: 'empty data' },
    {
      given: Buffer.from('{"kind":"ConfigMap"}'),
      want: 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    },
    { given: Buffer.from('k8s\u0000', 'latin1'), want: 'empty body' },
    {
      given: envelope('v1', 'ConfigMap', [named('c')]).subarray(0, 12),
      want: /^error decoding protobuf body: /,
    },
    {
      given: envelope('v1', 'NoSuchKind', [named('c')]),
      want: 'no kind "NoSuchKind" is registered for version "v1"',
    },
    {
      given: envelope('example.dev/v1', 'Widget', [named('c')]),
      want: 'no kind "Widget" is registered for version "example.dev/v1"',
    },
  ])('refuses $want with 400', ({ given, want }) => {
    let thrown: unknown
    try {
      decodeProtobufObject(given, { apiVersion: 'v1', kind: 'ConfigMap' })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ApiStatusError)
    expect((thrown as ApiStatusError).code).toBe(400)
    expect((thrown as ApiStatusError).message).toMatch(want)
  })

  it('round-trips any ConfigMap name and data', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.dictionary(fc.string(), fc.string(), { noNullPrototype: true }),
        (name, data) => {
          const parts: Part[] = [named(name)]
          for (const [key, value] of Object.entries(data)) {
            parts.push(entry(2, key, [2, 'string', value]))
          }
          const decoded = decodeProtobufObject(envelope('v1', 'ConfigMap', parts), {
            apiVersion: 'v1',
            kind: 'ConfigMap',
          })
          const want: Record<string, unknown> = {
            kind: 'ConfigMap',
            apiVersion: 'v1',
            metadata: { name, creationTimestamp: null },
          }
          if (Object.keys(data).length > 0) want['data'] = data
          expect(decoded).toEqual(want)
        },
      ),
    )
  })
})

describe('goDuration', () => {
  // Go `src/time/time_test.go` durationTests.
  it.each([
    { given: 0n, want: '0s' },
    { given: 1n, want: '1ns' },
    { given: 1100n, want: '1.1µs' },
    { given: 2_200_000n, want: '2.2ms' },
    { given: 3_300_000_000n, want: '3.3s' },
    { given: 245_000_000_000n, want: '4m5s' },
    { given: 245_001_000_000n, want: '4m5.001s' },
    { given: 18_367_001_000_000n, want: '5h6m7.001s' },
    { given: 480_000_000_001n, want: '8m0.000000001s' },
    { given: 2n ** 63n - 1n, want: '2562047h47m16.854775807s' },
    { given: -(2n ** 63n), want: '-2562047h47m16.854775808s' },
  ])('$given ns is $want', ({ given, want }) => {
    expect(goDuration(given)).toBe(want)
  })
})

// apiserver pkg/endpoints/handlers/delete.go DeleteResource decodes the body with the meta codecs
// whatever the resource: JSON, YAML or protobuf (client-go's typed clients, helm's uninstall).
describe('a DELETE with a protobuf DeleteOptions', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer()
  })
  afterAll(() => server.close())
  const path = '/api/v1/namespaces/default/configmaps/c'
  const protobufType = { 'content-type': 'application/vnd.kubernetes.protobuf' }

  it.each([
    {
      given: 'dryRun: All',
      body: envelope('v1', 'DeleteOptions', [[5, 'string', 'All']]),
      headers: protobufType,
      want: { status: 200, kept: true },
    },
    {
      given: 'a uid precondition that does not hold',
      body: envelope('v1', 'DeleteOptions', [[2, 'message', [[1, 'string', 'not-the-uid']]]]),
      headers: protobufType,
      want: { status: 409, kept: true },
    },
    {
      given: 'a body of an unknown media type',
      body: Buffer.from('{}'),
      headers: { 'content-type': 'text/plain' },
      want: { status: 415, kept: true },
    },
    {
      given: 'no options',
      body: envelope('v1', 'DeleteOptions', []),
      headers: protobufType,
      want: { status: 200, kept: false },
    },
  ])('$given: $want.status', async ({ body, headers, want }) => {
    await get(server, '/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
    })
    const answer = await get(server, path, { method: 'DELETE', headers, body })
    const after = await get(server, path)
    expect({ status: answer.status, kept: after.status === 200 }).toEqual(want)
    await get(server, path, { method: 'DELETE' })
  })
})
