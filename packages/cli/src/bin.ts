#!/usr/bin/env node
import { constants } from 'node:os'
import { setFlagsFromString } from 'node:v8'

// undici parses HTTP with llhttp compiled to WebAssembly. V8 tiers hot wasm functions up with
// TurboFan on background threads, and Node waits for those jobs when the process exits: about
// 70 ms of a warm fetch went to a compile whose result was never used. Baseline (Liftoff) code is
// fast enough for a CLI's request volume. Set before main loads, with the scripts it runs from a
// V8 code cache (code-cache.ts): V8 refuses a cache made under other flags.
setFlagsFromString('--liftoff-only')
const [{ main }, { settleInterrupted }] = await Promise.all([
  import('./main.js'),
  import('./interrupt.js'),
])

// Node's experimental warnings (undici's SOCKS5 support prints one) are about Node, not about
// anything the user can act on; any other process warning is still shown.
process.removeAllListeners('warning')
process.on('warning', (warning) => {
  if (warning.name !== 'ExperimentalWarning')
    process.stderr.write(`k8s-codegen: warning: ${warning.name}: ${warning.message}\n`)
})

// SIGINT and SIGTERM: the run's files are settled synchronously (interrupt.ts), then the process
// ends with 128 + the signal's number; the locks go with it (proper-lockfile removes them on exit).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const line of settleInterrupted(signal)) process.stderr.write(line)
    process.exit(128 + constants.signals[signal])
  })
}

// The one place that ends the process: after stdout has drained, so piped output is complete.
const code = await main(process.argv.slice(2))
process.stdout.write('', () => process.exit(code))
