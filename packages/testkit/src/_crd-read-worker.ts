// A worker thread of crd-read.ts: reads the CRD files it is given, one message each, and answers
// with small facts and JSON texts as bytes of one buffer it hands over.
import { parentPort, workerData } from 'node:worker_threads'
import { packCrdFileRead, readCrdFile, type CrdReadWorkerData } from './crd-read.js'

const { parameters, info } = workerData as CrdReadWorkerData
parentPort?.on('message', ({ index, file }: { index: number; file: string }) => {
  const { read, buffer } = packCrdFileRead(readCrdFile(file, (name) => parameters[name], info))
  parentPort?.postMessage({ index, read }, [buffer])
})
