import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import moduleBoundaries from './module-boundaries.mjs';

/** The import-boundary rule that `npm run check` runs over src/. */
describe('mend/module-boundaries', () => {
  const linter = new Linter({ cwd: '/repo' });
  const config = [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser },
      plugins: { mend: { rules: { 'module-boundaries': moduleBoundaries } } },
      rules: { 'mend/module-boundaries': 'error' as const },
    },
  ];
  const problems = (filename: string, code: string) =>
    linter.verify(code, config, { filename }).map((m) => m.message);

  it("refuses another module's entity or repository", () => {
    expect(
      problems(
        '/repo/src/bookings/bookings.service.ts',
        "import { SessionType } from '../scheduling/session-type.entity';",
      ),
    ).toEqual([
      "src/bookings must not import scheduling/session-type.entity: ask the scheduling module's exported service or a port instead.",
    ]);
    expect(
      problems(
        '/repo/src/content/x.service.ts',
        "import { BookingsRepository } from '../bookings/bookings.repository';",
      ),
    ).toHaveLength(1);
    expect(
      problems(
        '/repo/src/content/x.service.ts',
        "export { Post } from '../program/program.entity';",
      ),
    ).toHaveLength(1);
  });

  it('allows its own tables, exported services, entity relations and the entity list', () => {
    expect(
      problems(
        '/repo/src/content/comments/comments.service.ts',
        "import { Post } from '../posts/post.entity';",
      ),
    ).toEqual([]);
    expect(
      problems(
        '/repo/src/bookings/bookings.service.ts',
        "import { SchedulingService } from '../scheduling/scheduling.service';",
      ),
    ).toEqual([]);
    expect(
      problems(
        '/repo/src/bookings/booking.entity.ts',
        "import { SessionType } from '../scheduling/session-type.entity';",
      ),
    ).toEqual([]);
    expect(
      problems(
        '/repo/src/database/entities.ts',
        "import { Booking } from '../bookings/booking.entity';",
      ),
    ).toEqual([]);
    // src/database's repositories hold no module's table (the statement runner, the cluster).
    expect(
      problems(
        '/repo/src/mail/mail-outbox.repository.ts',
        "import { runStatement } from '../database/statements.repository';",
      ),
    ).toEqual([]);
  });

  it('keeps common/ free of features', () => {
    expect(
      problems(
        '/repo/src/common/http-exception.filter.ts',
        "import { renderBarePage } from '../web/page';",
      ),
    ).toEqual(['src/common holds shared pieces and must not import the web feature (web/page).']);
    expect(
      problems('/repo/src/common/x.ts', "import { AppConfig } from '../config/config';"),
    ).toEqual([]);
  });
});
