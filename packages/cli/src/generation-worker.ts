// A worker of a generation's print pool (print-pool.ts): plans the whole output from the locked
// documents, which it reads and verifies from the cache itself, prints the modules of its share
// and posts each file's text to the generation, then that it is done. Never writes a file.
import { parentPort, workerData } from 'node:worker_threads'

import { AHEAD, type PoolProgress, type PrintJob, type WorkerMessage } from './print-pool.js'

// Where the generation is (print-pool.ts PoolProgress), and the wait for it to move on.
let progress: PoolProgress = { attempt: 0, reached: -1 }
let moved: (() => void) | undefined
parentPort?.on('message', (message: PoolProgress) => {
  progress = message
  moved?.()
})

// Resolves once the generation reached module `index - AHEAD` of `attempt`, or a later attempt.
async function reached(attempt: number, index: number): Promise<void> {
  while (progress.attempt === attempt && progress.reached < index - AHEAD)
    await new Promise<void>((resolve) => (moved = resolve))
}

async function print(job: PrintJob, post: (message: WorkerMessage) => void): Promise<void> {
  const [{ generateInto }, openapi] = await Promise.all([
    import('@k8s-codegen/codegen'),
    import('@k8s-codegen/openapi'),
  ])
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
    },
    {
      reuse: async () => {
        const module = index++
        if (module % job.of !== job.share) return true
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
  print(workerData as PrintJob, post).then(done, done)
}
