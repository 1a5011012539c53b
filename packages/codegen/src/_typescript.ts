// The TypeScript compiler, loaded as the CommonJS module it is. An ESM `import` of it makes Node
// run cjs-module-lexer over its 9 MB to find named exports it never uses (0.3–1 s of a run that
// generates anything); `require` skips that step.
import { createRequire } from 'node:module'

import type TypeScript from 'typescript'

const ts = createRequire(import.meta.url)('typescript') as typeof TypeScript

export default ts
