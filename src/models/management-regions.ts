/**
 * Kiro's account services (`ListAvailableModels`, `ListAvailableProfiles`, `GetUsageLimits`) are
 * served in `us-east-1` and `eu-central-1` only (docs/protocol.md §9.1). The regions to try for an
 * account in `region`, most likely first: the region itself when it is one of them, else the
 * European one for `eu-*` regions and `us-east-1` otherwise; then the other.
 */
const MANAGEMENT_REGIONS = ['us-east-1', 'eu-central-1'] as const

export function managementRegions(region: string | undefined): string[] {
  const first = region?.startsWith('eu-') ? 'eu-central-1' : 'us-east-1'
  return [first, ...MANAGEMENT_REGIONS.filter((r) => r !== first)]
}
