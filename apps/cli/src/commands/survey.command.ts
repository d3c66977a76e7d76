import * as fs from 'node:fs';
import type { Command } from 'commander';
import { surveyCatalog, surveyLinkSigner } from '@journeyline/platform';
import { issueSurveyLink, SurveyInputError, type Survey } from '@journeyline/surveys';
import { openStores, type CliStores } from '../cli-context';

/**
 * journeyline survey create|list|link|rotate-key: the hosted surveys of the configured store,
 * for whoever can open the store. `link` prints the link alone on stdout, so that
 * `URL=$(journeyline survey link nps-hotline --customer c-1042)` captures it; the server's
 * address is prefixed when JOURNEYLINE_PUBLIC_URL is set.
 */
export function registerSurvey(program: Command): void {
  const survey = program.command('survey').description('define hosted surveys, list them, make signed links to them, rotate the link-signing key');

  survey
    .command('create')
    .description('a new survey, or a new version of the one its surveyId names, from a JSON file (as POST /api/v1/surveys takes)')
    .requiredOption(
      '--file <survey.json>',
      'the survey: {"surveyId"?, "metric", "scale"?, "touchpoint", "channel", "stage", "question": {"vi", "en"}, "followUp"?, "thanks"?}',
    )
    .action(async (options: { file: string }) => {
      let body: unknown;
      try {
        body = JSON.parse(fs.readFileSync(options.file, 'utf8'));
      } catch (error) {
        throw new Error(`--file: cannot read ${options.file} as JSON (${error instanceof Error ? error.message : String(error)})`);
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('--file: the file must hold one survey object');
      await withStores(async (stores) => {
        const defined = await surveyCatalog(stores.store).define(body as Record<string, unknown>, stores.actor);
        process.stderr.write(`survey ${defined.surveyId} is at version ${defined.version}\n`);
        console.log(JSON.stringify({ surveyId: defined.surveyId, version: defined.version }));
      });
    });

  survey
    .command('list')
    .description('every survey at its latest version')
    .option('--json', 'as JSON')
    .action(async (options: { json?: boolean }) => {
      await withStores(async (stores) => {
        const list = await surveyCatalog(stores.store).list();
        if (options.json) return console.log(JSON.stringify(list, null, 2));
        if (list.length === 0) return console.log('no surveys yet: journeyline survey create --file survey.json');
        for (const item of list) console.log(describe(item));
      });
    });

  survey
    .command('link <surveyId>')
    .description('a signed, expiring link for one customer; prints the link alone on stdout')
    .requiredOption('--customer <id>', 'the customer the answer will be recorded for')
    .option('--lang <vi|en>', 'the page language (default: the browser’s, else Vietnamese)')
    .option('--ttl-days <n>', 'days until the link expires (default JOURNEYLINE_SURVEY_LINK_DAYS, 30)')
    .option('--order <id>', 'the order the survey is about')
    .option('--ticket <id>', 'the ticket the survey is about')
    .action(async (surveyId: string, options: { customer: string; lang?: string; ttlDays?: string; order?: string; ticket?: string }) => {
      if (options.lang !== undefined && options.lang !== 'vi' && options.lang !== 'en') throw new Error('--lang: vi or en');
      if (options.ttlDays !== undefined && !/^\d{1,4}$/.test(options.ttlDays)) throw new Error('--ttl-days: a whole number of days from 1 to 3650');
      const ttlDays = options.ttlDays === undefined ? undefined : Number(options.ttlDays);
      if (ttlDays !== undefined && (ttlDays < 1 || ttlDays > 3650)) throw new Error('--ttl-days: a whole number of days from 1 to 3650');
      if (options.customer.trim() === '' || options.customer.length > 200) throw new Error('--customer: 1 to 200 characters');
      await withStores(async (stores) => {
        const issued = await issueSurveyLink(
          { store: stores.store, catalog: surveyCatalog(stores.store), signer: surveyLinkSigner(stores.store, stores.config) },
          surveyId,
          {
            customerId: options.customer,
            lang: options.lang as 'vi' | 'en' | undefined,
            ttlDays: ttlDays ?? stores.config.surveys.linkDays,
            orderId: options.order,
            ticketId: options.ticket,
          },
          { publicUrl: stores.config.surveys.publicUrl },
        );
        if (!issued) throw new Error(`no survey ${surveyId}: journeyline survey list shows them`);
        process.stderr.write(`link ${issued.linkId} to ${issued.surveyId} v${issued.version} for ${options.customer}, valid until ${issued.expiresAt}:\n`);
        console.log(issued.url);
      });
    });

  survey
    .command('rotate-key')
    .description('a new link-signing key from now on (links made before keep working until they expire)')
    .action(async () => {
      await withStores(async (stores) => {
        const keyId = await surveyLinkSigner(stores.store, stores.config).rotate(stores.actor);
        console.log(`survey links are now signed with key ${keyId}`);
      });
    });
}

async function withStores(work: (stores: CliStores) => Promise<unknown>): Promise<void> {
  const stores = await openStores();
  try {
    await work(stores);
  } catch (error) {
    if (error instanceof SurveyInputError) throw new Error(`the survey is invalid: ${error.message}`);
    throw error;
  } finally {
    await stores.close();
  }
}

function describe(survey: Survey): string {
  return `${survey.surveyId}  v${survey.version}  ${survey.metric} ${survey.scale}  ${survey.touchpoint} (${survey.channel}, ${survey.stage})  "${survey.question.en}"`;
}
