// The explanations that are not about the person: shown before the models load or when
// personalisation is off. Up front (tiny); every other explanation lives in the model chunk.

export const DEFAULT_WHY = 'Showing the default while your preferences load.'
export const OFF_WHY = 'Personalisation is off, so everyone sees the same.'
