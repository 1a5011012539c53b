// Generates the bindings the tests import (test/generated, see the script) before any test or
// type test runs.
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export default function setup(): void {
  const script = fileURLToPath(new URL('../scripts/generate-test-bindings.js', import.meta.url))
  execFileSync(process.execPath, [script], { stdio: 'inherit' })
}
