#!/usr/bin/env node
import { main } from './main.js'

// The one place that ends the process: after stdout has drained, so piped output is complete.
const code = await main(process.argv.slice(2))
process.stdout.write('', () => process.exit(code))
