// First, so zod is configured before @tacit/core builds its schemas.
import './zodJitless'
import { TacitProvider } from '@tacit/react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { TACIT_OPTIONS } from './flow'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <TacitProvider options={TACIT_OPTIONS}>
      <App />
    </TacitProvider>
  </StrictMode>,
)
