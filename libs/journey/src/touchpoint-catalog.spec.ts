import {
  checkTouchpointRegistration,
  EXPERIENCE_TYPES,
  readTouchpointRegistered,
  registerTouchpoint,
  type TouchpointDefinition,
  type TouchpointRegistered,
} from './touchpoint-catalog';

const hotline: TouchpointDefinition = {
  touchpoint: 'hotline',
  names: { vi: 'Tổng đài', en: 'Hotline' },
  channel: 'phone',
  stage: 'use',
  owner: 'cskh',
  experienceType: 'feel',
};

/** given(the latest registration).when(a definition).then(what is recorded) */
const given = (latest: TouchpointRegistered | null) => ({
  when: (definition: TouchpointDefinition, by = 'admin') => ({
    then: (...expected: TouchpointRegistered[]) => expect(registerTouchpoint(latest, definition, by)).toEqual(expected),
  }),
});

const issuesOf = (touchpoint: unknown, body: unknown) => {
  const checked = checkTouchpointRegistration(touchpoint, body);
  return 'issues' in checked ? checked.issues.map((i) => i.field) : [];
};

const body = (changes: Record<string, unknown> = {}) => ({
  names: hotline.names,
  channel: hotline.channel,
  stage: hotline.stage,
  owner: hotline.owner,
  experienceType: hotline.experienceType,
  ...changes,
});

describe('the touchpoint catalog', () => {
  it('the five experience types of the source material (Schmitt)', () => {
    expect(EXPERIENCE_TYPES).toEqual(['sense', 'feel', 'think', 'act', 'relate']);
  });

  it('a touchpoint never registered becomes version 1', () => {
    given(null)
      .when(hotline, 'ops')
      .then({ ...hotline, version: 1, registeredBy: 'ops' });
  });

  it('a changed definition is the next version', () => {
    given({ ...hotline, version: 1, registeredBy: 'ops' })
      .when({ ...hotline, owner: 'support-team' })
      .then({ ...hotline, owner: 'support-team', version: 2, registeredBy: 'admin' });
  });

  it('the same definition again records nothing', () => {
    given({ ...hotline, version: 3, registeredBy: 'ops' })
      .when({ ...hotline })
      .then();
  });

  it('a registration with every field right is the definition', () => {
    expect(checkTouchpointRegistration('hotline', body())).toEqual({ definition: hotline });
  });

  it.each([
    ['names', body({ names: 'Hotline' })],
    ['names.vi', body({ names: { en: 'Hotline' } })],
    ['names.en', body({ names: { vi: 'Tổng đài', en: 'x'.repeat(201) } })],
    ['names.fr', body({ names: { ...hotline.names, fr: 'Ligne' } })],
    ['channel', body({ channel: '' })],
    ['stage', body({ stage: 'loyalty' })],
    ['owner', body({ owner: 'o'.repeat(101) })],
    ['owner', body({ owner: 'cs\u0000kh' })],
    ['experienceType', body({ experienceType: 'smell' })],
    ['colour', body({ colour: 'red' })],
  ])('names the field that is wrong: %s', (field, request) => {
    expect(issuesOf('hotline', request)).toEqual([field]);
  });

  it('names every wrong field at once, and the touchpoint of the path', () => {
    expect(issuesOf('', { names: {}, stage: 'x' })).toEqual(['touchpoint', 'names.vi', 'names.en', 'channel', 'stage', 'owner', 'experienceType']);
  });

  it('a body that is not an object is refused, never read', () => {
    for (const request of [null, [], 'hotline', 42, undefined]) expect(issuesOf('hotline', request)).toEqual(['body']);
    expect(issuesOf('hotline', JSON.parse('{"__proto__": {"owner": "x"}}'))).toEqual(['__proto__', 'names', 'channel', 'stage', 'owner', 'experienceType']);
  });

  it('a stored registration reads back; anything else is not one', () => {
    expect(readTouchpointRegistered({ ...hotline, version: 2, registeredBy: 'ops' })).toEqual({ ...hotline, version: 2, registeredBy: 'ops' });
    expect(readTouchpointRegistered({ ...hotline, version: 0, registeredBy: 'ops' })).toBeNull();
    expect(readTouchpointRegistered({ ...hotline, experienceType: 'smell', version: 1, registeredBy: 'ops' })).toBeNull();
    expect(readTouchpointRegistered('hotline')).toBeNull();
  });
});
