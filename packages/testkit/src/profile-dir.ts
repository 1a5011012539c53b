import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TestkitError } from './errors.js'

// packages/testkit/{src,dist}/profile-dir.{ts,js} → the repository root is three levels up, and
// `../shared` sits beside the checkout (see the working agreement and PROVENANCE.md).
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

function sharedDir(): string {
  const override = process.env['K8S_CODEGEN_SHARED_DIR']
  return override !== undefined && override !== ''
    ? resolve(override)
    : resolve(repositoryRoot, '..', 'shared')
}

/**
 * Absolute path of the recorded real Kubernetes specs (`../shared/fixtures/kubernetes`), or
 * `undefined` when that directory is absent. `K8S_CODEGEN_SHARED_DIR` overrides the location of
 * `../shared`. Read the files in place; never copy them into the repository.
 *
 * @example
 * const dir = recordedProfileDir()
 * describe.skipIf(dir === undefined)('against recorded specs', () => {})
 */
export function recordedProfileDir(): string | undefined {
  const dir = join(sharedDir(), 'fixtures', 'kubernetes')
  return existsSync(join(dir, 'v3')) ? dir : undefined
}

/**
 * Like {@link recordedProfileDir}, but throws a `TestkitError`
 * (`K8S_CODEGEN_TESTKIT_SHARED_ABSENT`) naming the directory it looked for when it is absent.
 *
 * @example
 * const apps = join(requireRecordedProfile(), 'v3', 'apis', 'apps', 'v1.json')
 */
export function requireRecordedProfile(): string {
  const dir = recordedProfileDir()
  if (dir === undefined) {
    throw new TestkitError(
      'K8S_CODEGEN_TESTKIT_SHARED_ABSENT',
      `recorded Kubernetes specs not found at ${join(sharedDir(), 'fixtures', 'kubernetes')}: ` +
        'the ../shared directory beside the checkout is absent (set K8S_CODEGEN_SHARED_DIR to its location)',
    )
  }
  return dir
}
