// A worker thread of crd-read.ts: reads the CRD files it is given, one message each, and answers
// with strings and small facts.
import { parentPort, workerData } from 'node:worker_threads'
import { readCrdFile, type CrdReadWorkerData } from './crd-read.js'

const { parameters, info } = workerData as CrdReadWorkerData
parentPort?.on('message', ({ index, file }: { index: number; file: string }) => {
  parentPort?.postMessage({ index, read: readCrdFile(file, (name) => parameters[name], info) })
})
