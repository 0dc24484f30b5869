/** What a probe found: Kiro took the body, or refused it as improperly formed. */
type ProbeResult = 'accepted' | 'refused'

/** Sends one probe body (serialized); anything but the two outcomes throws and stops the diagnosis. */
export type Probe = (body: string) => Promise<ProbeResult>

/**
 * The first index in `[0, last]` whose probe is refused, knowing `last` is (refusals are assumed
 * to persist once the offending part is in: a shorter conversation without it is accepted).
 * Binary search, at most `maxProbes` probes: the answer is then a range.
 */
export async function firstRefused(
  last: number,
  refused: (index: number) => Promise<boolean>,
  maxProbes: number,
): Promise<{ from: number; to: number; probes: number }> {
  let lo = 0
  let hi = last
  let probes = 0
  while (lo < hi && probes < maxProbes) {
    const mid = Math.floor((lo + hi) / 2)
    probes++
    if (await refused(mid)) hi = mid
    else lo = mid + 1
  }
  return { from: lo, to: hi, probes }
}
