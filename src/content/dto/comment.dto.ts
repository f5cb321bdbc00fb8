import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export const COMMENT_MAX = 5000;

export class CreateCommentDto {
  @ApiProperty({ maxLength: 100, example: 'Sam' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name is required' })
  @MaxLength(100)
  name: string;

  @ApiProperty({
    maxLength: COMMENT_MAX,
    description: 'Plain text; shown with its line breaks, never as HTML.',
  })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'body is required' })
  @MaxLength(COMMENT_MAX, { message: `body must be at most ${COMMENT_MAX} characters` })
  body: string;

  @ApiPropertyOptional({ description: 'Leave empty (a trap for bots).' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  website?: string;
}

export class CommentListQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'approved', 'rejected'], default: 'pending' })
  @IsOptional()
  @IsIn(['pending', 'approved', 'rejected'])
  status?: 'pending' | 'approved' | 'rejected';
}

export class PublicCommentDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Plain text' }) body: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ description: 'Written by the coach' }) byCoach: boolean;
}

export class CommentDto extends PublicCommentDto {
  @ApiProperty({ enum: ['pending', 'approved', 'rejected'] }) status:
    'pending' | 'approved' | 'rejected';
  @ApiProperty() postId: string;
  @ApiProperty() postSlug: string;
  @ApiProperty() postTitle: string;
}
