// A Go program of test/fixtures built once per test file in a temporary directory, or why it
// cannot be: Go is absent (`npm test` passes without Go) or the build failed.
import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The built binary's path, or `{ skip }` saying why there is none. */
export function buildGoFixture(fixture: string): string | { skip: string } {
  if (spawnSync('go', ['version']).status !== 0) return { skip: 'Go is not installed' }
  const out = join(mkdtempSync(join(tmpdir(), `${fixture}-`)), fixture)
  const built = spawnSync('go', ['build', '-o', out, '.'], {
    cwd: fileURLToPath(new URL(`fixtures/${fixture}/`, import.meta.url)),
    encoding: 'utf8',
    timeout: 300_000,
  })
  if (built.status !== 0) return { skip: `go build of ${fixture} failed: ${built.stderr}` }
  return out
}
