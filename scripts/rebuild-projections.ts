import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { loadConfigOrExit, redactUrl } from '@historian/config'
import { createDatabase, createPool } from '@historian/db'
import {
  RebuildAlreadyRunningError,
  rebuildProjections,
  type RebuildProgress,
} from '@historian/queries'

/**
 * `pnpm rebuild-projections`: replays `events` into `workflow_state` and `agent_sessions`
 * while the ingest keeps running, with progress on the terminal. Exit codes: 0 done,
 * 1 failed, 3 another rebuild is running.
 */
const envFile = fileURLToPath(new URL('../.env', import.meta.url))
if (existsSync(envFile)) process.loadEnvFile(envFile)

const config = loadConfigOrExit()
const pool = createPool(config.DATABASE_URL, { max: 1, applicationName: 'historian-rebuild' })
const db = createDatabase(pool)

/** A terminal gets one line rewritten in place; a log file gets a line a second at most. */
const interactive = process.stderr.isTTY === true
const REPORT_INTERVAL_MS = 1000
let lastReportAt = 0
let lastPhase = ''

function report(progress: RebuildProgress): void {
  const now = Date.now()
  const phaseChanged = progress.phase !== lastPhase
  if (!interactive && !phaseChanged && now - lastReportAt < REPORT_INTERVAL_MS) return
  lastReportAt = now
  lastPhase = progress.phase

  // The head is re-read as the ingest moves it, so the share is of the history known so far.
  const head = Number(progress.headPosition)
  const percent = head > 0 ? Math.min(100, (Number(progress.position) / head) * 100) : 100
  const perSecond = progress.eventsReplayed / Math.max(progress.elapsedMs / 1000, 0.001)
  const line =
    `rebuild: ${progress.phase.padEnd(8)} ${progress.eventsReplayed.toLocaleString('en')} ` +
    `events, position ${progress.position}, head ${progress.headPosition} ` +
    `(${percent.toFixed(1)}%), ${Math.round(perSecond).toLocaleString('en')} events/s`

  process.stderr.write(interactive ? `\r\u001b[2K${line}` : `${line}\n`)
}

let exitCode = 0
try {
  process.stderr.write(`rebuild: projections of ${redactUrl(config.DATABASE_URL)}\n`)
  const result = await rebuildProjections(db, { onProgress: report })

  if (interactive) process.stderr.write('\n')
  process.stderr.write(
    `rebuild: done, ${result.eventsReplayed.toLocaleString('en')} events into ` +
      `${result.workflows.toLocaleString('en')} workflows and ` +
      `${result.sessions.toLocaleString('en')} sessions in ` +
      `${(result.elapsedMs / 1000).toFixed(1)} s; the ingest waited ` +
      `${(result.lockedMs / 1000).toFixed(2)} s for the swap\n`,
  )
} catch (error) {
  if (interactive) process.stderr.write('\n')
  if (error instanceof RebuildAlreadyRunningError) {
    process.stderr.write(`rebuild: ${error.message}; nothing done\n`)
    exitCode = 3
  } else {
    process.stderr.write(`rebuild: failed: ${(error as Error).message}\n`)
    exitCode = 1
  }
} finally {
  await db.destroy()
}
process.exit(exitCode)
