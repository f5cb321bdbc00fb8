import { User } from './user.entity';

/**
 * "The coach", stated once. Mend runs one practice: its coach is the account whose role is
 * `coach` (ensured at start-up from COACH_EMAIL; should there ever be more than one, the oldest).
 * `isCoach` answers it for a viewer already loaded; `AccountsService.coach()` / `coachId()` load
 * the account (UsersRepository.theCoach holds the query). Other modules ask these, never the
 * users table.
 */
export function isCoach(viewer: Pick<User, 'role'> | null | undefined): boolean {
  return viewer?.role === 'coach';
}
