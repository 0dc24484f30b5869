import { ConfigurationError } from '../errors/configuration-error.js'
import { isRegionName } from './endpoint.js'

/** Throws a clear error naming `field` unless `region` is an AWS region name. */
export function validateRegion(region: string, field = 'region'): string {
  if (!isRegionName(region)) {
    throw new ConfigurationError(
      field,
      `${JSON.stringify(region)} is not an AWS region name (expected e.g. "us-east-1").`,
    )
  }
  return region
}
