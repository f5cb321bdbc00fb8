import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { renderMarkdown } from '../common/markdown';
import { validationFailed } from '../common/validation';
import { ImagesService, PictureView } from '../images/images.service';
import { PublicCache } from '../public-cache/public-cache.service';
import { setSiteProvider } from '../web/page';
import { SiteDto, UpdateSiteDto } from './dto/site.dto';
import { CRISIS_NOTE, DEFAULT_SITE, DEMO_SITE, fromWithName, SiteIdentity } from './site-defaults';
import { SiteRepository } from './site.repository';

/** The site as pages show it: the identity plus her photo and the About page, rendered. */
export interface SiteView extends SiteIdentity {
  photo: PictureView | null;
  photoUrl: string | null;
  aboutHtml: string;
}

/** Called after the site settings change (e.g. to drop cached pages that show them). */
export type SiteChangeListener = (site: SiteView) => void | Promise<void>;

/** How long one instance reuses what it read (other instances see a change within this time). */
const CACHE_MS = 5_000;

@Injectable()
export class SiteService implements OnModuleInit {
  private readonly logger = new Logger(SiteService.name);
  private cached: { view: SiteView; until: number } | null = null;
  private readonly listeners: SiteChangeListener[] = [];

  constructor(
    private readonly site: SiteRepository,
    private readonly images: ImagesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly publicCache: PublicCache,
  ) {}

  onModuleInit(): void {
    // Every page's layout is headed by the site (web/page.ts asks through this provider).
    setSiteProvider(() => this.current());
    // A trigger bumps the public content version when the settings change; an instance that sees
    // the new version must not re-render its cached pages from its own older copy.
    this.publicCache.onVersionChange(() => {
      this.cached = null;
    });
  }

  /**
   * The hook for anything that caches what the site settings show (a public page cache, say):
   * `listener` runs after every successful save, with the new settings.
   */
  onChange(listener: SiteChangeListener): void {
    this.listeners.push(listener);
  }

  async current(): Promise<SiteView> {
    const now = Date.now();
    if (this.cached && this.cached.until > now) return this.cached.view;
    const row = await this.site.load();
    const identity: SiteIdentity = row
      ? {
          name: row.name,
          tagline: row.tagline,
          coachName: row.coachName,
          bio: row.bio,
          photoImageId: row.photoImageId,
          aboutMarkdown: row.aboutMarkdown,
          footer: row.footer,
          contactEmail: row.contactEmail,
          links: row.links,
        }
      : DEFAULT_SITE;
    const photo = await this.images.picture(identity.photoImageId);
    const view: SiteView = {
      ...identity,
      footer: identity.footer || CRISIS_NOTE,
      photo,
      photoUrl: photo ? photo.near(480).url : null,
      aboutHtml: renderMarkdown(identity.aboutMarkdown),
    };
    this.cached = { view, until: now + CACHE_MS };
    return view;
  }

  async get(): Promise<SiteDto> {
    return toDto(await this.current());
  }

  async update(dto: UpdateSiteDto): Promise<SiteDto> {
    const photoImageId = dto.photoImageId ?? null;
    if (photoImageId && !(await this.images.exists(photoImageId))) {
      throw validationFailed({ photoImageId: ['photoImageId must be an uploaded image id'] });
    }
    await this.site.save({
      name: dto.name,
      tagline: dto.tagline ?? '',
      coachName: dto.coachName,
      bio: dto.bio ?? '',
      photoImageId,
      aboutMarkdown: dto.aboutMarkdown ?? '',
      footer: dto.footer || CRISIS_NOTE,
      contactEmail: dto.contactEmail ?? '',
      links: (dto.links ?? []).map((l) => ({ label: l.label, url: l.url })),
    });
    this.cached = null;
    const view = await this.current();
    for (const listener of this.listeners) {
      // The settings are saved; a listener that fails (a cache it couldn't clear) is logged, not the coach's problem.
      try {
        await listener(view);
      } catch (e) {
        this.logger.warn(
          { err: { message: e instanceof Error ? e.message : String(e) } },
          'a site-change listener failed',
        );
      }
    }
    return toDto(view);
  }

  /** The demo practice, written only when the site was never set. */
  async seedDemo(): Promise<boolean> {
    const created = await this.site.insertIfMissing(DEMO_SITE);
    if (created) this.cached = null;
    return created;
  }

  /** The From header for outgoing mail: MAIL_FROM's address with the practice's name. */
  async mailFrom(): Promise<string> {
    return fromWithName(this.config.mail.from, (await this.current()).name);
  }

  /** The line that signs every mail, e.g. "Ruth Calder · Steady Ground Coaching". */
  async mailSignature(): Promise<string> {
    const site = await this.current();
    return site.coachName && site.coachName !== site.name
      ? `${site.coachName} · ${site.name}`
      : site.name;
  }
}

function toDto(v: SiteView): SiteDto {
  return {
    name: v.name,
    tagline: v.tagline,
    coachName: v.coachName,
    bio: v.bio,
    photoUrl: v.photoUrl,
    photoImageId: v.photoImageId,
    aboutMarkdown: v.aboutMarkdown,
    footer: v.footer,
    contactEmail: v.contactEmail,
    links: v.links,
  };
}
