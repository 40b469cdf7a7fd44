import { config } from 'zod/mini'

// Imported first by main.tsx, before @tacit/core builds its schemas: zod would otherwise probe
// `new Function` for its fast paths, which `script-src 'self'` (no 'unsafe-eval') reports.
config({ jitless: true })
