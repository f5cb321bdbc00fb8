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

/** "Forgot your password?": the one field, in the same words as sign-up's. */
export const RESET_REQUEST_FIELDS: FieldSpecs = {
  email: 'Write your email address, like name@example.com.',
};

export const RESET_CONFIRM_FIELDS: FieldSpecs = {
  password: 'Choose a password of at least 10 characters.',
  confirmPassword: 'Write the same new password twice.',
};

/** Where the reset request goes: the "check your email" page, whatever the address. */
export const RESET_SENT = 'reset-sent';

/**
 * The confirm form's body for PasswordResetConfirmDto, and the page's own check that the new
 * password was typed the same twice (the API takes it once).
 */
export function resetConfirmInput(body: FormBody): {
  input: { token: string | undefined; password: string | undefined };
  errors: Record<string, string[]>;
} {
  const mismatch =
    body.password !== undefined &&
    body.password.length > 0 &&
    body.password !== (body.confirmPassword ?? '');
  return {
    input: { token: body.token, password: body.password },
    errors: mismatch ? { confirmPassword: ['the two passwords differ'] } : {},
  };
}
