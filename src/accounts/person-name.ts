/**
 * How Mend addresses a person: by the name they prefer, when they gave one, else by their name.
 * Plain text: every template escapes it, and mail is text/plain, so markup in it stays text.
 */
export function addressName(person: { name: string; preferredName?: string | null }): string {
  const preferred = person.preferredName?.trim();
  return preferred ? preferred : person.name;
}

/** "Sam (they/them)" for the coach's pages, where pronouns help; just the name without them. */
export function nameWithPronouns(person: {
  name: string;
  preferredName?: string | null;
  pronouns?: string | null;
}): string {
  const pronouns = person.pronouns?.trim();
  return pronouns ? `${addressName(person)} (${pronouns})` : addressName(person);
}

/** Empty or whitespace-only optional text is "not given". */
export function optionalText(value: string | null | undefined): string | null {
  const t = value?.trim();
  return t ? t : null;
}
