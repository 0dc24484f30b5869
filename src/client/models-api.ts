import { NotFoundError } from '../errors/api-error.js'
import type { ModelInfo, ModelsPage } from './models.js'
import type { RequestOptions } from './options.js'

/** `models.list()`'s result: await it for the page, or `for await` over its models (as with the SDK). */
export interface ModelsPagePromise extends Promise<ModelsPage>, AsyncIterable<ModelInfo> {}

/** `client.models`: the `list` and `retrieve` of `@anthropic-ai/sdk`'s `client.models`. */
export interface Models {
  /** Kiro's `ListAvailableModels` where the host serves it, otherwise the built-in table; Anthropic list shape. */
  list(options?: RequestOptions): ModelsPagePromise
  /** One model of `list()`; `NotFoundError` for a model Kiro does not offer. */
  retrieve(modelId: string, options?: RequestOptions): Promise<ModelInfo>
}

export function modelsApi(list: (options: RequestOptions) => Promise<ModelsPage>): Models {
  return {
    list(options = {}) {
      const page = list(options)
      return Object.assign(page, {
        async *[Symbol.asyncIterator]() {
          yield* (await page).data
        },
      })
    },
    async retrieve(modelId, options = {}) {
      const found = (await list(options)).data.find((model) => model.id === modelId)
      if (found === undefined) throw new NotFoundError(`model: ${modelId} is not a model Kiro offers here.`)
      return found
    },
  }
}
