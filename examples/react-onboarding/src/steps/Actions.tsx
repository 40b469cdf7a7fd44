import type { ReactNode } from 'react'

/** The row of buttons at the bottom of a step: Back (optional) and the primary action. */
export function Actions({ back, children }: { back?: () => void; children: ReactNode }) {
  return (
    <div className="actions">
      {back && (
        <button type="button" id="back" className="quiet" onClick={back}>
          Back
        </button>
      )}
      {children}
    </div>
  )
}
