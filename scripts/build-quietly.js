// Builds every package (turbo, cached) and prints nothing when the build succeeds: a script
// that needs the build (demo, pack) then starts with its own first line instead of turbo's
// replay of every package's log. A failed build prints turbo's whole output (errors-only: the
// failing tasks' logs) and exits with its code.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'

const turbo = createRequire(import.meta.url).resolve('turbo/bin/turbo')
const build = spawnSync(
  process.execPath,
  [turbo, 'run', 'build', '--output-logs=errors-only', '--no-update-notifier'],
  { encoding: 'utf8', maxBuffer: 64 << 20 },
)
if (build.status !== 0) {
  process.stdout.write(build.stdout ?? '')
  process.stderr.write(build.stderr ?? '')
  if (build.error !== undefined) console.error(`build: ${build.error.message}`)
  process.exitCode = build.status ?? 1
}
