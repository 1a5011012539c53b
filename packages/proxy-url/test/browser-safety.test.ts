import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// tsconfig.build.json compiles src with the DOM lib and no Node.js types, so a Node global is a
// build error already; these checks keep the other half honest: nothing is imported from outside
// the package, and the package declares no runtime dependencies.
const srcDir = fileURLToPath(new URL('../src/', import.meta.url))
const packageJson = JSON.parse(
  readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'),
) as Record<string, unknown>

describe('browser safety', () => {
  const files = readdirSync(srcDir).filter((file) => file.endsWith('.ts'))

  it.each(files)('%s imports only sibling modules', (file) => {
    const source = readFileSync(`${srcDir}${file}`, 'utf8')
    const specifiers = [...source.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map(
      (match) => match[1],
    )
    for (const specifier of specifiers) expect(specifier).toMatch(/^\.\/[a-z_-]+\.js$/)
  })

  it('has zero runtime dependencies', () => {
    expect(packageJson.dependencies).toBeUndefined()
    expect(packageJson.peerDependencies).toBeUndefined()
  })

  it('compiles src without Node.js types', () => {
    const build = JSON.parse(
      readFileSync(fileURLToPath(new URL('../tsconfig.build.json', import.meta.url)), 'utf8'),
    ) as { compilerOptions: { types: string[]; lib: string[] } }
    expect(build.compilerOptions.types).toStrictEqual([])
    expect(build.compilerOptions.lib).not.toContain('node')
  })
})
