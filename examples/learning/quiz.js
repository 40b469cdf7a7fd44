import { LEVEL_NAMES, nextLevel } from './adapt.js'
import { QUESTIONS, QUIZ_LENGTH } from './questions.js'
import { call, whenTacit } from './tacit.js'

// The quiz. Tacit's part: it reveals each question's hint when the learner pauses over the
// answers (data-tacit-show-on, no code here), and reports pauses and idle periods (tacit.on),
// which this file counts per question to choose the next question's level (adapt.js).

const $ = (id) => document.getElementById(id)
/** Where a pause counts: the answer buttons, the answer box, its Check button (Tacit's target names). */
const ANSWER_TARGETS = /^(button#answer-\d|input#answer-text|button#check)$/
const HINT_TARGET = '#answers button, #answer-text, #check'

const fresh = () => ({ index: 0, level: 'normal', used: new Set(), history: [], current: null })
let quiz = fresh()

/** The next unused question of the kind this position asks for (choice, number, choice, …). */
const pick = (level, index) => {
  const kind = index % 2 === 0 ? 'choice' : 'number'
  const question = QUESTIONS[level][kind].find((q) => !quiz.used.has(q.id))
  quiz.used.add(question.id)
  return { ...question, kind, level }
}

const show = () => {
  const q = pick(quiz.level, quiz.index)
  quiz.current = { q, shownAt: performance.now(), pauses: [], idle: 0, answered: false }
  $('card').setAttribute('data-state', 'question')
  $('count').textContent = `Question ${quiz.index + 1} of ${QUIZ_LENGTH}`
  $('topic').textContent = q.kind === 'choice' ? 'Geography' : 'Arithmetic'
  $('level').textContent = LEVEL_NAMES[q.level]
  $('level').className = `level level-${q.level}`
  $('card').setAttribute('data-question', q.id)
  $('question').textContent = q.text
  for (const el of $('ladder').children) el.classList.toggle('current', el.dataset.level === q.level)

  const answers = $('answers')
  answers.replaceChildren()
  answers.hidden = q.kind !== 'choice'
  $('text-form').hidden = q.kind !== 'number'
  if (q.kind === 'choice') {
    q.choices.forEach((choice, i) => {
      const button = document.createElement('button')
      button.type = 'button'
      button.id = `answer-${i}`
      button.className = 'answer'
      button.dataset.index = String(i)
      button.textContent = choice
      answers.append(button)
    })
  } else {
    const input = $('answer-text')
    input.value = ''
    input.disabled = false
    $('check').disabled = false
  }

  // A new element each time: Tacit binds show-on elements as they are added, and reveals each once.
  const hint = document.createElement('p')
  hint.className = 'hint'
  hint.hidden = true
  hint.setAttribute('data-tacit-show-on', 'hesitation')
  hint.setAttribute('data-tacit-target', HINT_TARGET)
  const label = document.createElement('strong')
  label.textContent = 'Hint: '
  hint.append(label, q.hint)
  $('hint-slot').replaceChildren(hint)

  $('verdict').textContent = ''
  $('why-next').className = 'why-next prompt'
  $('why-next').textContent =
    q.kind === 'choice' ? 'Choose an answer. Take your time: if you pause over the answers, a hint appears.' : 'Type the number and press Enter. Stuck? Click into the box and a hint appears after a moment.'
  $('next').hidden = true
  renderNoticed()
  renderDots()
  if (quiz.index === 0) call('step', 'quiz', 'start')
  if (quiz.index === QUIZ_LENGTH / 2) call('step', 'quiz', 'halfway')
}

const answer = (correct, given) => {
  const cur = quiz.current
  if (!cur || cur.answered) return
  cur.answered = true
  const { q } = cur
  const seconds = (performance.now() - cur.shownAt) / 1000
  const next = nextLevel({ level: q.level, correct, seconds, pauses: cur.pauses.length, idle: cur.idle })
  const right = q.kind === 'choice' ? q.choices[q.answer] : String(q.answer)
  quiz.history.push({ q, correct, seconds, pauses: cur.pauses.length, next })

  for (const b of $('answers').children) {
    b.setAttribute('aria-disabled', 'true')
    if (Number(b.dataset.index) === q.answer) b.classList.add('right')
    else if (b.textContent === given && !correct) b.classList.add('wrong')
  }
  $('answer-text').disabled = true
  $('check').disabled = true

  $('verdict').className = `verdict ${correct ? 'ok' : 'no'}`
  $('verdict').textContent = correct ? `Right: ${right}.` : `Not quite: the answer is ${right}.`
  const last = quiz.index + 1 === QUIZ_LENGTH
  $('why-next').textContent = last ? 'That was the last question.' : `${headline(next)} ${next.reason}`
  $('why-next').className = `why-next ${last ? '' : next.change}`
  $('next').textContent = last ? 'See how you did' : 'Next question'
  $('next').hidden = false
  $('next').focus({ preventScroll: true })
  quiz.level = next.level
  renderDots()
  renderHistory()
}

const headline = (next) =>
  next.change === 'easier' ? `Next: easier (${LEVEL_NAMES[next.level]}).` : next.change === 'harder' ? `Next: harder (${LEVEL_NAMES[next.level]}).` : `Next: same level (${LEVEL_NAMES[next.level]}).`

const finish = () => {
  const score = quiz.history.filter((h) => h.correct).length
  $('card').setAttribute('data-state', 'results')
  $('card').removeAttribute('data-question')
  $('score').textContent = `${score} of ${QUIZ_LENGTH} right`
  $('path').textContent = `Your levels: ${quiz.history.map((h) => LEVEL_NAMES[h.q.level]).join(' → ')}`
  $('pace').replaceChildren(
    ...['Geography', 'Arithmetic'].map((topic) => {
      const mine = quiz.history.filter((h) => (h.q.kind === 'choice' ? 'Geography' : 'Arithmetic') === topic)
      const right = mine.filter((h) => h.correct).length
      const mean = mine.reduce((sum, h) => sum + h.seconds, 0) / mine.length
      const pauses = mine.reduce((sum, h) => sum + h.pauses, 0)
      const li = document.createElement('li')
      li.textContent = `${topic}: ${right} of ${mine.length} right, ${mean.toFixed(1)} s per question, ${pauses} pause${pauses === 1 ? '' : 's'}`
      return li
    }),
  )
  quiz.current = null
  renderNoticed()
  $('count').textContent = 'Done'
  renderDots()
  call('step', 'quiz', 'finish')
  $('again').focus({ preventScroll: true })
  call('track', 'quiz-complete', score)
}

/** What Tacit noticed on the current question, in words (the page names its own buttons). */
const renderNoticed = () => {
  const cur = quiz.current
  const items = cur ? [...cur.pauses] : []
  if (cur?.idle) items.push(`No input for ${Math.round(cur.idle / 1000)} s`)
  const list = $('noticed')
  list.replaceChildren(
    ...(items.length ? items : [cur ? 'Nothing yet: no pauses.' : 'The quiz is over.']).map((text) => {
      const li = document.createElement('li')
      li.textContent = text
      if (!items.length) li.className = 'empty'
      return li
    }),
  )
}

const describePause = (signal) => {
  const s = `${(signal.ms / 1000).toFixed(1)} s`
  if (signal.outcome === 'field') return `Answer box focused for ${s} with nothing typed`
  const el = document.getElementById(signal.target.split('#')[1])
  const name = !el ? 'an answer' : el.localName === 'input' ? 'the answer box' : `“${el.textContent}”`
  return signal.outcome === 'clicked' ? `Rested ${s} on ${name}, then chose it` : `Rested ${s} on ${name}, then moved away`
}

const renderDots = () => {
  $('dots').replaceChildren(
    ...Array.from({ length: QUIZ_LENGTH }, (_, i) => {
      const li = document.createElement('li')
      const h = quiz.history[i]
      li.className = h ? (h.correct ? 'ok' : 'no') : i === quiz.index && $('card').dataset.state === 'question' ? 'current' : ''
      li.textContent = h ? LEVEL_NAMES[h.q.level][0] : String(i + 1)
      li.title = h ? `${LEVEL_NAMES[h.q.level]}: ${h.correct ? 'right' : 'wrong'}` : `Question ${i + 1}`
      return li
    }),
  )
}

const renderHistory = () => {
  const empty = document.createElement('li')
  empty.className = 'empty'
  empty.textContent = 'No answers yet.'
  $('history').replaceChildren(
    ...(quiz.history.length ? [] : [empty]),
    ...quiz.history.map((h, i) => {
      const li = document.createElement('li')
      li.className = h.correct ? 'ok' : 'no'
      const pauses = h.pauses ? `, ${h.pauses} pause${h.pauses === 1 ? '' : 's'}` : ''
      const arrow = h.next.change === 'easier' ? '↓' : h.next.change === 'harder' ? '↑' : '→'
      const then = i + 1 < QUIZ_LENGTH ? ` ${arrow} ${LEVEL_NAMES[h.next.level]}` : ''
      li.textContent = `Q${i + 1} ${LEVEL_NAMES[h.q.level]}: ${h.correct ? 'right' : 'wrong'} in ${h.seconds.toFixed(1)} s${pauses}${then}`
      return li
    }),
  )
}

// Answers: a click on a choice, or the typed number (Enter or Check).
$('answers').addEventListener('click', (e) => {
  const button = e.target.closest('button.answer')
  if (!button || quiz.current?.answered) return
  answer(Number(button.dataset.index) === quiz.current.q.answer, button.textContent)
})
$('text-form').addEventListener('submit', (e) => {
  e.preventDefault()
  const raw = $('answer-text').value.trim().replace(',', '.')
  if (!raw) return
  answer(Number(raw) === quiz.current.q.answer, raw)
})
$('next').addEventListener('click', () => {
  quiz.index += 1
  if (quiz.index >= QUIZ_LENGTH) finish()
  else show()
})
$('again').addEventListener('click', () => {
  quiz = fresh()
  renderHistory()
  show()
})

// What Tacit notices. Registered through the queue, so it works before tacit.min.js has loaded.
call('on', 'hesitation', (signal) => {
  const cur = quiz.current
  if (!cur || cur.answered || !ANSWER_TARGETS.test(signal.target)) return
  cur.pauses.push(describePause(signal))
  renderNoticed()
})
call('on', 'idle', (signal) => {
  const cur = quiz.current
  if (!cur || cur.answered) return
  cur.idle += signal.ms
  renderNoticed()
})

$('erase').addEventListener('click', async () => {
  const tacit = await whenTacit()
  await tacit.erase()
  $('erased').textContent = 'Erased.'
})

renderHistory()
show()
