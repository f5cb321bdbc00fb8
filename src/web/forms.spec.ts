import { DomainError } from '../common/errors';
import { domainFormErrors, formErrors, plainSentence } from './forms';

describe('page-form errors', () => {
  const specs = {
    name: { id: 'st-name', message: 'Give the session a name.' },
    slug: { id: 'st-slug', message: 'Use lower-case letters, digits and hyphens (at most 80).' },
    price: { id: 'st-price' },
    weekly: { id: 'day1-start-0', message: 'Hours overlap.' },
  };

  it('gives each field one plain sentence instead of the validator text, and orders the summary as the form', () => {
    const errors = formErrors(
      {
        price: ['Enter at most 2 decimal places, for example 95.00'],
        slug: [
          'slug must be shorter than or equal to 80 characters',
          'slug must be lower-case letters, digits and dashes',
        ],
        name: ['name must be longer than or equal to 1 characters'],
      },
      specs,
    );
    expect(errors.fields).toEqual({
      'st-name': 'Give the session a name.',
      'st-slug': 'Use lower-case letters, digits and hyphens (at most 80).',
      'st-price': 'Enter at most 2 decimal places, for example 95.00.',
    });
    expect(errors.summary.map((s) => s.href)).toEqual(['#st-name', '#st-slug', '#st-price']);
  });

  it('finds the nearest field for nested keys and keeps unknown ones readable', () => {
    const errors = formErrors(
      {
        'weekly.weekday1.0': ['end must be after start'],
        'other.thing': ['other.thing must be a string'],
      },
      specs,
    );
    expect(errors.fields['day1-start-0']).toBe('Hours overlap.');
    expect(errors.fields['other.thing']).toBe('Must be a string.');
  });

  it('renames API keys to page fields', () => {
    const errors = formErrors(
      { 'weekly.weekday3.0': ['end must be after start'] },
      { 'day3-end-0': 'Wednesday: the end must be after the start.' },
      (k) => (k === 'weekly.weekday3.0' ? 'day3-end-0' : k),
    );
    expect(errors.summary).toEqual([
      { href: '#day3-end-0', text: 'Wednesday: the end must be after the start.' },
    ]);
  });

  it('maps a domain error by its details, its code, or to the summary alone', () => {
    expect(
      domainFormErrors(new DomainError('VALIDATION_FAILED', 'x', { slug: ['bad'] }), specs).fields,
    ).toEqual({ 'st-slug': specs.slug.message });
    expect(
      domainFormErrors(new DomainError('CONFLICT', 'Taken.'), specs, undefined, {
        CONFLICT: 'slug',
      }),
    ).toEqual({
      fields: { 'st-slug': 'Taken.' },
      summary: [{ href: '#st-slug', text: 'Taken.' }],
    });
    expect(
      domainFormErrors(new DomainError('CONFLICT', 'Taken.'), specs, undefined, {
        CONFLICT: { field: 'slug', message: 'Choose another.' },
      }).fields,
    ).toEqual({
      'st-slug': 'Choose another.',
    });
    expect(domainFormErrors(new DomainError('SLOT_TAKEN', 'Someone was quicker.'), specs)).toEqual({
      fields: {},
      summary: [{ href: null, text: 'Someone was quicker.' }],
    });
  });

  it('makes a sentence of a validator message', () => {
    expect(plainSentence('durationMinutes', 'durationMinutes must not be greater than 480')).toBe(
      'Must not be greater than 480.',
    );
    expect(plainSentence('a.b', 'b is wrong.')).toBe('Is wrong.');
  });
});
