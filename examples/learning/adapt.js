// How the quiz picks the level of the next question: a rule a learner can read, driven by the
// answer and by what Tacit noticed while they worked on it (pauses over the answers, a focused
// answer box left empty, stepping away).

export const LEVELS = ['easy', 'normal', 'hard']
export const LEVEL_NAMES = { easy: 'Easy', normal: 'Normal', hard: 'Hard' }

/** Correct this fast, with no pause and no hint: the next question is harder. */
export const QUICK_S = 12
/** Correct but slower than this: it took some work, so the level stays. */
export const SLOW_S = 40

const times = (n) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`)

/**
 * The next level and why, from one answer:
 * - wrong: one level easier;
 * - correct, in at most QUICK_S seconds, with no pause (so the hint never came up): one level harder;
 * - correct otherwise (a pause, stepping away, slower): the same level.
 * `pauses`: Tacit hesitation signals on this question's answers; `idle`: Tacit idle signals.
 */
export const nextLevel = ({ level, correct, seconds, pauses, idle }) => {
  const i = LEVELS.indexOf(level)
  const s = `${seconds.toFixed(1)} s`
  const struggle = []
  if (pauses) struggle.push(`you paused ${times(pauses)}`)
  if (idle) struggle.push('you stepped away for a while')
  if (seconds > SLOW_S) struggle.push(`it took ${s}`)
  const also = struggle.length ? `, and ${join(struggle)}` : ''

  if (!correct) {
    const to = LEVELS[Math.max(0, i - 1)]
    const because = `that answer was not right${also}`
    return to === level
      ? { level, change: 'same', reason: `${cap(because)}. Easy is the gentlest level, so it stays.` }
      : { level: to, change: 'easier', reason: `${cap(because)}, so the next question is easier.` }
  }
  if (!struggle.length && seconds <= QUICK_S) {
    const to = LEVELS[Math.min(LEVELS.length - 1, i + 1)]
    return to === level
      ? { level, change: 'same', reason: `Right in ${s} without a pause. Hard is the top level, so it stays.` }
      : { level: to, change: 'harder', reason: `Right in ${s} without a pause, so the next question is harder.` }
  }
  return {
    level,
    change: 'same',
    reason: struggle.length
      ? `Right, but ${join(struggle)}, so the level stays.`
      : `Right, in ${s}: quick answers (under ${QUICK_S} s, no pause) move you up, so the level stays.`,
  }
}

const cap = (s) => s[0].toUpperCase() + s.slice(1)
const join = (parts) => (parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`)
