/**
 * The dimensions of the feature vector, in order, each with the words an explanation uses when it
 * pushed a decision, and above it, its normalisation (`features/vector.ts` computes it). Every
 * value lies in [0, 1] (cyclic pairs in [-1, 1]). `log(x, cap)` means log1p(x) / log1p(cap),
 * clipped to 1. The normalisations are comments, not strings: the script tag would ship them.
 */
export const FEATURES = [
  // log(engaged seconds on this page, 600)
  { name: 'page_engaged_time', phrase: 'you spent time on this page' },
  // log(engaged seconds this session, 1800)
  { name: 'session_engaged_time', phrase: 'you have spent a while on the site today' },
  // deepest scroll mark this session / 100
  { name: 'scroll_depth', phrase: 'you read far down the page' },
  // log(hesitations this session, 20)
  { name: 'hesitations', phrase: 'you paused over several options' },
  // mean hesitation pause this session, seconds / 5, clipped
  { name: 'hesitation_pause', phrase: 'your pauses were long' },
  // log(rage clicks this session, 10)
  { name: 'rage_clicks', phrase: 'something did not respond to your clicks' },
  // log(dead clicks this session, 10)
  { name: 'dead_clicks', phrase: 'some clicks had no effect' },
  // log(forms abandoned, all sessions, 5)
  { name: 'form_abandons', phrase: 'you left forms unfinished before' },
  // log(idle periods this session, 10)
  { name: 'idle_periods', phrase: 'you stepped away a few times' },
  // log(quick backs this session, 5)
  { name: 'quick_backs', phrase: 'you came straight back from some pages' },
  // (furthest step index + 1) / steps, this session, best declared funnel
  { name: 'funnel_progress', phrase: 'you are well into checkout' },
  // log(funnel drop-offs, all sessions, 10)
  { name: 'past_drop_offs', phrase: 'you left checkout before' },
  // log(goals reached, all sessions, 20)
  { name: 'past_goals', phrase: 'you have bought or signed up before' },
  // log(pages this session, 20)
  { name: 'pages_this_session', phrase: 'you have looked at many pages' },
  // log(visits, 50)
  { name: 'visits', phrase: 'you visit often' },
  // 1 if this is not the first visit
  { name: 'returning', phrase: 'you have been here before' },
  // log(days since the previous session, 90)
  { name: 'days_since_last_visit', phrase: 'it has been a while since your last visit' },
  // log(seconds of dwell on tracked items, 600)
  { name: 'item_dwell', phrase: 'you look closely at products' },
  // sin(2π · local hour / 24)
  { name: 'hour_sin', phrase: 'the time of day' },
  // cos(2π · local hour / 24)
  { name: 'hour_cos', phrase: 'the time of day' },
  // sin(2π · weekday / 7)
  { name: 'weekday_sin', phrase: 'the day of the week' },
  // cos(2π · weekday / 7)
  { name: 'weekday_cos', phrase: 'the day of the week' },
  // 1 on a phone-sized touch screen
  { name: 'device_mobile', phrase: 'you are on a phone' },
  // 1 on a tablet-sized touch screen
  { name: 'device_tablet', phrase: 'you are on a tablet' },
] as const

export type FeatureName = (typeof FEATURES)[number]['name']
export const FEATURE_NAMES: readonly FeatureName[] = FEATURES.map((f) => f.name)
export const FEATURE_COUNT = FEATURES.length
