import { loadConfigOrExit, redactUrl } from '@historian/config'

import { migrateDown, migrateUp } from '../migrate.js'

/** `pnpm migrate` applies pending migrations; `pnpm migrate down [steps]` reverts. */
const config = loadConfigOrExit()
const [command = 'up', stepsArg = '1'] = process.argv.slice(2)

try {
  if (command === 'up') {
    const { applied } = await migrateUp(config.DATABASE_URL)
    const what = applied.length ? `applied ${applied.join(', ')}` : 'already up to date'
    console.log(`migrations: ${what} (${redactUrl(config.DATABASE_URL)})`)
  } else if (command === 'down') {
    const { reverted } = await migrateDown(config.DATABASE_URL, Number(stepsArg))
    console.log(`migrations: reverted ${reverted.join(', ') || 'nothing'}`)
  } else {
    console.error(`usage: pnpm migrate [up | down [steps]]`)
    process.exit(2)
  }
} catch (error) {
  console.error(`migrations failed: ${(error as Error).message}`)
  process.exit(1)
}
