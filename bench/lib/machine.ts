import os from 'node:os'

/** Where and when a benchmark ran: printed in every report so figures are never read out of context. */
export interface MachineInfo {
  cpu: string
  cores: number
  memoryGiB: number
  os: string
  node: string
  date: string
  /** 1-minute load average when described: other work competing for the cores skews every figure. */
  load: number
}

export function describeMachine(): MachineInfo {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    date: new Date().toISOString(),
    load: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  }
}
