import { now } from '../env'
import type { Detector } from './detector'
import { asElement, describeTarget, fieldName, isFormField, isIgnored } from './target'

interface FormState {
  /** Distinct fields touched since the last submit (radios of one group count once). */
  fields: Set<Element | string>
  last: Element
  /** Touched since the last form-abandon signal of this form. */
  dirty: boolean
}

/**
 * `form-abandon`: a `<form>` with at least one field touched (`input` or `change` on a field
 * inside it) and no `submit` before the page hides (`visibilitychange` to hidden, or
 * `pagehide`). Carries the name (else id) of the last field touched and how many distinct
 * fields were touched; never a value. Emitted once per form and hide; after the page shows
 * again, a later hide emits again only if a field of that form was touched since. A submit
 * clears the form. Ignored, password and payment fields do not count.
 */
export const formAbandon: Detector = (ctx) => {
  const forms = new Map<HTMLFormElement, FormState>()

  const touch = (e: Event): void => {
    const el = asElement(e.target)
    if (!isFormField(el) || isIgnored(el)) return
    const form = el.form ?? el.closest('form')
    if (!form || isIgnored(form)) return
    let state = forms.get(form)
    if (!state) forms.set(form, (state = { fields: new Set(), last: el, dirty: true }))
    state.fields.add(el.type === 'radio' && el.name ? `radio:${el.name}` : el)
    state.last = el
    state.dirty = true
  }
  ctx.listen(ctx.doc, 'input', touch)
  ctx.listen(ctx.doc, 'change', touch)

  ctx.listen(ctx.doc, 'submit', (e: SubmitEvent) => {
    const form = asElement(e.target)
    if (form) forms.delete(form as HTMLFormElement)
  })

  const onHide = (): void => {
    const t = now()
    for (const [form, state] of forms) {
      if (!state.dirty) continue
      state.dirty = false
      ctx.emit({
        type: 'form-abandon',
        t,
        ...describeTarget(form),
        field: fieldName(state.last),
        fields: state.fields.size,
      })
    }
  }
  ctx.listen(ctx.doc, 'visibilitychange', () => {
    if (ctx.doc.visibilityState === 'hidden') onHide()
  })
  ctx.listen(ctx.win, 'pagehide', onHide)
  ctx.disposer.add(() => forms.clear())
}
