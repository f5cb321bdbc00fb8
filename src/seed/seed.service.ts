import { Injectable, Logger } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service';
import { ProgramService } from '../program/program.service';
import { SchedulingService } from '../scheduling/scheduling.service';
import { ContentSeedService } from '../content/content-seed.service';
import { SiteService } from '../site/site.service';

export interface SeedReport {
  coachCreated: boolean;
  coachPasswordFile: string | null;
}

/**
 * Start-up seeding: the coach account always (from COACH_EMAIL / COACH_PASSWORD), and demo
 * content for each feature when its tables are empty.
 */
@Injectable()
export class SeedService {
  private readonly logger = new Logger(SeedService.name);

  constructor(
    private readonly accounts: AccountsService,
    private readonly program: ProgramService,
    private readonly scheduling: SchedulingService,
    private readonly content: ContentSeedService,
    private readonly site: SiteService,
  ) {}

  async run(): Promise<SeedReport> {
    const coach = await this.accounts.ensureCoach();
    if (await this.site.seedDemo())
      this.logger.log('demo site seeded: Steady Ground Coaching (a fictional practice)');
    if (await this.program.seedDemo())
      this.logger.log('demo program seeded: The Humble Pie 12 Steps');
    const coachUser = await this.accounts.coach();
    if (coachUser && (await this.scheduling.seedDemo(coachUser.id)))
      this.logger.log('demo scheduling seeded');
    await this.content.seedDemo();
    return { coachCreated: coach.created, coachPasswordFile: coach.passwordFile };
  }
}
