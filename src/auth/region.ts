import { CredentialsError } from '../errors/credentials-error.js'

/** AWS region names: `us-east-1`, `eu-central-1`, `us-gov-west-1`, `cn-north-1`. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/

/**
 * A region goes into a refresh hostname, next to the refresh token: anything but a region name
 * could point the request at another host, so it is checked, not trusted.
 */
export function checkRegion(region: string, field: string): string {
  if (!REGION.test(region)) {
    throw new CredentialsError(
      'invalid_credentials',
      `${field}: expected an AWS region name like "us-east-1", got ${JSON.stringify(region.slice(0, 40))}.`,
    )
  }
  return region
}

/** Fills `{region}` in an endpoint template after checking the region. */
export function endpointFor(template: string, region: string, field: string): string {
  return template.replaceAll('{region}', checkRegion(region, field))
}
