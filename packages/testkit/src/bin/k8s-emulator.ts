#!/usr/bin/env node
// k8s-emulator: runs the testkit's emulated kube-apiserver for humans, scripts and the demo.
// Prints exactly one JSON line {"url","kubeconfig"} on stdout once listening; logs requests as
// JSON lines to --log; exits cleanly on SIGTERM/SIGINT. The one place that calls process.exit.
import { appendFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { isK8sCodegenError } from '@k8s-codegen/proxy-url'
import { startApiServer, type StartApiServerOptions } from '../index.js'

const usage = `Usage: k8s-emulator [--specs <dir|recorded|kubernetes-1.13>] [--v2 <file>] [--port 0]
                    [--host 127.0.0.1] [--prefix /k8s/clusters/c-1] [--http] [--kubeconfig <path>]
                    [--log <jsonl>] [--example-crds] [--crds <file|dir>]... [--synthesize N]
                    [--recorded-group-version apis/<g>/<v>]...

  --specs         profile directory (v3/api/v1.json, v3/apis/<g>/<v>.json, optional v2.json) or a
                  built-in profile; default: recorded specs in ../shared when present, else kubernetes-1.13
  --v2            OpenAPI v2 document (.json or .json.gz) served at /openapi/v2; default: the
                  profile's v2.json or newest v2/kubernetes-<x.y>.json (1.36 for the recorded specs)
  --kubeconfig    where to write the kubeconfig (default: a temporary file removed on exit)
  --log           append one JSON line per request (method, path, query, status, headers)
  --example-crds  add the example.dev/v1 CRD group (Widget, Gadget)
  --crds          install the CustomResourceDefinitions of these YAML/JSON files or directories
                  (repeatable): /openapi/v3, /openapi/v2 and discovery as kube-apiserver serves them
  --synthesize N  add N group-versions split from the recorded v2 1.36 spec
  --recorded-group-version
                  serve this group-version of the recorded v2 1.36 spec (repeatable), e.g.
                  apis/policy/v1, instead of all of them; 'none' serves the recorded v3
                  documents alone (default on the recorded specs: every group-version of 1.36)
  --root-etag     send an ETag on the /openapi/v3 root, as Kubernetes 1.27+ servers do`

function fail(message: string): never {
  console.error(`k8s-emulator: ${message}`)
  console.error(usage)
  process.exit(1)
}

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value))
    fail(`--${flag} must be a non-negative integer, got ${JSON.stringify(value)}`)
  return Number(value)
}

async function main(): Promise<void> {
  let values
  try {
    ;({ values } = parseArgs({
      options: {
        specs: { type: 'string' },
        v2: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        prefix: { type: 'string' },
        http: { type: 'boolean' },
        kubeconfig: { type: 'string' },
        log: { type: 'string' },
        'example-crds': { type: 'boolean' },
        crds: { type: 'string', multiple: true },
        synthesize: { type: 'string' },
        'recorded-group-version': { type: 'string', multiple: true },
        'root-etag': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }))
  } catch (error) {
    fail((error as Error).message)
  }
  if (values.help === true) {
    console.log(usage)
    return
  }
  const log = values.log === undefined ? undefined : resolve(values.log)
  if (log !== undefined) writeFileSync(log, '', { flag: 'a' })
  const options: StartApiServerOptions = {}
  if (values.specs !== undefined) {
    options.profile =
      values.specs === 'recorded' || values.specs === 'kubernetes-1.13'
        ? values.specs
        : resolve(values.specs)
  }
  if (values.v2 !== undefined) options.v2 = resolve(values.v2)
  const port = integer('port', values.port)
  if (port !== undefined) options.port = port
  if (values.host !== undefined) options.host = values.host
  if (values.prefix !== undefined) options.prefix = values.prefix
  if (values.http === true) options.http = true
  if (values['example-crds'] === true) options.exampleCrds = true
  if (values.crds !== undefined) options.crds = values.crds.map((path) => resolve(path))
  if (values['root-etag'] === true) options.rootEtag = true
  const synthesize = integer('synthesize', values.synthesize)
  if (synthesize !== undefined) options.synthesizeGroupVersions = synthesize
  const recordedGroupVersions = values['recorded-group-version']
  if (recordedGroupVersions !== undefined)
    options.recordedGroupVersions = recordedGroupVersions.filter((key) => key !== 'none')
  if (log !== undefined) {
    options.onRequest = (entry) => appendFileSync(log, JSON.stringify(entry) + '\n')
  }

  const server = await startApiServer(options)
  const kubeconfig = await server.kubeconfig(
    values.kubeconfig === undefined ? undefined : resolve(values.kubeconfig),
  )
  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  process.stdout.write(JSON.stringify({ url: server.url, kubeconfig }) + '\n')
}

main().catch((error: unknown) => {
  const message = isK8sCodegenError(error) ? `${error.code}: ${error.message}` : String(error)
  console.error(`k8s-emulator: ${message}`)
  process.exit(1)
})
