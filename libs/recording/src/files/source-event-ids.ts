/**
 * Ids a source derives for an event sent without one (`import <hash> <line>`, `kafka <topic>
 * <partition> <offset>`, `segment ...`): the wire format refuses them from a client, since they are
 * Journeyline's own namespace. An export writes such events with their id, and a file import
 * (admin only) keeps it, so that exported events import again as the same events (the same ids in
 * journeys, nothing counted twice). Ids the domain derives (stage changes, churn-risk episodes)
 * are never taken from a file: those events are not exported, the importing store derives them.
 */
const SOURCE_ID = /^(import|kafka|segment)( [^\s]{1,200}){1,6}$/;

export function isSourceDerivedEventId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 512 && SOURCE_ID.test(value);
}
