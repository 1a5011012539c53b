// Benchmark of the emulator's storage (not a test: timings are printed, never asserted).
// Run: `npm run bench:testkit` (builds testkit first; runs the startup bench, then this file).
//
// In one process and one run it measures, over plain HTTP with a keep-alive agent:
//   create   10,000 ConfigMap POSTs, 32 in flight
//   create CR 10,000 POSTs of a custom resource (the example.dev Widget CRD), 32 in flight: decoding,
//            pruning, defaulting and schema validation of custom resources
//   get      10,000 GETs by name, 32 in flight
//   list     20 full lists of the 10,000 objects
//   watch    100 open watches receiving 1,000 changes each (100,000 deliveries)
//   memory   heap growth per stored object, against the objects' own JSON size
// Each figure is printed as a ratio to a baseline measured the same way in the same run: a bare
// node:http server that answers each request with the bytes the emulator would send (a fixed
// object, a pre-serialized list, or the same watch lines broadcast), i.e. the HTTP + JSON floor.
//
// Where a real kube-apiserver is found (startRealApiServer: envtest's binaries or
// `npm run apiserver:build`), the same work runs against it too, over its TLS and bearer token
// (the emulator's and the baseline's rows stay plain HTTP), and the emulator's figures are
// printed as ratios to the real server's: start to first answer, each step, and memory (the
// real server's resident set growth, etcd included when it is embedded).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Agent, createServer, request as httpRequest } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { performance } from 'node:perf_hooks'
import process from 'node:process'
import {
  findRealApiServer,
  startApiServer,
  startRealApiServer,
} from '../../packages/testkit/dist/index.js'

const OBJECTS = 10_000
const WATCHERS = 100
const CHANGES = 1_000
const LISTS = 20
const IN_FLIGHT = 32
// The CRD the client and server-parity tests install (example.dev Widget).
const CRDS = [
  fileURLToPath(new URL('../../packages/openapi/test/fixtures/crds/widgets.yaml', import.meta.url)),
]

/** Where requests go: a plain-HTTP server, or a TLS one with its CA and bearer token. */
function target(url, tls) {
  if (tls === undefined) {
    return {
      url,
      request: httpRequest,
      agent: new Agent({ keepAlive: true, maxSockets: IN_FLIGHT }),
      options: {},
      headers: {},
    }
  }
  return {
    url,
    request: httpsRequest,
    agent: new HttpsAgent({ keepAlive: true, maxSockets: IN_FLIGHT, ca: tls.ca }),
    options: { ca: tls.ca },
    headers: { authorization: `Bearer ${tls.token}` },
  }
}

function call(to, method, path, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const headers = {
      ...to.headers,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    }
    const req = to.request(`${to.url}${path}`, { method, headers, agent: to.agent }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 300) reject(new Error(`${method} ${path}: ${res.statusCode}`))
        else resolve(Buffer.concat(chunks))
      })
    })
    req.on('error', reject)
    req.end(payload)
  })
}

async function pool(count, task) {
  let next = 0
  const worker = async () => {
    while (next < count) await task(next++)
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
}

function configMap(i) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `cm-${String(i).padStart(5, '0')}`,
      labels: { bench: 'yes', shard: String(i % 10) },
    },
    data: { index: String(i), payload: 'x'.repeat(64) },
  }
}

function widget(i) {
  return {
    apiVersion: 'example.dev/v1',
    kind: 'Widget',
    metadata: { name: `w-${String(i).padStart(5, '0')}`, labels: { bench: 'yes' } },
    spec: { size: '10Gi', replicas: i % 5, mode: 'slow', labels: { shard: String(i % 10) } },
  }
}

/** Opens `count` watches; resolves with a function that waits until each saw `events` lines. */
async function openWatches(to, path, count, events) {
  const waits = []
  const requests = []
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise((opened, failed) => {
          const req = to.request(
            `${to.url}${path}`,
            { ...to.options, headers: to.headers, agent: false },
            (res) => {
              let seen = 0
              let done
              waits.push(new Promise((r) => (done = r)))
              res.on('data', (chunk) => {
                for (const byte of chunk) if (byte === 0x0a) seen += 1
                if (seen >= events) done()
              })
              opened()
            },
          )
          req.on('error', failed)
          req.end()
          requests.push(req)
        }),
    ),
  )
  return {
    all: () => Promise.all(waits),
    close: () => requests.forEach((r) => r.destroy()),
  }
}

async function measure(to, cms, widgets) {
  const out = {}
  let start = performance.now()
  await pool(OBJECTS, (i) => call(to, 'POST', cms, configMap(i)))
  out.create = performance.now() - start
  start = performance.now()
  await pool(OBJECTS, (i) => call(to, 'POST', widgets, widget(i)))
  out.createCustom = performance.now() - start
  start = performance.now()
  await pool(OBJECTS, (i) => call(to, 'GET', `${cms}/${configMap(i).metadata.name}`))
  out.get = performance.now() - start
  start = performance.now()
  for (let i = 0; i < LISTS; i++) await call(to, 'GET', cms)
  out.list = performance.now() - start
  const watches = await openWatches(
    to,
    `${cms}?watch=true&labelSelector=bench%3Dyes&fieldSelector=metadata.name%3Dcm-00000`,
    WATCHERS,
    CHANGES,
  )
  start = performance.now()
  for (let i = 0; i < CHANGES; i++) {
    await call(to, 'PUT', `${cms}/cm-00000`, {
      ...configMap(0),
      data: { index: '0', change: String(i) },
    })
  }
  await watches.all()
  out.watch = performance.now() - start
  watches.close()
  return out
}

// The floor: answers with the bytes the emulator would answer, from memory.
async function startBaseline() {
  const single = Buffer.from(
    JSON.stringify({
      ...configMap(0),
      metadata: {
        ...configMap(0).metadata,
        uid: 'u',
        resourceVersion: '1',
        creationTimestamp: '2026-01-01T00:00:00Z',
      },
    }) + '\n',
  )
  const list = Buffer.from(
    JSON.stringify({
      kind: 'ConfigMapList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '1' },
      items: Array.from({ length: OBJECTS }, (_, i) => configMap(i)),
    }) + '\n',
  )
  const watchers = new Set()
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      if (req.url?.includes('watch=true')) {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.flushHeaders()
        watchers.add(res)
        res.on('close', () => watchers.delete(res))
        return
      }
      if (req.method === 'PUT') {
        const line = Buffer.from(
          JSON.stringify({ type: 'MODIFIED', object: JSON.parse(single.toString()) }) + '\n',
        )
        for (const w of watchers) w.write(line)
      }
      const body = req.method === 'GET' && !req.url?.includes('/cm-') ? list : single
      res.writeHead(req.method === 'POST' ? 201 : 200, {
        'content-type': 'application/json',
        'content-length': body.length,
      })
      res.end(body)
    })
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((r) => {
        server.close(r)
        server.closeAllConnections()
      }),
  }
}

const cms = '/api/v1/namespaces/default/configmaps'
const widgets = '/apis/example.dev/v1/namespaces/default/widgets'
const baseline = await startBaseline()
const baselineTarget = target(baseline.url)
const floor = await measure(baselineTarget, cms, widgets)
baselineTarget.agent.destroy()
await baseline.close()

global.gc?.()
const heapBefore = process.memoryUsage().heapUsed
let started = performance.now()
const server = await startApiServer({
  http: true,
  auth: { token: false, anonymous: true },
  crds: CRDS,
})
const emulatorTarget = target(server.url)
await call(emulatorTarget, 'GET', '/version')
const emulatorStart = performance.now() - started
const emulated = await measure(emulatorTarget, cms, widgets)
global.gc?.()
const heapAfter = process.memoryUsage().heapUsed
const objectBytes = Array.from(
  { length: OBJECTS },
  (_, i) => JSON.stringify(configMap(i)).length,
).reduce((a, b) => a + b, 0)
await server.close()
emulatorTarget.agent.destroy()

// The real kube-apiserver's resident set (kB): the process that serves (etcd embedded), plus
// etcd's own under envtest's binaries.
const residentKiB = (pids) =>
  pids
    .map((pid) => /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])
    .reduce((sum, kib) => sum + Number(kib ?? 0), 0)

let real
if (findRealApiServer() === undefined) {
  process.stderr.write(
    'real kube-apiserver rows skipped: no binary (KUBEBUILDER_ASSETS, K8S_CODEGEN_APISERVER_BIN, or `npm run apiserver:build` with Go)\n',
  )
} else {
  started = performance.now()
  const realServer = await startRealApiServer({ crds: CRDS })
  const realTarget = target(realServer.url, { ca: realServer.caPem, token: realServer.token })
  await call(realTarget, 'GET', '/version')
  const start = performance.now() - started
  const rssBefore = residentKiB(realServer.pids)
  const figures = await measure(realTarget, cms, widgets)
  const rssAfter = residentKiB(realServer.pids)
  realTarget.agent.destroy()
  await realServer.close()
  real = { start, figures, rssBefore, rssAfter, backend: realServer.backend.kind }
}

const rate = (count, ms) => `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`
const rows = [
  ['create', OBJECTS, 'objects'],
  ['createCustom', OBJECTS, 'custom resources'],
  ['get', OBJECTS, 'objects'],
  ['list', LISTS, `lists of ${OBJECTS}`],
  ['watch', WATCHERS * CHANGES, `deliveries (${WATCHERS} watchers × ${CHANGES})`],
]
console.log(`testkit storage bench (node ${process.version}, ${IN_FLIGHT} in flight, plain HTTP)`)
for (const [name, count, unit] of rows) {
  const ratio = emulated[name] / floor[name]
  console.log(
    `${name.padEnd(12)} emulator ${rate(count, emulated[name]).padStart(12)}  baseline ${rate(count, floor[name]).padStart(12)}  ${ratio.toFixed(2)}× the baseline's time  (${unit})`,
  )
}
const perObject = (heapAfter - heapBefore) / OBJECTS
console.log(
  `memory  heap +${((heapAfter - heapBefore) / 1048576).toFixed(1)} MiB for ${OBJECTS} objects (${Math.round(perObject)} B each, ${(perObject / (objectBytes / OBJECTS)).toFixed(1)}× their JSON size; history of ${OBJECTS + CHANGES} events included)${global.gc === undefined ? ' — run with --expose-gc for a settled heap' : ''}`,
)
if (real !== undefined) {
  console.log(
    `\nthe same work on a real kube-apiserver (${real.backend}, TLS + token); emulator time ÷ real time`,
  )
  console.log(
    `start   emulator ${emulatorStart.toFixed(0).padStart(8)} ms  real ${real.start.toFixed(0).padStart(8)} ms  ${(emulatorStart / real.start).toFixed(3)}×  (start to first /version answer)`,
  )
  for (const [name, count, unit] of rows) {
    console.log(
      `${name.padEnd(12)} emulator ${rate(count, emulated[name]).padStart(12)}  real ${rate(count, real.figures[name]).padStart(12)}  ${(emulated[name] / real.figures[name]).toFixed(2)}×  (${unit})`,
    )
  }
  const realGrowth = (real.rssAfter - real.rssBefore) * 1024
  console.log(
    `memory  emulator heap +${((heapAfter - heapBefore) / 1048576).toFixed(1)} MiB  real RSS +${(realGrowth / 1048576).toFixed(1)} MiB (${(real.rssAfter / 1024).toFixed(0)} MiB in all)  ${((heapAfter - heapBefore) / realGrowth).toFixed(2)}×`,
  )
}
