import { afterAll, beforeAll, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../src/index.js'
import { get, json, send } from './_client.js'

// `pods/exec`, `attach` and `portforward` of a pod a node runs: kube-apiserver looks the Node up
// (404 when it is missing) and then dials its kubelet, which the emulator does not run (the
// unscheduled cases are the server-parity row "exec, attach and portforward of a pod no node
// runs").
const pods = '/api/v1/namespaces/default/pods'
let server: ApiServer
beforeAll(async () => {
  server = await startApiServer()
  await send(server, 'POST', '/api/v1/nodes', { metadata: { name: 'node-1' } })
  for (const [name, nodeName] of [
    ['on-node', 'node-1'],
    ['on-missing-node', 'node-2'],
  ])
    await send(server, 'POST', pods, {
      metadata: { name },
      spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }] },
    })
})
afterAll(() => server.close())

it.each([
  {
    given: 'on-missing-node/exec?command=true',
    want: { code: 404, reason: 'NotFound', message: 'nodes "node-2" not found' },
  },
  {
    given: 'on-node/portforward?ports=80',
    want: {
      code: 500,
      reason: 'InternalError',
      message: 'error dialing backend: no kubelet runs for node node-1 in the emulator',
    },
  },
  {
    given: 'on-node/attach?container=other',
    want: {
      code: 400,
      reason: 'BadRequest',
      message: 'container other is not valid for pod on-node',
    },
  },
])('GET $given', async ({ given, want }) => {
  const response = await get(server, `${pods}/${given}`)
  expect(response.status).toBe(want.code)
  expect(json(response)).toMatchObject(want)
})
