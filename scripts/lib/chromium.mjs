// How every test and benchmark here launches Debian's Chromium (npx playwright install cannot
// download a browser on these machines). Without the background-networking flags Chromium tries
// to reach Google's hosts at start-up, which a closed network refuses.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
