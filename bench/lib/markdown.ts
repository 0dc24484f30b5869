/** A GitHub-flavoured Markdown table; the first column left-aligned, the others right-aligned. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = headers.map((_, i) => (i === 0 ? ':---' : '---:'))
  return [headers, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n')
}

/** A fenced block holding a program's output as printed. */
export function fenced(text: string): string {
  return `\`\`\`text\n${text.trimEnd()}\n\`\`\``
}
