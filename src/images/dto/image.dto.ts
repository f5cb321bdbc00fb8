import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ImageVariantDto {
  @ApiProperty({ example: 960 }) width: number;
  @ApiProperty({ example: 'image/webp' }) type: string;
  @ApiProperty({ example: '/images/2b0c…/960.webp' }) url: string;
}

export class ImageDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'The full-size image in its original type' }) url: string;
  @ApiProperty() width: number;
  @ApiProperty() height: number;
  @ApiProperty() alt: string;
  @ApiProperty({ type: [ImageVariantDto] }) variants: ImageVariantDto[];
}

/** The multipart form of POST /api/images (documented for OpenAPI; parsed by @fastify/multipart). */
export class UploadImageDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'JPEG, PNG, WebP, AVIF or GIF; at most 10 MB and 40 megapixels',
  })
  file: unknown;
  @ApiPropertyOptional({
    maxLength: 300,
    description: 'What the picture shows, for people who cannot see it',
  })
  alt?: string;
}
