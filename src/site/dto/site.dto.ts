import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
/** One line of text: no line breaks or other control characters (these go into mail headers and <title>). */
const ONE_LINE = /^\P{Cc}*$/u;
const oneLine = (field: string) =>
  Matches(ONE_LINE, { message: `${field} must be one line of text` });

export class SiteLinkDto {
  @ApiProperty({ example: 'Instagram', maxLength: 60 })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'label is required' })
  @MaxLength(60)
  @oneLine('label')
  label: string;

  @ApiProperty({ example: 'https://example.com/me' })
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  // An absolute http(s) URL, a mailto: link or a path on the site (never javascript:).
  @Matches(/^(https?:\/\/[^\s]+|mailto:[^\s@]+@[^\s@]+|\/[^\s/][^\s]*|\/)$/i, {
    message: 'url must be an http(s) address, a mailto: link or a path starting with /',
  })
  url: string;
}

/** PUT /api/site: the whole of the site's identity (fields left out become empty). */
export class UpdateSiteDto {
  @ApiProperty({ example: 'Steady Ground Coaching', maxLength: 80 })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name is required' })
  @MaxLength(80)
  @oneLine('name')
  name: string;

  @ApiPropertyOptional({ example: 'Repair over perfection.', maxLength: 160 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(160)
  @oneLine('tagline')
  tagline?: string;

  @ApiProperty({ example: 'Ruth Calder', maxLength: 80 })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'coachName is required' })
  @MaxLength(80)
  @oneLine('coachName')
  coachName: string;

  @ApiPropertyOptional({ maxLength: 1000, description: 'The short note under each post' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  bio?: string;

  @ApiPropertyOptional({ nullable: true, description: 'An uploaded image (POST /api/images)' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID('all', { message: 'photoImageId must be an uploaded image id' })
  photoImageId?: string | null;

  @ApiPropertyOptional({ maxLength: 50000, description: 'Markdown for /about' })
  @IsOptional()
  @IsString()
  @MaxLength(50_000)
  aboutMarkdown?: string;

  @ApiPropertyOptional({
    maxLength: 500,
    description: 'Default: the note that coaching is not crisis care',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  footer?: string;

  @ApiPropertyOptional({ example: 'hello@example.com' })
  @IsOptional()
  @Transform(trim)
  @ValidateIf((_, v) => v !== '')
  @IsEmail({}, { message: 'contactEmail must be an email address' })
  @MaxLength(200)
  contactEmail?: string;

  @ApiPropertyOptional({ type: [SiteLinkDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(8)
  @ValidateNested({ each: true })
  @Type(() => SiteLinkDto)
  links?: SiteLinkDto[];
}

export class SiteDto {
  @ApiProperty() name: string;
  @ApiProperty() tagline: string;
  @ApiProperty() coachName: string;
  @ApiProperty() bio: string;
  @ApiProperty({ nullable: true, description: 'Her photo (about 480 px wide)' }) photoUrl:
    string | null;
  @ApiProperty({ nullable: true }) photoImageId: string | null;
  @ApiProperty() aboutMarkdown: string;
  @ApiProperty() footer: string;
  @ApiProperty() contactEmail: string;
  @ApiProperty({ type: [SiteLinkDto] }) links: SiteLinkDto[];
}
