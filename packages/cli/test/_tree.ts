import { lstat, readFile, readdir, readlink } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * Every entry under `dir` but those `skip` names (relative paths): a directory as '<dir>', a
 * symlink as '-> target', a file its bytes (base64). What a test compares before and after a run.
 */
export async function tree(
  dir: string,
  skip: (name: string) => boolean = () => false,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const name of await readdir(dir, { recursive: true })) {
    if (skip(name)) continue
    const path = join(dir, name)
    const stats = await lstat(path)
    out[name] = stats.isDirectory()
      ? '<dir>'
      : stats.isSymbolicLink()
        ? `-> ${await readlink(path)}`
        : (await readFile(path)).toString('base64')
  }
  return out
}
