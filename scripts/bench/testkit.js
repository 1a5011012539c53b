// Benchmark of the emulator's storage (not a test: timings are printed, never asserted).
// Run: `npm run bench:testkit` (builds testkit first; runs the startup bench, then this file).
//
// In one process and one run it measures, over plain HTTP with a keep-alive agent:
//   create   10,000 ConfigMap POSTs, 32 in flight
//   get      10,000 GETs by name, 32 in flight
//   list     20 full lists of the 10,000 objects
//   watch    100 open watches receiving 1,000 changes each (100,000 deliveries)
//   memory   heap growth per stored object, against the objects' own JSON size
// Each figure is printed as a ratio to a baseline measured the same way in the same run: a bare
// node:http server that answers each request with the bytes the emulator would send (a fixed
// object, a pre-serialized list, or the same watch lines broadcast), i.e. the HTTP + JSON floor.
import { Agent, createServer, request } from 'node:http'
import { performance } from 'node:perf_hooks'
import process from 'node:process'
import { startApiServer } from '../../packages/testkit/dist/index.js'

const OBJECTS = 10_000
const WATCHERS = 100
const CHANGES = 1_000
const LISTS = 20
const IN_FLIGHT = 32

const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT })

function call(base, method, path, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const headers = payload === undefined ? {} : { 'content-type': 'application/json' }
    const req = request(`${base}${path}`, { method, headers, agent }, (res) => {
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

/** Opens `count` watches; resolves with a function that waits until each saw `events` lines. */
async function openWatches(base, path, count, events) {
  const waits = []
  const requests = []
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise((opened, failed) => {
          const req = request(`${base}${path}`, { agent: false }, (res) => {
            let seen = 0
            let done
            waits.push(new Promise((r) => (done = r)))
            res.on('data', (chunk) => {
              for (const byte of chunk) if (byte === 0x0a) seen += 1
              if (seen >= events) done()
            })
            opened()
          })
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

async function measure(base, cms) {
  const out = {}
  let start = performance.now()
  await pool(OBJECTS, (i) => call(base, 'POST', cms, configMap(i)))
  out.create = performance.now() - start
  start = performance.now()
  await pool(OBJECTS, (i) => call(base, 'GET', `${cms}/${configMap(i).metadata.name}`))
  out.get = performance.now() - start
  start = performance.now()
  for (let i = 0; i < LISTS; i++) await call(base, 'GET', cms)
  out.list = performance.now() - start
  const watches = await openWatches(
    base,
    `${cms}?watch=true&labelSelector=bench%3Dyes&fieldSelector=metadata.name%3Dcm-00000`,
    WATCHERS,
    CHANGES,
  )
  start = performance.now()
  for (let i = 0; i < CHANGES; i++) {
    await call(base, 'PUT', `${cms}/cm-00000`, {
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
const baseline = await startBaseline()
const floor = await measure(baseline.url, cms)
await baseline.close()

global.gc?.()
const heapBefore = process.memoryUsage().heapUsed
const server = await startApiServer({ http: true, auth: { token: false, anonymous: true } })
const emulated = await measure(server.url, cms)
global.gc?.()
const heapAfter = process.memoryUsage().heapUsed
const objectBytes = Array.from(
  { length: OBJECTS },
  (_, i) => JSON.stringify(configMap(i)).length,
).reduce((a, b) => a + b, 0)
await server.close()
agent.destroy()

const rate = (count, ms) => `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`
const rows = [
  ['create', OBJECTS, 'objects'],
  ['get', OBJECTS, 'objects'],
  ['list', LISTS, `lists of ${OBJECTS}`],
  ['watch', WATCHERS * CHANGES, `deliveries (${WATCHERS} watchers × ${CHANGES})`],
]
console.log(`testkit storage bench (node ${process.version}, ${IN_FLIGHT} in flight, plain HTTP)`)
for (const [name, count, unit] of rows) {
  const ratio = emulated[name] / floor[name]
  console.log(
    `${name.padEnd(7)} emulator ${rate(count, emulated[name]).padStart(12)}  baseline ${rate(count, floor[name]).padStart(12)}  ${ratio.toFixed(2)}× the baseline's time  (${unit})`,
  )
}
const perObject = (heapAfter - heapBefore) / OBJECTS
console.log(
  `memory  heap +${((heapAfter - heapBefore) / 1048576).toFixed(1)} MiB for ${OBJECTS} objects (${Math.round(perObject)} B each, ${(perObject / (objectBytes / OBJECTS)).toFixed(1)}× their JSON size; history of ${OBJECTS + CHANGES} events included)${global.gc === undefined ? ' — run with --expose-gc for a settled heap' : ''}`,
)
