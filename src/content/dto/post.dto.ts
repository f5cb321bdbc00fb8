import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { SLUG_PATTERN } from '../posts/slug';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
const normalizeTags = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value)
    ? value.map((t) => (typeof t === 'string' ? t.trim().toLowerCase() : t))
    : value;

export class CreatePostDto {
  @ApiProperty({ example: 'Repair Over Perfection', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'title is required' })
  @MaxLength(200)
  title: string;

  @ApiPropertyOptional({
    description: 'Made from the title when left out; lower-case words joined by dashes.',
    example: 'repair-over-perfection',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(120)
  @Matches(SLUG_PATTERN, {
    message: 'slug may hold only lower-case letters, digits and single dashes',
  })
  slug?: string;

  @ApiPropertyOptional({ maxLength: 500, description: 'Made from the body when left out.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  excerpt?: string;

  @ApiProperty({ description: 'Markdown', maxLength: 100000 })
  @IsString()
  @MaxLength(100_000)
  body: string;

  @ApiPropertyOptional({ type: [String], example: ['repair', 'rest'] })
  @IsOptional()
  @Transform(normalizeTags)
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  @Matches(/^[a-z0-9][a-z0-9 -]*$/, {
    each: true,
    message: 'tags may hold letters, digits, spaces and dashes',
  })
  tags?: string[];

  @ApiPropertyOptional({
    nullable: true,
    description: 'An uploaded image (POST /api/images); null removes the cover',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID('all', { message: 'coverImageId must be an uploaded image id' })
  coverImageId?: string | null;

  @ApiPropertyOptional({
    maxLength: 300,
    nullable: true,
    description: 'What the cover shows; required with a cover before publishing',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Transform(trim)
  @IsString()
  @MaxLength(300)
  coverAlt?: string | null;
}

/** Every field of a new post, each optional (same rules, one place). */
export class UpdatePostDto extends PartialType(CreatePostDto) {}

export class PublishPostDto {
  @ApiPropertyOptional({
    default: false,
    description: 'Mail every confirmed subscriber (once per post, ever).',
  })
  @IsOptional()
  @IsBoolean()
  notifySubscribers?: boolean;

  @ApiPropertyOptional({
    example: '2026-12-24T08:00:00Z',
    description:
      'Publish later, at this instant (once, across instances); in the past or left out: now',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'publishAt must be an ISO 8601 date and time' })
  publishAt?: string;
}

export class ListPostsQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  page?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  tag?: string;

  @ApiPropertyOptional({
    enum: ['published', 'draft', 'all'],
    description: 'draft and all: the coach only',
  })
  @IsOptional()
  @IsIn(['published', 'draft', 'all'])
  status?: 'published' | 'draft' | 'all';
}

export class RatingSummaryDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 4.5,
    description: 'One decimal; null when nobody has rated yet.',
  })
  average: number | null;
  @ApiProperty() count: number;
}

export class PostSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty() slug: string;
  @ApiProperty() title: string;
  @ApiProperty() excerpt: string;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ nullable: true }) coverImageId: string | null;
  @ApiProperty({ nullable: true }) coverAlt: string | null;
  @ApiProperty({
    nullable: true,
    description: 'The cover at full size (variants: GET /api/images/:id)',
  })
  coverUrl: string | null;
  @ApiProperty({ nullable: true, description: 'When a scheduled draft will be published' })
  publishAt: string | null;
  @ApiProperty({ enum: ['draft', 'published'] }) status: 'draft' | 'published';
  @ApiProperty({ nullable: true }) publishedAt: string | null;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ type: RatingSummaryDto }) rating: RatingSummaryDto;
  @ApiProperty({ description: 'Approved comments' }) commentCount: number;
}

export class PostDto extends PostSummaryDto {
  @ApiProperty({ description: 'Markdown source' }) body: string;
  @ApiProperty({ description: 'Sanitised HTML rendered from the Markdown' }) html: string;
  @ApiProperty({ nullable: true, description: 'When subscribers were (or are being) mailed' })
  notifiedAt: string | null;
}

export class PostListDto {
  @ApiProperty({ type: [PostSummaryDto] }) posts: PostSummaryDto[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
  @ApiProperty() totalPages: number;
}

export class RatingResultDto {
  @ApiProperty({ type: RatingSummaryDto }) rating: RatingSummaryDto;
  @ApiProperty({ minimum: 1, maximum: 5, description: 'The caller’s own rating' }) yours: number;
}
