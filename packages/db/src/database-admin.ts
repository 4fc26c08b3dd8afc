import { createClient } from './pool.js'

/** The same server and credentials as `url`, but the database `name`. */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.toString()
}

/** The database named in a URL's path. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1))
}

/** Creates the database named in the URL when it does not exist yet. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const name = databaseName(databaseUrl)

  const admin = createClient(withDatabase(databaseUrl, 'postgres'), 'historian-migrate')
  await admin.connect()
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (found.rowCount) return false
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`)
    return true
  } catch (error) {
    // Two starters may race to create it; the loser finds it there, which is what it wanted.
    if ((error as { code?: string }).code === '42P04') return false
    throw error
  } finally {
    await admin.end()
  }
}

/** Drops the database named in the URL, ending any sessions still on it (tests, benchmarks). */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const admin = createClient(withDatabase(databaseUrl, 'postgres'), 'historian-admin')
  await admin.connect()
  try {
    const name = quoteIdent(databaseName(databaseUrl))
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  } finally {
    await admin.end()
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
