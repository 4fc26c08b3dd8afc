import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { loadConfigOrExit, redactUrl } from '@historian/config'
import { migrateUp } from '@historian/db'

import { buildApps, ENTRY_POINTS } from './build.js'

/**
 * `npm start`: applies migrations, then runs ingest and API side by side in the foreground
 * with their logs on this terminal, until Ctrl-C (or SIGTERM) stops both cleanly.
 */
const ROOT = fileURLToPath(new URL('../', import.meta.url))

// A `.env` beside the README is read the same way by both processes (they inherit it).
const envFile = fileURLToPath(new URL('../.env', import.meta.url))
if (existsSync(envFile)) process.loadEnvFile(envFile)

const config = loadConfigOrExit()

try {
  const { applied } = await migrateUp(config.DATABASE_URL)
  const what = applied.length ? `applied ${applied.join(', ')}` : 'already up to date'
  console.error(`migrations: ${what} (${redactUrl(config.DATABASE_URL)})`)
} catch (error) {
  console.error(`cannot prepare the database at ${redactUrl(config.DATABASE_URL)}:`)
  console.error(`  ${(error as Error).message}`)
  console.error('Is PostgreSQL running, and DATABASE_URL right? See the README.')
  process.exit(1)
}

await buildApps()

const children = new Map<string, ChildProcess>()
let stopping = false

for (const [name, entry] of Object.entries(ENTRY_POINTS)) {
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    stdio: 'inherit',
    env: process.env,
  })
  children.set(name, child)
  child.on('exit', (code, signal) => {
    children.delete(name)
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping the other process`)
      stopAll(code || 1)
    } else if (children.size === 0) {
      process.exit(exitCode)
    }
  })
}

let exitCode = 0
function stopAll(code: number): void {
  if (stopping) return
  stopping = true
  exitCode = code
  for (const child of children.values()) child.kill('SIGTERM')
  if (children.size === 0) process.exit(exitCode)
  // A child stuck in a retry loop must not keep the terminal forever.
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL')
    process.exit(exitCode || 1)
  }, 20_000).unref()
}

// Ctrl-C reaches the children too (same process group); they shut down on their own.
process.on('SIGINT', () => stopAll(0))
process.on('SIGTERM', () => stopAll(0))

// If whatever started us goes away without a signal, stop as if it had sent one.
const parent = process.ppid
setInterval(() => {
  if (process.ppid !== parent) stopAll(0)
}, 500).unref()
