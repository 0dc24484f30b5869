import { table } from '../lib/markdown.js'
import { fmt, verdict } from '../lib/stats.js'
import type { CpuClient, CpuResult } from './cpu.js'
import { ms, type Section } from './report-common.js'

const LABELS: Record<CpuClient, string> = {
  ours: 'kiro-client: `messages.stream()`, every event iterated',
  official: '`@aws/codewhisperer-streaming-client`: `GenerateAssistantResponseCommand`, every event iterated',
  floor: 'plain `fetch`, body drained (the floor)',
  pipeline: "breakdown: kiro-client's decoder + event mapper over a plain `fetch`, no `MessageStream`",
}

export function cpuSection(r: CpuResult): Section {
  const ours = r.clients.ours
  const rows = (Object.keys(LABELS) as CpuClient[]).map((name) => {
    const figures = r.clients[name]
    if ('error' in figures) return [LABELS[name], 'not measured', figures.error, '', '']
    const ratio = 'cpuMs' in ours ? fmt(ours.cpuMs / figures.cpuMs) : ''
    return [
      LABELS[name],
      ms(figures.cpuMs, 2),
      ms(figures.wallMs, 2),
      `${figures.items} ${figures.itemName}`,
      ratio,
    ]
  })
  const markdown = [
    '## 2. Client CPU per streamed response',
    '',
    `\`process.cpuUsage()\` (user + system) around sequential requests, ${r.requests} per client in interleaved rounds (median of the rounds), each answered with ${r.scenario}. The simulator runs in a child process, so only the client's work is counted.`,
    '',
    table(['client', 'CPU / response', 'wall / response', 'per response', 'ours / this'], rows),
    '',
    "kiro-client does more than the official client here: it maps every Kiro event to Anthropic events and builds the final `Message` as it goes (as `@anthropic-ai/sdk`'s MessageStream does); the official client parses each event and nothing more. The floor moves the bytes and nothing else. The breakdown row is the client's streaming path without `MessageStream`: the difference to the first row is the message accumulation, the event queue and the request set-up.",
  ].join('\n')
  const headlines: Section['headlines'] = []
  if (r.oursOverOfficial !== undefined)
    headlines.push([
      'Client CPU per 5,000-message response, ours / official client',
      fmt(r.oursOverOfficial),
      '<= 0.2',
      verdict(r.oursOverOfficial <= 0.2),
    ])
  else headlines.push(['Client CPU, ours / official client', 'official client not measured', '<= 0.2', 'n/a'])
  if (r.oursOverFloor !== undefined)
    headlines.push(['Client CPU, ours / plain fetch draining the bytes', fmt(r.oursOverFloor), '', ''])
  return { markdown, headlines }
}
