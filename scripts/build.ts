import { fileURLToPath } from 'node:url'

import { build, type Plugin } from 'esbuild'

const ROOT = fileURLToPath(new URL('../', import.meta.url))

/** The processes `npm start` runs, each bundled to one file of plain JavaScript. */
export const ENTRY_POINTS = {
  ingest: 'apps/ingest/dist/main.js',
  api: 'apps/api/dist/main.js',
} as const

/**
 * Workspace packages are bundled in (their `exports` point at TypeScript sources). Everything
 * from npm stays an import, rewritten to the file esbuild resolves from the importing package,
 * because pnpm gives each package only its own dependencies and the bundle lives elsewhere.
 */
const externalDependencies: Plugin = {
  name: 'external-dependencies',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('@historian/') || args.pluginData === RESOLVING) return undefined

      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: RESOLVING,
      })
      if (resolved.errors.length > 0) return { errors: resolved.errors }
      return { path: resolved.path, external: true }
    })
  },
}

const RESOLVING = Symbol('resolving')

/**
 * Bundles ingest and API with esbuild. Running plain JavaScript instead of loading TypeScript
 * through tsx at start-up saves each process about 100 MB of resident memory (the loader and
 * its transform cache), which matters for the ingest's memory budget. Takes well under a second.
 */
export async function buildApps(): Promise<void> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: {
      'apps/ingest/dist/main': 'apps/ingest/src/main.ts',
      'apps/api/dist/main': 'apps/api/src/main.ts',
    },
    outdir: '.',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [externalDependencies],
  })
}

if (import.meta.url === `file://${process.argv[1]}`) await buildApps()
