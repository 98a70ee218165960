import { Inject, Injectable } from '@nestjs/common';
import { QUERIES, type ExportLaughsReply, type Laugh } from '@giggles/contracts';
import { NatsQueryClient } from '../adapters/nats-query.client';
import { EXPORT_JSON_CLOSING, exportCsvHeader, exportCsvRow, exportJsonLaugh, exportJsonOpening, type ExportFormat } from './export-format';
import { LAUGHTER_SETTINGS, type LaughterConfig } from './laughter-config';
import { UserTimezoneService } from './user-timezone.service';

/**
 * Every laugh of the user (notes and review marks included; deleted ones are gone) as JSON or
 * CSV, produced page by page from persistence's `exportLaughs` so memory stays flat however many
 * laughs there are. The first page is read before anything is sent, so a failure to start is an
 * ordinary error reply rather than a truncated file.
 */
@Injectable()
export class ExportService {
  constructor(
    @Inject(NatsQueryClient) private readonly queries: NatsQueryClient,
    @Inject(UserTimezoneService) private readonly zones: UserTimezoneService,
    @Inject(LAUGHTER_SETTINGS) private readonly settings: LaughterConfig,
  ) {}

  async start(userId: string, format: ExportFormat, now: Date = new Date()): Promise<AsyncIterable<string>> {
    const timezone = await this.zones.of(userId);
    const firstPage = await this.page(userId, undefined);
    const pages = this.pages(userId, firstPage);
    return format === 'csv' ? csvText(pages, timezone) : jsonText(pages, timezone, now);
  }

  private page(userId: string, after: ExportLaughsReply['next']): Promise<ExportLaughsReply> {
    return this.queries.ask(QUERIES.exportLaughs, { userId, limit: this.settings.exportPageSize, ...(after ? { after } : {}) });
  }

  private async *pages(userId: string, first: ExportLaughsReply): AsyncGenerator<Laugh[]> {
    let page = first;
    for (;;) {
      if (page.laughs.length > 0) yield page.laughs;
      if (!page.next) return;
      page = await this.page(userId, page.next);
    }
  }
}

async function* csvText(pages: AsyncIterable<Laugh[]>, timezone: string): AsyncGenerator<string> {
  yield exportCsvHeader();
  for await (const laughs of pages) yield laughs.map((laugh) => exportCsvRow(laugh, timezone)).join('');
}

async function* jsonText(pages: AsyncIterable<Laugh[]>, timezone: string, now: Date): AsyncGenerator<string> {
  yield exportJsonOpening(timezone, now);
  let first = true;
  for await (const laughs of pages) {
    yield laughs
      .map((laugh) => {
        const text = exportJsonLaugh(laugh, timezone, first);
        first = false;
        return text;
      })
      .join('');
  }
  yield EXPORT_JSON_CLOSING;
}
