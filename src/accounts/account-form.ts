/**
 * The account page's "About you" form as pure functions: each field refused in plain words, the
 * values it shows, and the body as PATCH /api/me's DTO reads it. The zone is a list of places
 * (the same as the coach's picker), with "not set" first: her sessions then show in their own zone.
 */
import type { FieldSpecs, FormBody } from '../web/forms';
import { isPlaceZone, ZONE_RENAMES, zoneGroups } from '../web/time-zones';

export const LOGIN_FIELDS: FieldSpecs = {
  email: 'Write the email address you signed up with.',
  password: 'Write your password.',
};

export const SIGNUP_FIELDS: FieldSpecs = {
  name: 'Write your name, on one line (at most 120 characters).',
  preferredName: 'Keep your preferred name to one line of at most 80 characters.',
  pronouns: 'Keep your pronouns to one line of at most 40 characters.',
  email: 'Write your email address, like name@example.com.',
  password: 'Choose a password of at least 10 characters.',
};

/** Where sign-up goes for someone who booked before: the "check your email" page. */
export const CHECK_EMAIL = 'check-email';

/** The sign-up body for SignupDto (a blank optional field is "not given"). */
export function signupInput(body: FormBody) {
  return {
    name: body.name,
    email: body.email,
    password: body.password,
    preferredName: body.preferredName?.trim() || undefined,
    pronouns: body.pronouns?.trim() || undefined,
  };
}

export const PROFILE_FIELDS: FieldSpecs = {
  name: 'Write your name, on one line (at most 120 characters).',
  preferredName: 'Keep your preferred name to one line of at most 80 characters.',
  pronouns: 'Keep your pronouns to one line of at most 40 characters.',
  timeZone: 'Choose the city nearest you from the list.',
};

export interface ProfileValues {
  name: string;
  preferredName: string;
  pronouns: string;
  timeZone: string;
}

export function profileValues(user: {
  name: string;
  preferredName?: string | null;
  pronouns?: string | null;
  timeZone?: string | null;
}): ProfileValues {
  return {
    name: user.name,
    preferredName: user.preferredName ?? '',
    pronouns: user.pronouns ?? '',
    timeZone: user.timeZone ?? '',
  };
}

/** The body for UpdateProfileDto; a zone that is no place (e.g. `EST`) is refused by the page. */
export function profileInput(body: FormBody): {
  input: Record<string, string | null>;
  errors: Record<string, string[]>;
} {
  const zone = body.timeZone?.trim() || null;
  return {
    input: {
      name: body.name ?? '',
      preferredName: body.preferredName ?? '',
      pronouns: body.pronouns ?? '',
      timeZone: zone ? (ZONE_RENAMES[zone] ?? zone) : null,
    },
    errors: zone && !isPlaceZone(zone) ? { timeZone: ['not a place zone'] } : {},
  };
}

/** The zone list for the form, with a zone saved earlier that it doesn't offer kept visible. */
export function zoneChoicesFor(current: string, at: Date) {
  return {
    zoneGroups: zoneGroups(at),
    otherZone: current && !isPlaceZone(current) ? { value: current, label: current } : null,
  };
}
