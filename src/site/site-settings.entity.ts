import {
  Check,
  Column,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Image } from '../images/image.entity';

export interface SiteLink {
  label: string;
  url: string;
}

/** The practice's own identity: one row (id 1) that names, signs and describes the whole site. */
@Entity('site_settings')
@Check('CHK_site_settings_single', '"id" = 1')
export class SiteSettings {
  @PrimaryColumn('smallint', { default: 1 })
  id: number;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', default: '' })
  tagline: string;

  @Column({ name: 'coach_name', type: 'text' })
  coachName: string;

  @Column({ type: 'text', default: '' })
  bio: string;

  /** Her photo; an image in use can't be deleted (the foreign key says so). */
  @Column({ name: 'photo_image_id', type: 'uuid', nullable: true })
  photoImageId: string | null;

  @ManyToOne(() => Image, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'photo_image_id' })
  photo?: Image;

  /** Markdown for /about (rendered through the sanitising renderer). */
  @Column({ name: 'about_markdown', type: 'text', default: '' })
  aboutMarkdown: string;

  @Column({ type: 'text', default: '' })
  footer: string;

  @Column({ name: 'contact_email', type: 'text', default: '' })
  contactEmail: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  links: SiteLink[];

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
