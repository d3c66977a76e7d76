import { BadRequestException, Inject, Logger } from '@nestjs/common';
import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { AuditTrail } from '@journeyline/access';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { PersonalData } from '@journeyline/privacy';
import { CustomerStateCache } from '@journeyline/recording';
import { fileInMemory, ImportFileError, importEvents, openEventFile, type ImportTotals } from '@journeyline/recording/files';
import { EventsAppended } from '../../events/events-appended.event';
import { problem } from '../../http/problem';
import { ImportFileCommand, type ImportSummary } from './import-file.command';

/** Rejected rows listed in the answer; the count covers them all. */
const MAX_LISTED_REJECTS = 1000;

/**
 * Imports an uploaded file the way `journeyline import` does (the same reading, the same write
 * path, personal data sealed): rows that cannot be recorded are set aside with the reason and
 * the rest recorded, batch by batch, waking the projections after each. A file that cannot be
 * read at all is a 400; one that stops being readable part way is a 400 that says how much was
 * stored before (sending the file again is safe: ids are derived from the rows).
 */
@CommandHandler(ImportFileCommand)
export class ImportFileHandler implements ICommandHandler<ImportFileCommand, ImportSummary> {
  private readonly logger = new Logger('import');
  private readonly states = new CustomerStateCache();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
    private readonly eventBus: EventBus,
    private readonly personal: PersonalData,
    private readonly audit: AuditTrail,
  ) {}

  async execute({ file, format, reading, actor }: ImportFileCommand): Promise<ImportSummary> {
    const rejects: ImportSummary['rejects'] = [];
    let totals: ImportTotals = { records: 0, stored: 0, duplicates: 0, rejected: 0 };
    try {
      const input = await openEventFile(fileInMemory(file, `the ${format === 'xlsx' ? 'workbook' : 'file'}`), {
        ...reading,
        format,
        timeZone: this.config.timeZone,
      });
      totals = await importEvents(input, {
        store: this.store,
        personal: this.personal,
        states: this.states,
        timeZone: this.config.timeZone,
        limits: this.config.wireLimits,
        onRejected: ({ line, reason }) => {
          if (rejects.length < MAX_LISTED_REJECTS) rejects.push({ line, reason });
        },
        onRecorded: (recorded) => this.eventBus.publish(new EventsAppended(Math.max(...recorded.map((r) => r.position)), recorded.length)),
        onProgress: (progress) => (totals = { ...progress }),
      });
    } catch (error) {
      if (!(error instanceof ImportFileError)) throw error;
      const field = error.option === 'file' ? 'body' : error.option;
      const before = totals.records > 0 ? `; ${totals.stored} new events before that were stored (sending the file again is safe)` : '';
      throw new BadRequestException(
        problem(400, `${error.message}${before}`, [{ field, reason: error.message }], {
          stored: totals.stored,
          duplicates: totals.duplicates,
          rejected: totals.rejected,
        }),
      );
    }
    const summary = { stored: totals.stored, duplicates: totals.duplicates, rejected: totals.rejected };
    this.logger.log({ msg: 'file imported', format, bytes: file.length, rows: totals.records, ...summary });
    await this.audit.record('events.imported', actor, null, { format, bytes: file.length, rows: totals.records, ...summary });
    return { ...summary, rejects };
  }
}
