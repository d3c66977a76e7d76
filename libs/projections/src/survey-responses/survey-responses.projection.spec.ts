/** Survey links sent and answered: an answer counts its link once (a replacement too), in any order; idempotent, rebuilt equal. */
import type { NewEvent } from '@journeyline/event-store';
import { customerStreamId } from '@journeyline/journey';
import { SURVEY_LINK_ISSUED, SURVEY_LINKS_STREAM } from '@journeyline/surveys';
import { dumpReadModels, sqliteHarness, withHarness } from '@journeyline/projections/testing/projection-harness';
import { Projector } from '../runtime/projector';
import { SurveyResponsesProjection } from './survey-responses.projection';
import { surveyResponseRates } from './survey-responses.queries';

const issued = (linkId: string, touchpoint = 'hotline', channel = 'phone'): NewEvent => ({
  eventId: linkId,
  type: SURVEY_LINK_ISSUED,
  occurredAt: '2026-11-20T02:00:00.000Z',
  data: { linkId, surveyId: 'nps', version: 1, customerId: `c-${linkId}`, touchpoint, channel, issuedAt: '2026-11-20T02:00:00.000Z' },
});
const answer = (eventId: string, linkId: string | undefined, score: number, at = '2026-11-20T03:00:00.000Z'): NewEvent => ({
  eventId,
  type: 'FeedbackGiven',
  occurredAt: at,
  data: { kind: 'nps', score, scale: '0-10', touchpoint: 'hotline', channel: 'phone', survey: { surveyId: 'nps', version: 1, ...(linkId ? { linkId } : {}) } },
});
const WINDOW = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };

describe('the survey-responses read model', () => {
  it('counts links sent in the window and those answered (a second answer to a link changes nothing), answers without a link apart', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      // l-1's answer is in the log before its link: the order must not matter
      await h.store.append([{ streamId: customerStreamId('c-l-1'), expectedRevision: 'any', events: [answer('a-1', 'l-1', 9)] }]);
      await h.store.append([
        { streamId: SURVEY_LINKS_STREAM, expectedRevision: 'any', events: [issued('l-1'), issued('l-2'), issued('l-3', 'email:nps', 'email')] },
      ]);
      await h.store.append([
        {
          streamId: customerStreamId('c-l-2'),
          expectedRevision: 'any',
          events: [answer('a-2', 'l-2', 3), answer('a-3', 'l-2', 10, '2026-11-20T03:05:00.000Z')],
        },
        { streamId: customerStreamId('c-walk-in'), expectedRevision: 'any', events: [answer('a-4', undefined, 7)] },
      ]);
      const db = h.readModels();
      await new Projector(h.store, db, [new SurveyResponsesProjection()], { batchSize: 2 }).catchUp();
      expect(await surveyResponseRates(db.reader, WINDOW)).toEqual([
        {
          surveyId: 'nps',
          sent: 3,
          answered: 2,
          rate: 0.667,
          unlinkedAnswers: 1,
          byTouchpoint: [
            { key: 'hotline', sent: 2, answered: 2, rate: 1 },
            { key: 'email:nps', sent: 1, answered: 0, rate: 0 },
          ],
          byChannel: [
            { key: 'phone', sent: 2, answered: 2, rate: 1 },
            { key: 'email', sent: 1, answered: 0, rate: 0 },
          ],
        },
      ]);
      expect(await surveyResponseRates(db.reader, { from: '2026-12-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' })).toEqual([]);
    });
  });

  it('applying the same events twice counts them once; a rebuild equals the live result', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      await h.store.append([{ streamId: SURVEY_LINKS_STREAM, expectedRevision: 'any', events: [issued('l-1'), issued('l-2')] }]);
      await h.store.append([{ streamId: customerStreamId('c-l-1'), expectedRevision: 'any', events: [answer('a-1', 'l-1', 9), answer('a-2', undefined, 4)] }]);
      const projection = new SurveyResponsesProjection();
      const live = h.readModels('live.db');
      await new Projector(h.store, live, [projection], { batchSize: 1 }).catchUp();
      const before = await dumpReadModels(live, [projection]);
      const records = await h.store.readStream(SURVEY_LINKS_STREAM);
      await live.transaction((tx) => projection.applyRecords(records, tx));
      expect(await dumpReadModels(live, [projection])).toBe(before);

      const rebuilt = h.readModels('rebuilt.db');
      await new Projector(h.store, rebuilt, [new SurveyResponsesProjection()]).rebuild();
      expect(await dumpReadModels(rebuilt, [projection])).toBe(before);
    });
  });
});
