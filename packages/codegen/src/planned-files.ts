// The files a generation writes whatever its documents hold, known before any document is read:
// what the CLI checks `--out` for before it fetches or generates, so a run that would refuse a
// file in the way refuses before the work (the writer still judges every file it writes).
import { isBuiltinGroup, moduleOfGroupVersion } from './module-path.js'
import { ModulePaths } from './names.js'

// The files `--emit js` makes of module `path` (`apps/v1.ts`): its JavaScript and declarations.
export function javaScriptPaths(path: string): [string, string] {
  const base = path.slice(0, -'.ts'.length)
  return [`${base}.js`, `${base}.d.ts`]
}

/**
 * The files (relative to `--out`) a generation of `groupVersions` with `emit` certainly writes: the
 * index, and the module of each group-version whose path no other module can take — a built-in
 * group's (claimed first, plan.ts) or a dotted group's (no shared apimachinery module has a dot).
 * A group-version codegen skips (a limit, a document it refuses) writes no module.
 *
 * @example
 * plannedFiles([{ group: 'apps', version: 'v1' }], 'ts') // ['index.ts', 'apps/v1.ts']
 * plannedFiles([], 'js') // ['index.js', 'index.d.ts']
 */
export function plannedFiles(
  groupVersions: readonly { group: string; version: string }[],
  emit: 'ts' | 'js',
): string[] {
  const paths = new ModulePaths()
  const modules = ['index']
  const builtinFirst = [...groupVersions].sort(
    (a, b) => Number(!isBuiltinGroup(a.group)) - Number(!isBuiltinGroup(b.group)),
  )
  for (const { group, version } of builtinFirst) {
    if (!isBuiltinGroup(group) && !group.includes('.')) continue
    const raw = moduleOfGroupVersion(group, version)
    // A name the path rules change (names.ts) is the generator's to place.
    if (paths.claim(raw) === raw) modules.push(raw)
  }
  return modules.flatMap((module) =>
    emit === 'js' ? javaScriptPaths(`${module}.ts`) : [`${module}.ts`],
  )
}
