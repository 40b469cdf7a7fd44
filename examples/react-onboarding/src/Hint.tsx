/** What a step shows to help: a hint and the reason it appeared. */
export interface HintContent {
  text: string
  why: string
}

/** A guidance box with its "Why am I seeing this?" line. Announced politely to screen readers. */
export function Hint({ hint, anchor }: { hint: HintContent | null; anchor: string }) {
  if (!hint) return null
  return (
    <div className="hint" role="status" data-hint={anchor}>
      <p>{hint.text}</p>
      <p className="why">
        <strong>Why am I seeing this?</strong> {hint.why}
      </p>
    </div>
  )
}
