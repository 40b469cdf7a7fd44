import { config } from 'zod/mini'

// Imported first by the script-tag entry, so it runs before any schema is built: zod would
// otherwise probe `new Function` to compile fast paths, which a strict Content-Security-Policy
// reports as a violation. This copy of zod is private to tacit.min.js; nothing else shares it.
config({ jitless: true })
