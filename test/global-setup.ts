// Runs once before the suite: says loudly, up front, what the environment lacks for some tests.
import { findRedisServer } from './helpers/redis-server.js'

export default async function setup(): Promise<void> {
  try {
    await findRedisServer()
  } catch (error) {
    const line = '!'.repeat(100)
    process.stderr.write(
      `\n${line}\n!! ${(error as Error).message}\n!! The Redis tests will fail. .ci/run installs it when missing.\n${line}\n\n`,
    )
  }
}
