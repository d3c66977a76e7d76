import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CustomerCommand } from '@journeyline/journey';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';
import { MasterKeyError } from './master-key';
import { PersonalData } from './personal-data';
import { isSealed, keyIdOfSealed } from './sealed-value';
import { SqliteKeyVault } from './sqlite/sqlite-key-vault';

const AT = '2026-11-20T02:15:00.000Z';

const profile = (customerId: string, data: Extract<CustomerCommand, { type: 'ProfileCustomer' }>['data']): CustomerCommand => ({
  type: 'ProfileCustomer',
  eventId: `p-${customerId}`,
  customerId,
  occurredAt: AT,
  data,
});
const feedback = (customerId: string, comment?: string): CustomerCommand => ({
  type: 'RecordFeedback',
  eventId: `f-${customerId}`,
  customerId,
  occurredAt: AT,
  data: { kind: 'nps', score: 3, scale: '0-10', touchpoint: 'zalo-oa', ...(comment === undefined ? {} : { comment }) },
});
const ticket = (customerId: string, subject: string): CustomerCommand => ({
  type: 'OpenTicket',
  eventId: `t-${customerId}`,
  customerId,
  occurredAt: AT,
  data: { ticketId: 'tk-1', channel: 'hotline', subject },
});
const churn = (customerId: string, reason: string): CustomerCommand => ({
  type: 'RecordChurn',
  eventId: `c-${customerId}`,
  customerId,
  occurredAt: AT,
  data: { reason },
});
const visit = (customerId: string): CustomerCommand => ({
  type: 'RecordTouchpointVisit',
  eventId: `v-${customerId}`,
  customerId,
  occurredAt: AT,
  data: { touchpoint: 'web:pricing', channel: 'web', stage: 'evaluation', properties: { note: 'Nguyễn Văn An' } },
});
const purchase = (customerId: string): CustomerCommand => ({
  type: 'RecordPurchase',
  eventId: `o-${customerId}`,
  customerId,
  occurredAt: AT,
  data: { orderId: 'o-1', amount: 990000, currency: 'VND' },
});

const HUONG = { name: 'Nguyễn Thị Hương', email: 'huong.nguyen@example.vn', phone: '+84 912 345 678' };

describe('PersonalData', () => {
  let personal: PersonalData;
  beforeEach(() => {
    personal = localPersonalData();
  });
  afterEach(async () => {
    await personal.vault.close();
  });

  describe('sealCommands', () => {
    it('seals the name, email and phone of a profile and leaves its portrait fields as they are', async () => {
      const command = profile('c-1', { ...HUONG, segment: 'SME', region: 'Hà Nội', gender: 'female' });
      const [sealed] = await personal.sealCommands([command]);
      const { name, email, phone, ...rest } = sealed.data as Record<string, string>;
      for (const value of [name, email, phone]) expect(isSealed(value)).toBe(true);
      expect(rest).toEqual({ segment: 'SME', region: 'Hà Nội', gender: 'female' });
      expect({ ...sealed, data: {} }).toEqual({ ...command, data: {} });
      expect(keyIdOfSealed(name)).toBe((await personal.status('c-1'))!.keyId);
      expect(command.data).toEqual({ ...HUONG, segment: 'SME', region: 'Hà Nội', gender: 'female' }); // the command given is not changed
    });

    it("seals a feedback's comment, a ticket's subject and a churn's reason, and nothing else of them", async () => {
      const [given, opened, churned] = await personal.sealCommands([
        feedback('c-1', 'Nhân viên tư vấn nhiệt tình'),
        ticket('c-1', 'Không đăng nhập được'),
        churn('c-1', 'chuyển sang đối thủ'),
      ]);
      const { comment, ...feedbackRest } = given.data as Record<string, unknown>;
      expect(isSealed(comment)).toBe(true);
      expect(feedbackRest).toEqual({ kind: 'nps', score: 3, scale: '0-10', touchpoint: 'zalo-oa' });
      const { subject, ...ticketRest } = opened.data as Record<string, unknown>;
      expect(isSealed(subject)).toBe(true);
      expect(ticketRest).toEqual({ ticketId: 'tk-1', channel: 'hotline' });
      expect(isSealed((churned.data as Record<string, unknown>).reason)).toBe(true);
    });

    it('leaves commands without personal fields as the very same objects, and makes no key for them', async () => {
      const commands = [visit('c-1'), purchase('c-1'), feedback('c-1'), profile('c-1', { segment: 'SME' })];
      const result = await personal.sealCommands(commands);
      expect(result).toHaveLength(commands.length);
      result.forEach((command, i) => expect(command).toBe(commands[i]));
      expect(await personal.status('c-1')).toBeNull();
    });

    it('leaves the other commands of a batch as the very same objects', async () => {
      const commands = [visit('c-1'), profile('c-1', HUONG), purchase('c-1')];
      const result = await personal.sealCommands(commands);
      expect(result[0]).toBe(commands[0]);
      expect(result[1]).not.toBe(commands[1]);
      expect(result[2]).toBe(commands[2]);
    });

    it('seals the same value twice to the same text', async () => {
      const [first] = await personal.sealCommands([profile('c-1', HUONG)]);
      const [second] = await personal.sealCommands([profile('c-1', HUONG)]);
      expect(second.data).toEqual(first.data);
    });

    it('seals each customer with a key of their own', async () => {
      const [one, two] = await personal.sealCommands([profile('c-1', HUONG), profile('c-2', HUONG)]);
      const keyOne = keyIdOfSealed((one.data as Record<string, string>).name);
      const keyTwo = keyIdOfSealed((two.data as Record<string, string>).name);
      expect(keyOne).not.toBeNull();
      expect(keyTwo).not.toBe(keyOne);
      expect((two.data as Record<string, string>).name).not.toBe((one.data as Record<string, string>).name);
    });

    it('seals the portrait fields a deployment declares personal', async () => {
      const withGender = new PersonalData(personal.vault, { masterKey: null, personalPortrait: ['gender'] });
      const [sealed] = await withGender.sealCommands([profile('c-1', { gender: 'female', segment: 'SME' })]);
      const data = sealed.data as Record<string, string>;
      expect(isSealed(data.gender)).toBe(true);
      expect(data.segment).toBe('SME');
      expect(await withGender.reveal(data)).toEqual({ gender: 'female', segment: 'SME' });
    });
  });

  describe('reveal', () => {
    it('opens sealed values anywhere in a nested answer', async () => {
      const [profiled, given, opened] = await personal.sealCommands([
        profile('c-1', { ...HUONG, segment: 'SME' }),
        feedback('c-1', 'Giao hàng chậm'),
        ticket('c-2', 'Hoàn tiền'),
      ]);
      const answer = {
        journeys: [
          { customerId: 'c-1', profile: profiled.data, feedback: [given.data], eventCount: 2, erased: false },
          { customerId: 'c-2', tickets: [[opened.data]], lastSeenAt: AT },
        ],
        total: 2,
        next: null,
      };
      expect(await personal.reveal(answer)).toEqual({
        journeys: [
          {
            customerId: 'c-1',
            profile: { ...HUONG, segment: 'SME' },
            feedback: [{ kind: 'nps', score: 3, scale: '0-10', touchpoint: 'zalo-oa', comment: 'Giao hàng chậm' }],
            eventCount: 2,
            erased: false,
          },
          { customerId: 'c-2', tickets: [[{ ticketId: 'tk-1', channel: 'hotline', subject: 'Hoàn tiền' }]], lastSeenAt: AT },
        ],
        total: 2,
        next: null,
      });
      expect(isSealed((profiled.data as Record<string, string>).name)).toBe(true); // a copy: the answer given keeps its sealed values
    });

    it('returns the very same object when nothing in it is sealed', async () => {
      const answer = { customerId: 'c-1', profile: { segment: 'SME', name: 'not sealed' }, tags: ['a', 'b'], at: new Date(AT) };
      expect(await personal.reveal(answer)).toBe(answer);
    });

    it('opens a sealed string given on its own', async () => {
      const [sealed] = await personal.sealCommands([churn('c-1', 'giá cao')]);
      expect(await personal.reveal((sealed.data as Record<string, string>).reason)).toBe('giá cao');
    });

    it('reads a value sealed with a key the vault does not hold as null', async () => {
      const elsewhere = localPersonalData();
      try {
        const [sealed] = await elsewhere.sealCommands([churn('c-1', 'giá cao')]);
        expect(await personal.reveal(sealed.data)).toEqual({ reason: null });
      } finally {
        await elsewhere.vault.close();
      }
    });
  });

  describe('erase', () => {
    it("makes the customer's values read as null while another customer's still open", async () => {
      const [erased, kept] = await personal.sealCommands([profile('c-1', HUONG), profile('c-2', HUONG)]);
      const outcome = await personal.erase('c-1', new Date(AT));
      expect(outcome.destroyed).toBe(true);
      expect(await personal.reveal([erased.data, kept.data])).toEqual([{ name: null, email: null, phone: null }, HUONG]);
    });

    it('drops the personal fields of commands for an erased customer instead of sealing them', async () => {
      await personal.sealCommands([profile('c-1', HUONG)]);
      await personal.erase('c-1');
      const [profiled, given, other] = await personal.sealCommands([
        profile('c-1', { ...HUONG, segment: 'SME' }),
        feedback('c-1', 'Tôi muốn xoá dữ liệu'),
        profile('c-2', HUONG),
      ]);
      expect(profiled.data).toEqual({ segment: 'SME' });
      expect(given.data).toEqual({ kind: 'nps', score: 3, scale: '0-10', touchpoint: 'zalo-oa' });
      expect(isSealed((other.data as Record<string, string>).name)).toBe(true);
    });

    it('drops them too when another PersonalData on the same vault (another process) erased the customer after this one sealed with the key', async () => {
      const elsewhere = new PersonalData(personal.vault, { masterKey: null, personalPortrait: [] });
      const [before] = await personal.sealCommands([profile('c-1', HUONG)]);
      await elsewhere.erase('c-1');
      const [after] = await personal.sealCommands([profile('c-1', { ...HUONG, segment: 'SME' })]);
      expect(after.data).toEqual({ segment: 'SME' });
      expect(await personal.reveal(before.data)).toEqual({ name: null, email: null, phone: null });
    });

    it('a customer erased before any personal data was sent for them never gets a key', async () => {
      const outcome = await personal.erase('c-new', new Date(AT));
      expect(outcome.destroyed).toBe(false);
      const [profiled] = await personal.sealCommands([profile('c-new', { ...HUONG, region: 'Đà Nẵng' })]);
      expect(profiled.data).toEqual({ region: 'Đà Nẵng' });
    });
  });

  describe('status', () => {
    it('gives the key id and the dates, never the key', async () => {
      expect(await personal.status('c-1')).toBeNull();
      const [sealed] = await personal.sealCommands([profile('c-1', HUONG)]);
      const status = await personal.status('c-1');
      expect(status).toEqual({ keyId: keyIdOfSealed((sealed.data as Record<string, string>).name), createdAt: expect.any(String), erasedAt: null });
      expect(Object.keys(status!).sort()).toEqual(['createdAt', 'erasedAt', 'keyId']);

      await personal.erase('c-1', new Date(AT));
      expect((await personal.status('c-1'))!.erasedAt).toBe(AT);
    });
  });

  describe('with a master key', () => {
    const masterKey = randomBytes(32);

    it('stores the data keys wrapped, and values still open', async () => {
      const wrapped = new PersonalData(personal.vault, { masterKey, personalPortrait: [] });
      const [sealed] = await wrapped.sealCommands([profile('c-1', HUONG)]);
      const row = await personal.vault.find('c-1');
      expect(row!.material).toHaveLength(61);
      expect(await wrapped.reveal(sealed.data)).toEqual(HUONG);
    });

    it('a PersonalData without the master key cannot open them: MasterKeyError', async () => {
      const wrapped = new PersonalData(personal.vault, { masterKey, personalPortrait: [] });
      const [sealed] = await wrapped.sealCommands([profile('c-1', HUONG)]);
      await expect(personal.reveal(sealed.data)).rejects.toThrow(MasterKeyError);
      await expect(personal.sealCommands([profile('c-1', HUONG)])).rejects.toThrow(MasterKeyError);
    });

    it('keys made before the master key was configured still open', async () => {
      const [before] = await personal.sealCommands([profile('c-1', HUONG)]);
      const wrapped = new PersonalData(personal.vault, { masterKey, personalPortrait: [] });
      expect(await wrapped.reveal(before.data)).toEqual(HUONG);
    });
  });
});

describe('PersonalData over a vault in a file', () => {
  it('keeps opening values after the vault is closed and opened again', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'journeyline-personal-data-'));
    try {
      const file = join(directory, 'keys.db');
      const first = new PersonalData(SqliteKeyVault.open(file), { masterKey: null, personalPortrait: [] });
      const [sealed] = await first.sealCommands([profile('c-1', HUONG)]);
      await first.vault.close();
      const reopened = new PersonalData(SqliteKeyVault.open(file), { masterKey: null, personalPortrait: [] });
      try {
        expect(await reopened.reveal(sealed.data)).toEqual(HUONG);
      } finally {
        await reopened.vault.close();
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
