import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'

// kubectl-validate (SIG CLI, Go) is the judge of validation outside a cluster: the parity tests
// and bench:validate run the same version, installed the way its README says
// (`go install sigs.k8s.io/kubectl-validate@<version>`), into a directory of the caller's.

/**
 * The kubectl-validate the parity tests and benchmarks compare with.
 *
 * @example
 * kubectlValidateModule // 'sigs.k8s.io/kubectl-validate@v0.0.4'
 */
export const kubectlValidateModule = 'sigs.k8s.io/kubectl-validate@v0.0.4'

/** A kubectl-validate binary and its module's source directory (its patches and builtins). */
export interface KubectlValidate {
  readonly binary: string
  readonly moduleDir: string
}

/**
 * Why {@link installKubectlValidate} cannot give kubectl-validate on this machine (Go is absent),
 * or undefined when it can. For `describe.skipIf`, decided without building anything.
 *
 * @example
 * const missing = kubectlValidateMissing()
 * if (missing !== undefined) console.warn(`skipped: ${missing}`)
 */
export function kubectlValidateMissing(): string | undefined {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0
    ? undefined
    : `Go is not installed to build ${kubectlValidateModule}`
}

/**
 * kubectl-validate from `$K8S_CODEGEN_KUBECTL_VALIDATE`, else built with `go install` into
 * `binDir` (minutes cold on shared cores, a link once the Go build cache holds it), and its
 * module's source directory from the Go module cache. Throws when Go fails.
 *
 * @example
 * const { binary, moduleDir } = installKubectlValidate('node_modules/.cache/kubectl-validate')
 */
export function installKubectlValidate(binDir: string): KubectlValidate {
  const given = process.env['K8S_CODEGEN_KUBECTL_VALIDATE']
  let binary = given
  if (binary === undefined || binary === '') {
    mkdirSync(binDir, { recursive: true })
    execFileSync('go', ['install', kubectlValidateModule], {
      env: { ...process.env, GOBIN: binDir },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 1_500_000,
    })
    binary = join(binDir, 'kubectl-validate')
  }
  const info = JSON.parse(
    execFileSync('go', ['mod', 'download', '-json', kubectlValidateModule], { encoding: 'utf8' }),
  ) as { Dir: string }
  return { binary, moduleDir: info.Dir }
}
