// Each scenario: { name, run(ctx) } pushing { budget, ok, detail } onto ctx.results.
import { bookingScenarios } from './bookings.mjs';
import { contentScenarios } from './content.mjs';
import { mailScenarios } from './mail.mjs';

export const scenarios = [...bookingScenarios, ...contentScenarios, ...mailScenarios];
