// The `kiro-client/testing` entry: a local Kiro for tests and demos. Node-only (node:http).

export { defaultAssistant } from './default-assistant.js'
export {
  createKiroFetchSimulator,
  type KiroFetchSimulator,
  type KiroFetchSimulatorOptions,
} from './fetch-simulator.js'
export { SIMULATED_MODELS, type SimulatedModel } from './models.js'
export { kiroMswHandlers, type MswHttp } from './msw.js'
export type { RecordedRequest, RecordedResponse } from './records.js'
export type { HttpErrorStep, KiroTokenUsage, ScriptedTurn, ScriptStep, ToolUseStep } from './script.js'
export type { SimulatorTokens } from './simulated-auth.js'
export {
  defaultWebSearch,
  type SimulatedSearch,
  type SimulatedSearchResult,
  type WebSearchFunction,
} from './simulated-mcp.js'
export type { SimulatedProfile } from './simulated-profiles.js'
export { createKiroSimulator, type KiroSimulator, type KiroSimulatorOptions } from './simulator.js'
export { SimulatorControls } from './simulator-controls.js'
export type { ScriptFunction, SimulatorCoreOptions } from './simulator-core.js'
