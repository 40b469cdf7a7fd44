import type { Tacit, Variant } from '@tacit/core'
import { hide, reveal } from './antiFlicker'
import type { Binder, Report } from './binder'
import type { Gate } from './gate'
import { nameOf, parseTags } from './tags'

/** Set on a slot to the name of the variant it shows. */
export const RENDERED_ATTR = 'data-tacit-rendered'

interface Slot {
  name: string
  templates: HTMLTemplateElement[]
  variants: Variant[]
  fallback: string
}

/**
 * `<div data-tacit-slot="hero">` with `<template data-tacit-variant="a">` children (optional
 * `data-tacit-tags` on a template, `data-tacit-fallback` on the slot): the slot shows a copy of
 * the chosen template's content, which replaces everything in the slot except the templates.
 *
 * Before Tacit is ready the fallback is rendered at once, hidden, so the slot has its size; when
 * `ready` resolves the slot is decided and shown. If the anti-flicker deadline comes first, the
 * fallback is shown and kept: `decide` then returns it for the rest of the session.
 */
export const bindSlots = (tacit: Tacit, doc: Document, gate: Gate, report: Report): Binder => {
  const seen = new WeakSet<Element>()
  /** Hidden, showing the fallback, not yet decided. */
  const waiting = new Map<Element, Slot>()
  /** Shown with the fallback before `ready`: decided again once ready, so the decision is recorded and can be rewarded. */
  const kept = new Map<Element, Slot>()

  const decide = (el: Element, slot: Slot): void => {
    let variant = slot.fallback
    try {
      variant = tacit.decide(slot.name, slot.variants, { fallback: slot.fallback }).variant
    } catch (error) {
      report(error)
    }
    render(doc, el, slot, variant)
  }

  gate.onChange((phase) => {
    for (const [el, slot] of waiting) {
      // A slot inside another slot's fallback goes away when that one renders its decision.
      if (!el.isConnected) continue
      decide(el, slot)
      reveal(el)
      if (phase === 'timed-out') kept.set(el, slot)
    }
    waiting.clear()
    if (phase !== 'ready') return
    // Already on screen: record the decision (core returns the variant shown), never switch it.
    for (const [, slot] of kept) {
      try {
        tacit.decide(slot.name, slot.variants, { fallback: slot.fallback })
      } catch (error) {
        report(error)
      }
    }
    kept.clear()
  })

  return {
    add(el) {
      if (seen.has(el)) return
      const slot = readSlot(el, report)
      if (!slot) return
      seen.add(el)
      if (gate.phase === 'waiting') {
        render(doc, el, slot, slot.fallback)
        hide(el)
        waiting.set(el, slot)
        return
      }
      decide(el, slot)
      reveal(el)
      if (gate.phase === 'timed-out') kept.set(el, slot)
    },
    unbind() {
      for (const el of waiting.keys()) reveal(el)
      waiting.clear()
      kept.clear()
    },
  }
}

const readSlot = (el: Element, report: Report): Slot | null => {
  const name = (el.getAttribute('data-tacit-slot') || '').trim()
  const templates: HTMLTemplateElement[] = []
  const variants: Variant[] = []
  const names: string[] = []
  for (const child of Array.from(el.children)) {
    if (child.localName !== 'template' || !child.hasAttribute('data-tacit-variant')) continue
    const id = (child.getAttribute('data-tacit-variant') || '').trim()
    if (!id || names.includes(id)) {
      report(`${nameOf(el)} data-tacit-slot="${name}": a variant template needs a unique, non-empty data-tacit-variant (got "${id}")`)
      continue
    }
    const tags = parseTags(child.getAttribute('data-tacit-tags'))
    templates.push(child as HTMLTemplateElement)
    names.push(id)
    variants.push(tags.length ? { id, tags } : id)
  }
  if (!name || !templates.length) {
    report(`${nameOf(el)} data-tacit-slot="${name}" needs a name and at least one <template data-tacit-variant="…"> child`)
    return null
  }
  const wanted = el.getAttribute('data-tacit-fallback')
  let fallback = names[0]
  if (wanted !== null) {
    if (names.includes(wanted.trim())) fallback = wanted.trim()
    else report(`${nameOf(el)} data-tacit-fallback="${wanted}" is not one of its variants (${names.join(', ')}); using "${fallback}"`)
  }
  return { name, templates, variants, fallback }
}

/** Shows a copy of the template named `variant` (the first if none is) in place of the slot's other children. */
const render = (doc: Document, el: Element, slot: Slot, variant: string): void => {
  if (el.getAttribute(RENDERED_ATTR) === variant) return
  const index = Math.max(0, slot.templates.findIndex((t) => t.getAttribute('data-tacit-variant')?.trim() === variant))
  const template = slot.templates[index]
  for (const node of Array.from(el.childNodes)) {
    if (!slot.templates.includes(node as HTMLTemplateElement)) el.removeChild(node)
  }
  el.appendChild(doc.importNode(template.content, true))
  el.setAttribute(RENDERED_ATTR, (template.getAttribute('data-tacit-variant') || '').trim())
}
