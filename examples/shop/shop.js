import { bindBasket } from './basket.js'
import { bindPanel } from './panel.js'
import { whenTacit } from './tacit.js'

// The page's own code. Tacit does the adaptation from attributes in index.html (banner, product
// order, help, reminder); this file runs the basket and the "What this site knows" panel.
bindBasket()
whenTacit().then(bindPanel)
