import { describe, expect, it } from 'vitest'
import { NETWORK_APIS, importsOf, lineColumn, scanCode } from './networkScan.mjs'

const apisIn = (code: string) => scanCode(code).map((h) => h.api)

describe('scanCode', () => {
  it.each([
    ['fetch', 'const r=await fetch(u,{method:"POST"});'],
    ['fetch', 'const f=self["fetch"];'],
    ['fetch', 'e.fetch(u)'],
    ['XMLHttpRequest', 'const x=new XMLHttpRequest;x.open("GET",u)'],
    ['sendBeacon', 'navigator.sendBeacon("/c",b)'],
    ['WebSocket', 'const w=new WebSocket(u)'],
    ['WebSocket', 'new WebSocketStream(u)'],
    ['EventSource', 'new EventSource("/s")'],
    ['WebTransport', 'new WebTransport(u)'],
    ['RTCPeerConnection', 'new webkitRTCPeerConnection(c)'],
    ['importScripts', 'importScripts("x.js")'],
    ['Worker', 'new Worker(u)'],
    ['Worker', 'navigator.serviceWorker.register(u)'],
    ['dynamic-import', 'await import("https://cdn.example/x.js")'],
    ['Image', 'const i=new Image;i.src=u'],
    ['url-property', 'e.src=u'],
    ['url-property', 'e.srcset=`${u} 2x`'],
    ['url-property', 'a.href=u'],
    ['url-property', 'window.location="https://x"'],
    ['location', 'location.assign(u)'],
    ['location', 'location=u'],
    ['url-attribute', 'e.setAttribute("src",u)'],
    ['url-attribute', "e.setAttribute('href',u)"],
    ['createElement', 'document.createElement("img")'],
    ['createElement', 'd.createElement(`SCRIPT`)'],
    ['createElement', 'd.createElementNS(n,"image")'],
    ['resource-hint', 'l.rel="prefetch"'],
    ['resource-hint', 'l.relList.add("dns-prefetch")'],
    ['html-injection', 'e.innerHTML=h'],
    ['html-injection', 'e.insertAdjacentHTML("beforeend",h)'],
    ['document.write', 'document.write(h)'],
    ['css-url', 'e.style.cssText="background:url(//t.example/p.gif)"'],
    ['window.open', 'window.open(u)'],
    ['form-submit', 'f.submit()'],
    ['postMessage', 'top.postMessage(d,"*")'],
    ['caches', 'caches.open("c").then(c=>c.add(u))'],
    ['worklet', 'new FontFace("f","url(x)")'],
  ])('finds %s in `%s`', (api, code) => {
    expect(apisIn(code)).toContain(api)
  })

  it('has a sample above for every API it knows', () => {
    // Keeps the list and the samples together: a new API needs a sample.
    expect(NETWORK_APIS.map((a) => a.id).sort()).toEqual(
      [
        'fetch', 'XMLHttpRequest', 'sendBeacon', 'WebSocket', 'EventSource', 'WebTransport', 'RTCPeerConnection',
        'importScripts', 'Worker', 'dynamic-import', 'Image', 'url-property', 'location', 'url-attribute',
        'createElement', 'resource-hint', 'html-injection', 'document.write', 'css-url', 'window.open',
        'form-submit', 'postMessage', 'caches', 'worklet',
      ].sort(),
    )
  })

  it('matches names as whole identifiers: look-alikes are other identifiers, not the API', () => {
    const lookAlikes = [
      'const fetched=1,prefetchAll=2,refetch=3,fetch_=4,$fetch=5,fetch2=6;',
      'let myWebSocketName="x",isXMLHttpRequestLike=!1,sendBeaconish=0;',
      'typeof WorkerGlobalScope;const Images=[],ImageData=1,isImage=2;',
      'e.srcObject=s;e.src==u;e.src===u;e.hrefs=[];e.location.search;x=location.pathname;',
      'e.setAttribute("data-tacit-ready","");e.createElement("div");',
      'const prefetchedRows=1,preloaded=2,url2=3,myurl=f(x);',
      'const s=db.open(n);s.onsubmit=1;e.opened=2',
    ]
    for (const code of lookAlikes) expect(scanCode(code), code).toEqual([])
  })

  it('reports offset, line and column, and about 60 characters of context with line breaks visible', () => {
    const code = `${'a'.repeat(40)}\nconst r = fetch(u)\n${'b'.repeat(40)}`
    const [hit] = scanCode(code, { file: 'x.js' })
    expect(hit).toMatchObject({ file: 'x.js', api: 'fetch', match: 'fetch', offset: 51, line: 2, column: 11, allowed: null })
    expect(code.slice(hit.offset, hit.offset + 5)).toBe('fetch')
    expect(hit.context).toBe(`${'a'.repeat(19)}⏎const r = fetch(u)⏎${'b'.repeat(26)}`) // 30 characters either side
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 })
  })

  describe('allowlist', () => {
    const refusing = 'Aa={fetch:()=>Promise.reject(new Error("never fetch")),now:()=>1}'
    const entry = {
      file: /tacit\.min\.js$/,
      api: 'fetch',
      context: /fetch:\(\)=>Promise\.reject\(new Error\("never fetch"\)\)/,
      reason: 'refuses',
    }

    it('explains a hit when file, API and context all match, and the context covers the hit', () => {
      const hits = scanCode(refusing, { file: 'dist/tacit.min.js', allowlist: [entry] })
      expect(hits).toHaveLength(2) // the key and the word in the message
      expect(hits.every((h) => h.allowed === entry)).toBe(true)
    })

    it('does not explain a hit in another file, for another API, or one next to the allowed text', () => {
      expect(scanCode(refusing, { file: 'dist/other.js', allowlist: [entry] }).every((h) => !h.allowed)).toBe(true)
      expect(scanCode(refusing, { file: 'dist/tacit.min.js', allowlist: [{ ...entry, api: 'XMLHttpRequest' }] })[0].allowed).toBeNull()
      // A real call placed right after the allowed text is in the same window but not covered by it.
      const sneaky = `${refusing};fetch("https://t.example",{method:"POST",body:d})`
      const hits = scanCode(sneaky, { file: 'dist/tacit.min.js', allowlist: [entry] })
      expect(hits.map((h) => Boolean(h.allowed))).toEqual([true, true, false])
      expect(hits[2].context).toContain('fetch("https://t.example"')
    })
  })
})

describe('importsOf', () => {
  it("lists a module's relative and external imports, including literal dynamic ones, ignoring strings", () => {
    const code = [
      "import * as z from 'zod/mini';",
      "import { a } from './chunks/index-X.js';",
      "export { b } from './b.js';",
      'const msg = "copied from \'./not-an-import.js\'";',
      "const load = () => import('./engine-Y.js');",
    ].join('\n')
    expect(importsOf(code)).toEqual({ relative: ['./chunks/index-X.js', './b.js', './engine-Y.js'], external: ['zod/mini'] })
  })
})
