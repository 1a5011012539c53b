// Generates the bindings the tests import (test/generated, see the script) before any test or
// type test runs.
export default async function setup(): Promise<void> {
  await import('../scripts/generate-test-bindings.js')
}
