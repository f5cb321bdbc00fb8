import { addressName, nameWithPronouns, optionalText } from './person-name';

describe('person names', () => {
  it('addresses people by their preferred name when they gave one', () => {
    expect(addressName({ name: 'Samantha Rivera', preferredName: 'Sam' })).toBe('Sam');
    expect(addressName({ name: 'Samantha Rivera', preferredName: '  ' })).toBe('Samantha Rivera');
    expect(addressName({ name: 'Samantha Rivera', preferredName: null })).toBe('Samantha Rivera');
    expect(addressName({ name: 'Samantha Rivera' })).toBe('Samantha Rivera');
  });

  it('adds pronouns for the coach only when given', () => {
    expect(nameWithPronouns({ name: 'A', preferredName: 'Sam', pronouns: 'they/them' })).toBe(
      'Sam (they/them)',
    );
    expect(nameWithPronouns({ name: 'A', preferredName: null, pronouns: '' })).toBe('A');
  });

  it('treats blank optional text as not given', () => {
    expect(optionalText(' x ')).toBe('x');
    expect(optionalText('   ')).toBeNull();
    expect(optionalText(undefined)).toBeNull();
  });
});
