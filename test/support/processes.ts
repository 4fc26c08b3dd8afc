import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

import { ENTRY_POINTS } from '../../scripts/build.js'
import { freePort } from './free-port.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface RunningProcess {
  port: number
  url: string
  child: ChildProcess
  /** Everything the process wrote, for assertions on log lines. */
  output: () => string
  /** Sends a signal and waits for the exit; resolves with the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>
}

export interface StartOptions {
  env: Record<string, string>
  /** Waits for `/health` to answer 200 (default) or only for the port to listen. */
  waitFor?: 'healthy' | 'listening'
  timeoutMs?: number
}

/** Starts a real ingest process (the bundle of `apps/ingest`) on a free `INGEST_PORT`. */
export async function startIngest(options: StartOptions): Promise<RunningProcess> {
  const port = await freePort()
  return start(ENTRY_POINTS.ingest, { INGEST_PORT: String(port) }, port, options)
}

/** Starts a real API process (the bundle of `apps/api`) on a free `EVENT_STORE_MANAGER_PORT`. */
export async function startApi(options: StartOptions): Promise<RunningProcess> {
  const port = await freePort()
  return start(ENTRY_POINTS.api, { EVENT_STORE_MANAGER_PORT: String(port) }, port, options)
}

async function start(
  entry: string,
  portEnv: Record<string, string>,
  port: number,
  options: StartOptions,
): Promise<RunningProcess> {
  // The bundles `npm start` runs (built once per test run by the global setup), started with
  // plain node: one process, so signals and memory readings reach the real thing.
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: {
      ...process.env,
      EVENT_STORE_MANAGER_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      ...options.env,
      ...portEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })

  let output = ''
  const keep = (chunk: Buffer) => {
    output += chunk.toString()
    // Keep the tail only: a long fault test logs a line per batch.
    if (output.length > 2_000_000) output = output.slice(-1_000_000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)

  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code))
  })
  const url = `http://127.0.0.1:${port}`
  const running: RunningProcess = {
    port,
    url,
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exited
    },
  }

  await waitUntilUp(running, options, exited)
  return running
}

async function waitUntilUp(
  running: RunningProcess,
  options: StartOptions,
  exited: Promise<number | null>,
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  let gone = false
  void exited.then(() => (gone = true))

  while (Date.now() < deadline) {
    if (gone) throw new Error(`process exited during start:\n${running.output().slice(-4000)}`)
    try {
      const res = await fetch(`${running.url}/health`)
      if (options.waitFor === 'listening' || res.ok) return
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  await running.stop('SIGKILL')
  throw new Error(`process did not become ready:\n${running.output().slice(-4000)}`)
}
