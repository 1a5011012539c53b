// npm test: the prettier check, the lint of scripts/, then typecheck, lint and test of every
// workspace (turbo), and last one line with the total of tests across all packages
// (`N passed, N failed[, N skipped]`). Every step runs even after one failed, so a CI run shows
// all problems at once; the exit code is non-zero when any step or any test failed.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { REPORT_PATH, testTotal } from './_test-total.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

// Workspaces with a `test` script, as npm lists them (name and directory).
const listed = spawnSync('npm', ['query', '.workspace'], { cwd: root, encoding: 'utf8' })
if (listed.status !== 0) throw new Error(`npm query .workspace exited ${listed.status}`)
const tested = JSON.parse(listed.stdout).filter((w) => w.scripts?.test !== undefined)
for (const w of tested) rmSync(join(root, w.location, REPORT_PATH), { force: true })

const steps = [
  ['npm', ['run', 'format:check']],
  ['npm', ['run', 'lint:scripts']],
  ['npx', ['turbo', 'run', 'typecheck', 'lint', 'test', '--continue=dependencies-successful']],
]
let stepFailed = false
for (const [command, args] of steps) {
  const step = spawnSync(command, args, { cwd: root, stdio: 'inherit' })
  if (step.status !== 0) stepFailed = true
}

const reports = new Map(
  tested.map((w) => {
    const path = join(root, w.location, REPORT_PATH)
    return [w.name, existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined]
  }),
)
const { line, failed, notes } = testTotal(reports)
for (const note of notes) console.log(note)
console.log(line)
process.exitCode = stepFailed || failed > 0 ? 1 : 0
