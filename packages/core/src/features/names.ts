/**
 * The dimensions of the feature vector, in order, each with its normalisation and the words an
 * explanation uses when it pushed a decision. Every value lies in [0, 1] (cyclic pairs in
 * [-1, 1]). `log(x, cap)` means log1p(x) / log1p(cap), clipped to 1.
 */
export const FEATURES = [
  { name: 'page_engaged_time', norm: 'log(engaged seconds on this page, 600)', phrase: 'you spent time on this page' },
  { name: 'session_engaged_time', norm: 'log(engaged seconds this session, 1800)', phrase: 'you have spent a while on the site today' },
  { name: 'scroll_depth', norm: 'deepest scroll mark this session / 100', phrase: 'you read far down the page' },
  { name: 'hesitations', norm: 'log(hesitations this session, 20)', phrase: 'you paused over several options' },
  { name: 'hesitation_pause', norm: 'mean hesitation pause this session, seconds / 5, clipped', phrase: 'your pauses were long' },
  { name: 'rage_clicks', norm: 'log(rage clicks this session, 10)', phrase: 'something did not respond to your clicks' },
  { name: 'dead_clicks', norm: 'log(dead clicks this session, 10)', phrase: 'some clicks had no effect' },
  { name: 'form_abandons', norm: 'log(forms abandoned, all sessions, 5)', phrase: 'you left forms unfinished before' },
  { name: 'idle_periods', norm: 'log(idle periods this session, 10)', phrase: 'you stepped away a few times' },
  { name: 'quick_backs', norm: 'log(quick backs this session, 5)', phrase: 'you came straight back from some pages' },
  { name: 'funnel_progress', norm: '(furthest step index + 1) / steps, this session, best declared funnel', phrase: 'you are well into checkout' },
  { name: 'past_drop_offs', norm: 'log(funnel drop-offs, all sessions, 10)', phrase: 'you left checkout before' },
  { name: 'past_goals', norm: 'log(goals reached, all sessions, 20)', phrase: 'you have bought or signed up before' },
  { name: 'pages_this_session', norm: 'log(pages this session, 20)', phrase: 'you have looked at many pages' },
  { name: 'visits', norm: 'log(visits, 50)', phrase: 'you visit often' },
  { name: 'returning', norm: '1 if this is not the first visit', phrase: 'you have been here before' },
  { name: 'days_since_last_visit', norm: 'log(days since the previous session, 90)', phrase: 'it has been a while since your last visit' },
  { name: 'item_dwell', norm: 'log(seconds of dwell on tracked items, 600)', phrase: 'you look closely at products' },
  { name: 'hour_sin', norm: 'sin(2π · local hour / 24)', phrase: 'the time of day' },
  { name: 'hour_cos', norm: 'cos(2π · local hour / 24)', phrase: 'the time of day' },
  { name: 'weekday_sin', norm: 'sin(2π · weekday / 7)', phrase: 'the day of the week' },
  { name: 'weekday_cos', norm: 'cos(2π · weekday / 7)', phrase: 'the day of the week' },
  { name: 'device_mobile', norm: '1 on a phone-sized touch screen', phrase: 'you are on a phone' },
  { name: 'device_tablet', norm: '1 on a tablet-sized touch screen', phrase: 'you are on a tablet' },
] as const

export type FeatureName = (typeof FEATURES)[number]['name']
export const FEATURE_NAMES: readonly FeatureName[] = FEATURES.map((f) => f.name)
export const FEATURE_COUNT = FEATURES.length
