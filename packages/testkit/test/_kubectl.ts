import { execFile, spawnSync } from 'node:child_process'
import { expect } from 'vitest'
import { join } from 'node:path'

/** The minor version of the `kubectl` on PATH, or undefined when there is none. */
export function kubectlMinor(): number | undefined {
  const version = spawnSync('kubectl', ['version', '--client', '-o', 'json'], {
    encoding: 'utf8',
    timeout: 20_000,
  })
  if (version.status !== 0) return undefined
  const parsed = JSON.parse(version.stdout) as { clientVersion: { minor: string } }
  return Number.parseInt(parsed.clientVersion.minor, 10)
}

/** What one kubectl run printed and its exit code. */
export interface KubectlResult {
  stdout: string
  stderr: string
  code: number
}

/** Runs the kubectl on PATH with `kubeconfig` and a discovery cache under `work`. */
export function runKubectl(
  kubeconfig: string,
  work: string,
  args: string[],
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    execFile(
      'kubectl',
      ['--kubeconfig', kubeconfig, '--cache-dir', join(work, 'cache'), ...args],
      { encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ stdout, stderr, code: error === null ? 0 : (error.code as number) }),
    )
  })
}

/**
 * What runs `kubectl` and returns its stdout, failing the test with the command and its stderr
 * when it exits non-zero.
 */
export function succeeding(
  kubectl: (args: string[]) => Promise<KubectlResult>,
): (args: string[]) => Promise<string> {
  return async (args) => {
    const result = await kubectl(args)
    expect(result.code, `kubectl ${args.join(' ')}: ${result.stderr}`).toBe(0)
    return result.stdout
  }
}
