import * as fs from 'node:fs';
import * as path from 'node:path';
import { SqliteEventStore } from '@journeyline/event-store';
import { importFile } from '../apps/cli/src/commands/import.command';
import { buildCli } from '../apps/cli/src/main';
import { tempDataDir } from './support/running-server';

describe('journeyline CLI (e2e)', () => {
  const dataDir = tempDataDir('journeyline-cli-');
  const env = { JOURNEYLINE_DATA_DIR: dataDir };
  const count = async () => {
    const store = SqliteEventStore.open(path.join(dataDir, 'journeyline.db'));
    const head = await store.headPosition();
    await store.close();
    return head;
  };

  it('imports NDJSON: good lines stored, bad lines set aside with the reason, a re-run adds nothing', async () => {
    const file = path.join(dataDir, 'events.ndjson');
    fs.writeFileSync(
      file,
      [
        JSON.stringify({
          type: 'touchpoint.visited',
          customerId: 'imp-1',
          occurredAt: '2026-11-01T10:00:00+07:00',
          data: { touchpoint: 'zalo-oa', channel: 'social', stage: 'awareness' },
        }),
        '{"type": "touchpoint.visited", broken',
        JSON.stringify({ type: 'feedback.given', customerId: 'imp-1', occurredAt: '2026-11-02T10:00:00+07:00', data: { kind: 'nps', score: 11 } }),
        JSON.stringify({
          type: 'touchpoint.visited',
          customerId: 'imp-1',
          occurredAt: '2026-11-03T10:00:00+07:00',
          data: { touchpoint: 'web:pricing', channel: 'web', stage: 'loyalty' },
        }),
        '',
        JSON.stringify({
          eventId: 'imp-e5',
          type: 'purchase.made',
          customerId: 'imp-2',
          occurredAt: '2026-11-04T10:00:00+07:00',
          data: { orderId: 'o-1', amount: 250000 },
        }),
      ].join('\n'),
    );
    const first = await importFile(file, 'ndjson', 2, env);
    expect(first).toMatchObject({ stored: 2, rejected: 3 });
    const rejected = fs
      .readFileSync(first.rejectedFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejected.map((r) => [r.line, r.reason.split(':')[0]]).sort()).toEqual([
      [2, 'malformed JSON'],
      [3, 'feedback-score-outside-scale'],
      [4, 'data.stage'],
    ]);
    const stored = await count();
    const second = await importFile(file, 'ndjson', 1000, env);
    expect(second).toMatchObject({ stored: 0, duplicates: 2 });
    expect(await count()).toBe(stored);
  });

  it('imports CSV with data fields as columns', async () => {
    const file = path.join(dataDir, 'feedback.csv');
    fs.writeFileSync(
      file,
      'type,customerId,occurredAt,kind,score,scale,touchpoint,channel,comment\n' +
        'feedback.given,csv-1,2026-11-05T09:00:00+07:00,csat,yes,yes-no,hotline,phone,"Nhân viên hỗ trợ nhanh, thân thiện"\n' +
        'feedback.given,csv-2,2026-11-05T09:00:00+07:00,ces,6,1-7,app:checkout,mobile,\n',
    );
    expect(await importFile(file, 'csv', 1000, env)).toMatchObject({ stored: 2, rejected: 0 });
  });

  it('seeds demo data and rebuilds the projections from the log', async () => {
    const saved = process.env.JOURNEYLINE_DATA_DIR;
    process.env.JOURNEYLINE_DATA_DIR = dataDir;
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await buildCli().parseAsync(['node', 'journeyline', 'seed', '--customers', '60']);
      expect(log.mock.calls.flat().join(' ')).toMatch(/seeded: 60 customers, \d+ new events/);
      const afterSeed = await count();
      await buildCli().parseAsync(['node', 'journeyline', 'seed', '--customers', '60']);
      expect(await count()).toBe(afterSeed);
      await buildCli().parseAsync(['node', 'journeyline', 'rebuild']);
      expect(log.mock.calls.flat().join(' ')).toMatch(/rebuilt: \d+ events/);
    } finally {
      log.mockRestore();
      process.env.JOURNEYLINE_DATA_DIR = saved;
    }
  });
});
