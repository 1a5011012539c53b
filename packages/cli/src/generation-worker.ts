// A worker of a generation's print pool (print-pool.ts): plans each document the run stores as
// it is stored (read from the cache by its hash), then, given the generation, plans the rest
// from the locked documents, which it reads and verifies from the cache itself, prints the
// modules of its share and posts each file's text to the run, then that it is done. Never writes
// a file.
import { parentPort, workerData } from 'node:worker_threads'

import type { DocumentPlans, GroupVersionInput } from '@k8s-codegen/codegen'

import {
  AHEAD,
  type PoolProgress,
  type PrintJob,
  type PrintSetup,
  type StoredMessage,
  type WorkerMessage,
} from './print-pool.js'

const setup = workerData as PrintSetup

// Where the generation is (print-pool.ts PoolProgress), and the wait for it to move on.
let progress: PoolProgress['progress'] = { attempt: 0, reached: -1 }
let moved: (() => void) | undefined

// Resolves once the generation reached module `index - AHEAD` of `attempt`, or a later attempt.
async function reached(attempt: number, index: number): Promise<void> {
  while (progress.attempt === attempt && progress.reached < index - AHEAD)
    await new Promise<void>((resolve) => (moved = resolve))
}

const modules = Promise.all([import('@k8s-codegen/codegen'), import('@k8s-codegen/openapi')])

// The plans of the stored documents, one after another in the order they were stored.
let planned: Promise<DocumentPlans> = modules.then(
  ([{ DocumentPlans }]) => new DocumentPlans({ limits: setup.limits }),
)

function plan({ stored }: StoredMessage): void {
  planned = planned.then(async (plans) => {
    const [, openapi] = await modules
    // A document not there, or not read whole, is planned with the rest, from the lockfile.
    const bytes = await new openapi.SpecCache(setup.cacheDir)
      .read(stored.hash)
      .catch(() => undefined)
    if (bytes?.byteLength !== stored.bytes) return plans
    const { discovery, crdFacts, ...gv } = stored
    try {
      plans.add(
        {
          ...gv,
          discovery: JSON.parse(discovery) as NonNullable<GroupVersionInput['discovery']>,
          crdFacts: JSON.parse(crdFacts) as NonNullable<GroupVersionInput['crdFacts']>,
        },
        JSON.parse(new TextDecoder().decode(bytes)),
      )
    } catch {
      // Planned with the rest.
    }
    return plans
  })
}

async function print({ job }: PrintJob, post: (message: WorkerMessage) => void): Promise<void> {
  const [[{ generateInto }, openapi], plans] = await Promise.all([modules, planned])
  const lock = openapi.parseLockfile(JSON.parse(job.lock), job.lockfile)
  const specs = await openapi.openSpecSet(
    { lockfile: job.lockfile, cacheDir: job.cacheDir, specsDir: job.specsDir },
    lock,
  )
  const selected = new Set(job.selected)
  // Module i is this worker's when i mod `of` is its share; an attempt starts over at 0.
  let attempt = 0
  let index = 0
  await generateInto(
    {
      groupVersions: specs.groupVersions.filter((gv) => selected.has(gv.key)),
      lockfileHash: specs.lockfileHash,
      options: job.options,
      plans,
    },
    {
      reuse: async () => {
        const module = index++
        if (module % setup.of !== setup.share) return true
        await reached(attempt, module)
        return false
      },
      file: (path, content) => post({ attempt, path, content }),
      discard: () => {
        attempt++
        index = 0
      },
    },
  )
}

const port = parentPort
if (port !== null) {
  const post = (message: WorkerMessage): void => port.postMessage(message)
  // Failed or not, the generation prints what this worker did not send: the error a document
  // gives, if any, is then the generation's own, as on one thread.
  const done = (): void => post({ done: true })
  port.on('message', (message: StoredMessage | PrintJob | PoolProgress) => {
    if ('stored' in message) plan(message)
    else if ('job' in message) print(message, post).then(done, done)
    else {
      progress = message.progress
      moved?.()
    }
  })
}
