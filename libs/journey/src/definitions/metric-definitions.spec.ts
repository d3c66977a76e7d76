import { change, configure, definitions, givenMetricDefinitions as given, HCM } from '@journeyline/journey/testing/definitions-given-when-then';
import { readMetricDefinitionsChanged } from './metric-definitions-decider';
import { BUILT_IN_SCORE_CLASSES, defaultMetricParameters } from './metric-parameters';

const UTC = { minSample: 30, timeZone: 'UTC' };

describe('versioned metric definitions', () => {
  describe('the configuration', () => {
    it("a store with no version records today's behaviour as version 1", () => {
      given().when(configure(HCM)).then(definitions(1));
      expect(definitions(1).parameters).toMatchObject({ ...BUILT_IN_SCORE_CLASSES, minSample: 30, timeZone: 'Asia/Ho_Chi_Minh' });
    });

    it('the same configuration at the next start records nothing', () => {
      given(definitions(1)).when(configure(HCM)).thenNothing();
    });

    it("an admin's change survives a restart with an unchanged configuration", () => {
      given(definitions(1), definitions(2, { minSample: 50 }))
        .when(configure(HCM))
        .thenNothing();
    });

    it('a changed JOURNEYLINE_TZ is a new version in the new zone, keeping what an admin changed', () => {
      given(definitions(1), definitions(2, { minSample: 50 }))
        .when(configure(UTC))
        .then({
          ...definitions(3, { minSample: 50 }, 'configuration', UTC, 'configuration'),
          parameters: { ...definitions(2, { minSample: 50 }).parameters, timeZone: 'UTC' },
        });
    });

    it('a changed JOURNEYLINE_MIN_SAMPLE is a new version', () => {
      const configured = { minSample: 10, timeZone: 'Asia/Ho_Chi_Minh' };
      given(definitions(1))
        .when(configure(configured))
        .then(definitions(2, {}, 'configuration', configured));
    });
  });

  describe("an admin's change", () => {
    it('the next version holds the whole parameters, the fields left out as they were', () => {
      given(definitions(1))
        .when(change({ csat: { satisfiedMin: { '1-5': 5 } } }))
        .then(definitions(2, { csat: { satisfiedMin: { '1-5': 5, '1-7': 6, '1-10': 9 } } }));
    });

    it('what counts as a promoter and a detractor', () => {
      given(definitions(1), definitions(2, { minSample: 50 }))
        .when(change({ nps: { promoterMin: 10, detractorMax: 5 } }))
        .then(definitions(3, { minSample: 50, nps: { promoterMin: 10, detractorMax: 5 } }));
    });

    it('the hard and easy boxes of effort', () => {
      given(definitions(1))
        .when(change({ ces: { hardMax: { '1-7': 3 }, easyMin: { '1-5': 5 } } }))
        .then(definitions(2, { ces: { easyMin: { '1-5': 5, '1-7': 6 }, hardMax: { '1-5': 2, '1-7': 3 } } }));
    });

    it('the same parameters again record nothing', () => {
      given(definitions(1))
        .when(change({ minSample: 30, nps: { promoterMin: 9 }, timeZone: 'Asia/Ho_Chi_Minh' }))
        .thenNothing();
    });

    it('another time zone needs the day buckets rebuilt: refused', () => {
      given(definitions(1))
        .when(change({ timeZone: 'UTC' }))
        .thenThrows('time-zone-needs-rebuild', 'timeZone');
    });

    it('nothing can be changed before a version is recorded', () => {
      given()
        .when(change({ minSample: 5 }))
        .thenThrows('definitions-not-recorded');
    });

    it('each bad parameter is named by its path', () => {
      given(definitions(1))
        .when(
          change({
            nps: { promoterMin: 11, colour: 1 },
            csat: { satisfiedMin: { '1-5': 1, 'yes-no': true } },
            ces: { hardMax: { '1-7': 6 } },
            minSample: 0,
            timeZone: 'Mars/Olympus',
            __proto__: { x: 1 },
            extra: true,
          }),
        )
        .thenThrows(
          'definitions-invalid',
          'extra',
          'nps.colour',
          'nps.promoterMin',
          'csat.satisfiedMin.yes-no',
          'csat.satisfiedMin.1-5',
          'ces.hardMax.1-7',
          'minSample',
          'timeZone',
        );
    });

    it('a detractor cannot also be a promoter', () => {
      given(definitions(1))
        .when(change({ nps: { detractorMax: 9 } }))
        .thenThrows('definitions-invalid', 'nps.detractorMax');
    });

    it('a body that is not an object of parameters', () => {
      given(definitions(1))
        .when(change([1, 2]))
        .thenThrows('definitions-invalid', 'body');
      given(definitions(1)).when(change(null)).thenThrows('definitions-invalid', 'body');
    });
  });

  it('a stored version reads back as it was recorded, and anything else reads as none', () => {
    const stored = JSON.parse(JSON.stringify(definitions(2, { minSample: 12 }))) as unknown;
    expect(readMetricDefinitionsChanged(stored)).toEqual(definitions(2, { minSample: 12 }));
    expect(readMetricDefinitionsChanged({ version: 0 })).toBeNull();
    expect(readMetricDefinitionsChanged({ ...definitions(1), parameters: { ...defaultMetricParameters(30, 'UTC'), minSample: -1 } })).toBeNull();
  });
});
