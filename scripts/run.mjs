#!/usr/bin/env node
// Entry point of `npm start` and `npm test`: on a fresh machine with only Node and npm, it
// installs pnpm 10 (into .tools/, no global install needed) and the dependencies, then runs the
// command. Plain JavaScript on purpose: nothing else is installed when it first runs.
import { spawnSync, spawn } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const PNPM_VERSION = '10.34.9'
const COMMANDS = {
  start: ['tsx', 'scripts/start.ts'],
  test: ['vitest', 'run'],
}

const [command, ...args] = process.argv.slice(2)
if (!COMMANDS[command]) {
  console.error(`usage: node scripts/run.mjs ${Object.keys(COMMANDS).join('|')} [args]`)
  process.exit(2)
}

const pnpm = findPnpm() ?? installPnpm()
installDependencies(pnpm)

const [bin, ...fixed] = COMMANDS[command]
const child = spawn(path.join(ROOT, 'node_modules', '.bin', bin), [...fixed, ...args], {
  cwd: ROOT,
  stdio: 'inherit',
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
stopWhenOrphaned(() => child.kill('SIGTERM'))

/**
 * `npm` does not pass SIGTERM on to the script it runs: it exits and leaves us re-parented.
 * Losing the parent therefore means the same as being told to stop.
 */
function stopWhenOrphaned(stop) {
  const parent = process.ppid
  const timer = setInterval(() => {
    if (process.ppid === parent) return
    clearInterval(timer)
    stop()
  }, 500)
  timer.unref()
}

/** A pnpm 10 already on the PATH or in .tools/, else undefined. */
function findPnpm() {
  for (const candidate of [path.join(ROOT, '.tools', 'node_modules', '.bin', 'pnpm'), 'pnpm']) {
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' })
    if (probe.status === 0 && probe.stdout.trim().startsWith('10.')) return candidate
  }
  return undefined
}

function installPnpm() {
  console.error(`installing pnpm ${PNPM_VERSION} into .tools/ ...`)
  run('npm', ['install', '--prefix', '.tools', '--no-save', '--no-audit', '--no-fund',
    `pnpm@${PNPM_VERSION}`])
  return path.join(ROOT, '.tools', 'node_modules', '.bin', 'pnpm')
}

/** Installs when node_modules is missing or older than the lockfile. */
function installDependencies(pnpmBin) {
  const marker = path.join(ROOT, 'node_modules', '.modules.yaml')
  const lock = path.join(ROOT, 'pnpm-lock.yaml')
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return

  console.error('installing dependencies ...')
  run(pnpmBin, ['install', '--frozen-lockfile'])
}

function run(bin, argv) {
  const result = spawnSync(bin, argv, { cwd: ROOT, stdio: 'inherit' })
  if (result.status !== 0) {
    console.error(`${bin} ${argv.join(' ')} failed`)
    process.exit(result.status ?? 1)
  }
}
