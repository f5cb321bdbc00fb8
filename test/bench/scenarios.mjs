// Each feature adds its scenario here: { name, run(ctx) } pushing { budget, ok, detail } to ctx.results.
export const scenarios = [];
