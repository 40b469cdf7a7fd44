import { useState } from 'react'
import { Toggle } from '../fields'
import { Hint } from '../Hint'
import { Actions } from './Actions'
import { onSubmit, type StepProps } from './props'

export function Notifications({ answers, next, back, hint }: StepProps) {
  const [mentions, setMentions] = useState(answers.mentions)
  const [digest, setDigest] = useState(answers.digest)
  const [news, setNews] = useState(answers.news)
  return (
    <form onSubmit={onSubmit(() => next({ mentions, digest, news }))}>
      <h1 id="step-title">Stay in the loop</h1>
      <div className="toggles">
        <Toggle id="mentions" title="Mentions" detail="When someone @-mentions you or replies to your note." checked={mentions} onChange={setMentions} />
        <Toggle id="digest" title="Weekly digest" detail="One email on Monday with what your team wrote." checked={digest} onChange={setDigest} />
        <Toggle id="news" title="Product news" detail="New features, about once a month." checked={news} onChange={setNews} />
      </div>
      <Hint hint={hint('step:notifications')} anchor="step:notifications" />
      <Actions back={back}>
        <button type="submit" id="next" className="primary">
          Continue
        </button>
      </Actions>
    </form>
  )
}
