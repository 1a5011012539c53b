// What the benches read from a `tsc --extendedDiagnostics` run, and the CPU time of a child
// process (a consumer's `tsc` on a shared machine: wall time moves with the load, CPU time far
// less).

/**
 * One figure of `tsc --extendedDiagnostics` output (`Check time:  1.23s`, `Memory used:  123456K`,
 * `Files:  509`), as a number in the unit printed; when the line is absent, `absent` if given
 * (tsc prints `Lines of Definitions` only for a program that has some), else it throws.
 *
 * @example
 * tscDiagnostic('Check time:  0.03s\n', 'Check time') // 0.03
 */
export function tscDiagnostic(output, label, absent) {
  const match = new RegExp(`^${label}:\\s+([\\d.]+)([sK])?$`, 'm').exec(output)
  if (match !== null) return Number(match[1])
  if (absent !== undefined) return absent
  throw new Error(`tsc --extendedDiagnostics printed no "${label}"`)
}

/**
 * A `--import` hook for a Node child: at exit it writes `cpu:<user+system µs>` on stderr (every
 * thread of the process, the GC's included), read back with {@link childCpuMs}.
 *
 * @example
 * spawnSync(process.execPath, ['--import', CPU_HOOK, tsc, '-p', dir], { encoding: 'utf8' })
 */
export const CPU_HOOK =
  "data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('cpu:'+(u.user+u.system)+'\\n')})"

/**
 * The CPU time (ms) a child run with {@link CPU_HOOK} reported on its stderr.
 *
 * @example
 * childCpuMs('cpu:1500000\n') // 1500
 */
export function childCpuMs(stderr) {
  const match = /^cpu:(\d+)$/m.exec(stderr)
  if (match === null) throw new Error('the child printed no cpu: line (was it run with CPU_HOOK?)')
  return Number(match[1]) / 1000
}
