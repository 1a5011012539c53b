import { spawnSync } from 'node:child_process'

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
