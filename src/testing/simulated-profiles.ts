import { jsonReply, type RecordedRequest, type SimulatorReply } from './records.js'

/** One entry of `ListAvailableProfiles` (docs/protocol.md §9.1). */
export interface SimulatedProfile {
  arn: string
  profileName?: string
}

/**
 * `ListAvailableProfiles` (awsJson 1.0: `POST /` with its `x-amz-target`): the profiles of the
 * login, each with its name and identity details, as Kiro answers them.
 */
export function answerProfiles(
  record: RecordedRequest,
  profiles: readonly SimulatedProfile[],
): SimulatorReply {
  if ((record.headers['content-type'] ?? '') !== 'application/x-amz-json-1.0') {
    return jsonReply(400, { __type: 'SerializationException', message: 'Unexpected content type.' })
  }
  return jsonReply(200, {
    profiles: profiles.map((profile) => ({
      arn: profile.arn,
      profileName: profile.profileName ?? `KiroProfile-${profile.arn.split(':')[3] ?? 'unknown'}`,
      identityDetails: { ssoIdentityDetails: { ssoRegion: profile.arn.split(':')[3] ?? 'us-east-1' } },
    })),
  })
}
