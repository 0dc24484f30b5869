import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { StopSequenceMatcher } from '../../src/mapper/stop-sequences.js'
import { type ThinkingSink, ThinkingTagParser } from '../../src/mapper/thinking-parser.js'
import { splitText as split } from '../helpers/split-text.js'

/** The reference: generate character by character and stop once the output ends with a sequence. */
function referenceStop(text: string, sequences: string[]): { text: string; hit: string | undefined } {
  for (let end = 1; end <= text.length; end++) {
    const out = text.slice(0, end)
    const hits = sequences.filter((s) => s.length > 0 && out.endsWith(s)).sort((a, b) => b.length - a.length)
    if (hits[0] !== undefined) return { text: out.slice(0, end - hits[0].length), hit: hits[0] }
  }
  return { text, hit: undefined }
}

describe('StopSequenceMatcher', () => {
  it('stops where character-by-character generation would, for any split', () => {
    const small = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' '), maxLength: 40 })
    const seq = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength: 1, maxLength: 4 })
    fc.assert(
      fc.property(
        small,
        fc.array(seq, { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (text, sequences, cuts) => {
          const matcher = new StopSequenceMatcher(sequences)
          let out = ''
          for (const piece of split(text, cuts)) {
            out += matcher.push(piece)
            if (matcher.hit !== undefined) break
          }
          if (matcher.hit === undefined) out += matcher.flush()
          expect({ text: out, hit: matcher.hit }).toEqual(referenceStop(text, sequences))
        },
      ),
      { numRuns: 3000 },
    )
  })
})

class Collector implements ThinkingSink {
  thinking = ''
  text = ''
  ends = 0
  thinkingText(text: string): void {
    expect(this.ends).toBe(0)
    this.thinking += text
  }
  thinkingEnd(): void {
    this.ends++
  }
  visibleText(text: string): void {
    this.text += text
  }
}

function parse(pieces: string[]): Collector {
  const sink = new Collector()
  const parser = new ThinkingTagParser(sink)
  for (const piece of pieces) parser.push(piece)
  parser.interrupt()
  return sink
}

describe('ThinkingTagParser', () => {
  it('gives the same result for any split of any reply', () => {
    const unit = fc.constantFrom(
      'a',
      ' ',
      '\n',
      '"',
      '`',
      '<thinking>',
      '</thinking>',
      '</think',
      '<',
      '>',
      '/',
    )
    const reply = fc.oneof(
      fc.string({ unit, maxLength: 30 }),
      fc.string({ unit, maxLength: 30 }).map((s) => `<thinking>${s}`),
      fc
        .tuple(fc.string({ unit, maxLength: 20 }), fc.string({ unit, maxLength: 10 }))
        .map(([t, a]) => `\n<thinking>\n${t}\n</thinking>\n\n${a}`),
    )
    fc.assert(
      fc.property(reply, fc.array(fc.nat(), { maxLength: 8 }), (text, cuts) => {
        const whole = parse([text])
        const pieces = parse(split(text, cuts))
        expect({ thinking: pieces.thinking, text: pieces.text, ends: pieces.ends }).toEqual({
          thinking: whole.thinking,
          text: whole.text,
          ends: whole.ends,
        })
      }),
      { numRuns: 3000 },
    )
  })

  it('loses no character outside the tags and the layout around them', () => {
    const sink = parse(['<thinking>\n', 'x </thinking> y\n', '</thinking>\n\n', 'answer </thinking>'])
    expect(sink).toMatchObject({ thinking: 'x </thinking> y\n', text: 'answer </thinking>', ends: 1 })
  })
})
