import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Unit tests run the workspace's sources; the node project imports the built package on purpose.
const coreSource = fileURLToPath(new URL('packages/core/src/index.ts', import.meta.url))
const coreInternal = fileURLToPath(new URL('packages/core/src/internal.ts', import.meta.url))

export default defineConfig({
  test: {
    projects: [
      {
        // Exact matches: a plain '@tacit/core' key would also take '@tacit/core/internal' as a prefix.
        resolve: {
          alias: [
            { find: /^@tacit\/core$/, replacement: coreSource },
            { find: /^@tacit\/core\/internal$/, replacement: coreInternal },
          ],
        },
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'],
          exclude: ['**/*.browser.test.ts', '**/*.node.test.{ts,tsx}', '**/node_modules/**'],
          environment: 'happy-dom',
          setupFiles: ['packages/core/test/setup.ts'],
        },
      },
      {
        test: {
          name: 'node',
          include: ['packages/*/test/**/*.node.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'browser',
          include: ['packages/*/test/**/*.browser.test.ts', 'examples/**/*.browser.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
