import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';

export type ImageType = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif';

/**
 * An image the coach uploaded, as decoded and re-encoded by Mend (never the bytes she sent): its
 * size at full resolution, its type, and a default description. The bytes live in its variants.
 */
@Entity('images')
@Check('CHK_images_type', `"type" IN ('jpeg', 'png', 'webp', 'avif', 'gif')`)
@Check('CHK_images_size', `"width" > 0 AND "height" > 0`)
export class Image {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  type: ImageType;

  @Column({ type: 'integer' })
  width: number;

  @Column({ type: 'integer' })
  height: number;

  @Column({ type: 'text', default: '' })
  alt: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** One stored rendition of an image: a width in one type, immutable once written. */
@Entity('image_variants')
@Check('CHK_image_variants_type', `"type" IN ('jpeg', 'png', 'webp', 'avif', 'gif')`)
export class ImageVariant {
  @PrimaryColumn('uuid', { name: 'image_id' })
  imageId: string;

  @ManyToOne(() => Image, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'image_id' })
  image?: Image;

  @PrimaryColumn('integer')
  width: number;

  @PrimaryColumn('text')
  type: ImageType;

  @Column({ type: 'integer' })
  height: number;

  @Column({ type: 'bytea' })
  bytes: Buffer;

  /** A strong validator made from the bytes (quoted, as sent in the ETag header). */
  @Column({ type: 'text' })
  etag: string;
}
