/** What every report section gives BENCHMARKS.md: its Markdown and its lines of the headline table. */
export interface Section {
  markdown: string
  /** What, figure, target, verdict. */
  headlines: Array<[string, string, string, string]>
}

export const ms = (value: number, decimals = 3): string => {
  const text = value.toLocaleString('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  })
  return `${text} ms`
}
