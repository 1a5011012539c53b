import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../src/index.js'
import { get } from './_client.js'

// k8s.io/apiserver pkg/server/healthz: what `kubectl get --raw /readyz?verbose` and a load
// balancer's probe read. The server-parity row "health endpoints …" compares the plain answers
// with kube-apiserver's; these rows cover the verbose and exclude forms on the emulator's checks.
const rows: { given: string; want: { status: number; body: string } }[] = [
  { given: '/healthz', want: { status: 200, body: 'ok' } },
  { given: '/healthz?verbose', want: { status: 200, body: '[+]ping ok\nhealthz check passed\n' } },
  {
    given: '/readyz?verbose',
    want: { status: 200, body: '[+]ping ok\n[+]shutdown ok\nreadyz check passed\n' },
  },
  {
    given: '/livez?verbose&exclude=ping&exclude=etcd',
    want: {
      status: 200,
      body: '[+]ping excluded: ok\nwarn: some health checks cannot be excluded: no matches for "etcd"\nlivez check passed\n',
    },
  },
  { given: '/readyz/shutdown', want: { status: 200, body: 'ok' } },
  { given: '/healthz/shutdown', want: { status: 404, body: '404 page not found\n' } },
  { given: '/livez/', want: { status: 404, body: '404 page not found\n' } },
]

describe('health endpoints', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ profile: 'kubernetes-1.13' })
  })
  afterAll(() => server.close())

  it.each(rows)('GET $given', async ({ given, want }) => {
    const response = await get(server, given)
    expect({ status: response.status, body: response.body.toString() }).toEqual(want)
  })
})
