// Type-checks the consumer code against the generated output with NodeNext and bundler
// resolution. Skips (saying why) when generate.js had no recorded specs to generate from.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
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
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
for (const project of ['tsconfig.json', 'tsconfig.bundler.json']) {
  try {
    execFileSync(process.execPath, [tsc, '-p', join(here, project)], { stdio: 'inherit' })
  } catch {
    console.error(`consumer: ${project} does not type-check against the generated output`)
    process.exit(1)
  }
  console.log(`consumer: ${project} type-checks`)
}
