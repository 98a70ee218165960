import { Inject, Injectable } from '@nestjs/common';
import { QUERIES } from '@giggles/contracts';
import type { QueryHandler } from '@giggles/messaging';
import { ImportsRepository } from './imports.repository';

export interface ImportQueryHandlers {
  [QUERIES.importBegin]: QueryHandler<typeof QUERIES.importBegin>;
  [QUERIES.importsList]: QueryHandler<typeof QUERIES.importsList>;
}

/**
 * Persistence's answers about imported recordings: recording an import (or its refusal) by
 * sha256, and one user's list. Registered by the query server beside its own handlers.
 */
@Injectable()
export class ImportQueryService {
  constructor(@Inject(ImportsRepository) private readonly imports: ImportsRepository) {}

  handlers(): ImportQueryHandlers {
    return {
      [QUERIES.importBegin]: (request) => this.imports.begin(request),
      [QUERIES.importsList]: async (request) => ({ imports: await this.imports.list(request.userId, request.limit, request.importId) }),
    };
  }
}
