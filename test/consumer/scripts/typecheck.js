// Type-checks the consumer code against the generated output under the settings users' projects
// have, with the repo's TypeScript (5.9) and with TypeScript 7 (the native compiler, what
// `npm install typescript` installs today). Each row is one project and the flags a user's
// tsconfig.json would set on top of it (command-line flags override the project's options).
// Skips (saying why) when generate.js had no recorded specs to generate from.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = join(dirname(fileURLToPath(import.meta.url)), '..')
if (!existsSync(join(here, 'generated', 'index.ts'))) {
  console.warn(
    'consumer: type-check SKIPPED — no generated output (../shared is absent, see generate.js)',
  )
  process.exit(0)
}
const require = createRequire(import.meta.url)
// By the package's `bin`, as npx finds it (TypeScript 7's `exports` do not list bin/tsc).
const tscOf = (name) => {
  const manifest = require.resolve(`${name}/package.json`)
  return join(dirname(manifest), JSON.parse(readFileSync(manifest, 'utf8')).bin.tsc)
}
const compilers = { 'TypeScript 5.9': tscOf('typescript'), 'TypeScript 7': tscOf('typescript-7') }
const bothCompilers = Object.keys(compilers)

// `project` is strict NodeNext (exactOptionalPropertyTypes, noUncheckedIndexedAccess,
// verbatimModuleSyntax, isolatedModules, skipLibCheck: what TypeScript 7's `tsc --init` writes).
const rows = [
  { given: { setting: 'nodenext', project: 'tsconfig.json', flags: [] } },
  {
    given: {
      setting: 'node16',
      project: 'tsconfig.json',
      flags: ['--module', 'node16', '--moduleResolution', 'node16'],
    },
  },
  { given: { setting: 'bundler, module esnext', project: 'tsconfig.bundler.json', flags: [] } },
  {
    given: {
      setting: 'bundler, module preserve',
      project: 'tsconfig.json',
      flags: ['--module', 'preserve', '--moduleResolution', 'bundler'],
    },
  },
  // A CommonJS project as TypeScript 5 wrote them (node10 resolution reads the packages'
  // top-level `types`; TypeScript 7 removed node10).
  {
    given: {
      setting: 'commonjs, node10',
      project: 'tsconfig.json',
      flags: ['--module', 'commonjs', '--moduleResolution', 'node10'],
      flagsOff: ['verbatimModuleSyntax'],
      compilers: ['TypeScript 5.9'],
    },
  },
  // TypeScript 7 accepts bundler resolution with CommonJS emit (5.9 refuses it, TS5095).
  {
    given: {
      setting: 'commonjs, bundler',
      project: 'tsconfig.json',
      flags: ['--module', 'commonjs', '--moduleResolution', 'bundler'],
      flagsOff: ['verbatimModuleSyntax'],
      compilers: ['TypeScript 7'],
    },
  },
  {
    given: {
      setting: 'strict off',
      project: 'tsconfig.json',
      flags: [],
      flagsOff: ['strict', 'exactOptionalPropertyTypes', 'noUncheckedIndexedAccess'],
    },
  },
  {
    given: {
      setting: 'erasableSyntaxOnly',
      project: 'tsconfig.json',
      flags: ['--erasableSyntaxOnly'],
    },
  },
  {
    given: {
      setting: 'skipLibCheck off',
      project: 'tsconfig.json',
      flags: [],
      flagsOff: ['skipLibCheck'],
    },
  },
].map((row) => ({ ...row, want: 'type-checks' }))

let failed = 0
for (const { given, want } of rows) {
  for (const compiler of given.compilers ?? bothCompilers) {
    const flags = [...given.flags, ...(given.flagsOff ?? []).flatMap((o) => [`--${o}`, 'false'])]
    const name = `${compiler}, ${given.setting} (${given.project}${flags.length > 0 ? ` ${flags.join(' ')}` : ''})`
    try {
      execFileSync(
        process.execPath,
        [compilers[compiler], '-p', join(here, given.project), ...flags],
        {
          stdio: 'inherit',
        },
      )
      console.log(`consumer: ${name} ${want}`)
    } catch {
      console.error(`consumer: ${name} does not type-check against the generated output`)
      failed++
    }
  }
}
if (failed > 0) process.exit(1)
