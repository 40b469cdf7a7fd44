/** An option of a chip group. */
export interface Option {
  value: string
  label: string
}

/** Radio buttons drawn as chips; the input stays in the page, so keyboard and labels work. */
export function Chips(props: { legend: string; name: string; options: readonly Option[]; value: string; onChange: (value: string) => void }) {
  return (
    <fieldset className="chips">
      <legend>{props.legend}</legend>
      {props.options.map((o) => (
        <label className="chip" key={o.value}>
          <input type="radio" name={props.name} id={`${props.name}-${o.value}`} value={o.value} checked={props.value === o.value} onChange={() => props.onChange(o.value)} />
          <span>{o.label}</span>
        </label>
      ))}
    </fieldset>
  )
}

/** Checkboxes drawn as chips. */
export function MultiChips(props: { legend: string; name: string; options: readonly Option[]; values: readonly string[]; onChange: (values: string[]) => void }) {
  const toggle = (v: string) => props.onChange(props.values.includes(v) ? props.values.filter((x) => x !== v) : [...props.values, v])
  return (
    <fieldset className="chips">
      <legend>{props.legend}</legend>
      {props.options.map((o) => (
        <label className="chip" key={o.value}>
          <input type="checkbox" name={props.name} id={`${props.name}-${o.value}`} value={o.value} checked={props.values.includes(o.value)} onChange={() => toggle(o.value)} />
          <span>{o.label}</span>
        </label>
      ))}
    </fieldset>
  )
}

/** A switch with a title and one line of description. */
export function Toggle(props: { id: string; title: string; detail: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label className="toggle">
      <input type="checkbox" id={props.id} name={props.id} checked={props.checked} onChange={(e) => props.onChange(e.currentTarget.checked)} />
      <span>
        <strong>{props.title}</strong>
        <small>{props.detail}</small>
      </span>
    </label>
  )
}

export const ROLES: readonly Option[] = [
  { value: 'design', label: 'Design' },
  { value: 'engineering', label: 'Engineering' },
  { value: 'product', label: 'Product' },
  { value: 'other', label: 'Something else' },
]
export const THEMES: readonly Option[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
]
export const TOPICS: readonly Option[] = [
  { value: 'research', label: 'Research' },
  { value: 'releases', label: 'Releases' },
  { value: 'planning', label: 'Planning' },
  { value: 'design-reviews', label: 'Design reviews' },
]
