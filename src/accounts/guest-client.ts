import { normalizeEmail } from '../common/tokens';
import { optionalText } from './person-name';

/** A guest's client record as booking creates it (email normalised, texts trimmed or null). */
export interface GuestClient {
  email: string;
  name: string;
  timeZone: string | null;
  preferredName: string | null;
  pronouns: string | null;
}

/** What a booking may say about how the person likes to be addressed. */
export interface ClientProfile {
  preferredName?: string | null;
  pronouns?: string | null;
}

/** A client's id and how they are addressed. */
export interface ClientRecord {
  id: string;
  preferredName: string | null;
  pronouns: string | null;
}

/** The guest record's fields as given with a booking, normalised as every client record stores them. */
export function guestClient(
  rawEmail: string,
  name: string,
  timeZone: string | undefined,
  profile: ClientProfile,
): GuestClient {
  return {
    email: normalizeEmail(rawEmail),
    name: name.trim(),
    timeZone: timeZone ?? null,
    preferredName: optionalText(profile.preferredName),
    pronouns: optionalText(profile.pronouns),
  };
}
