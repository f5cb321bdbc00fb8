import { sessionTypeInput, sessionTypeValues, slugify, stepChoices } from './session-type-form';

describe('the session-type page form', () => {
  it('makes a web address from the name', () => {
    expect(slugify('Deep Dive: Éclair & Co.')).toBe('deep-dive-eclair-co');
    expect(slugify('  ---  ')).toBe('');
    expect(slugify('x'.repeat(79) + ' y')).toBe('x'.repeat(79));
  });

  it('converts money, hours and steps to the API, with safe defaults', () => {
    const { raw, errors } = sessionTypeInput({
      name: 'Walk',
      slug: '',
      durationMinutes: '50',
      price: '¥5000',
      currency: 'JPY',
      minimumNoticeHours: '',
      slotIntervalMinutes: 'duration',
    });
    expect(errors).toEqual({});
    expect(raw).toMatchObject({
      slug: 'walk',
      price: 5000,
      currency: 'jpy',
      minimumNoticeMinutes: 1440,
      slotIntervalMinutes: null,
      durationMinutes: 50,
    });
    expect(
      sessionTypeInput({
        name: 'x',
        currency: 'usd',
        minimumNoticeHours: '1.5',
        slotIntervalMinutes: '15',
      }).raw,
    ).toMatchObject({ minimumNoticeMinutes: 90, slotIntervalMinutes: 15 });
  });

  it('refuses what the page can tell is wrong, in its own fields', () => {
    const { errors } = sessionTypeInput({
      name: 'x',
      currency: 'xyz',
      price: '1.999',
      minimumNoticeHours: '-3',
    });
    expect(Object.keys(errors).sort()).toEqual(['currency', 'minimumNoticeHours', 'price']);
  });

  it('shows a saved type back in the form’s words', () => {
    const values = sessionTypeValues({
      id: 'x',
      name: 'A',
      slug: 'a',
      description: '',
      durationMinutes: 50,
      price: 9500,
      currency: 'usd',
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 10,
      minimumNoticeMinutes: 90,
      bookingWindowDays: 30,
      slotIntervalMinutes: 20,
      location: '',
      active: true,
      meeting: { kind: 'none' },
      intakeQuestions: [],
    });
    expect(values).toMatchObject({
      price: '95.00',
      minimumNoticeHours: '1.5',
      slotIntervalMinutes: '20',
    });
    expect(stepChoices(values.slotIntervalMinutes).map((c) => c.value)).toEqual([
      '15',
      '20',
      '30',
      '60',
      'duration',
    ]);
  });
});
