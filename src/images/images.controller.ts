import { IdParam } from '../common/id-param';
import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiExcludeEndpoint,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Auth } from '../accounts/auth.decorators';
import { ImageDto, UploadImageDto } from './dto/image.dto';
import { ImagesService } from './images.service';
import { TakesUploads } from './uploads';

type UploadForm = { file?: unknown; alt?: unknown } | undefined;

@ApiTags('images')
@ApiBearerAuth()
@Controller('api/images')
@Auth('coach')
export class ImagesController {
  constructor(private readonly images: ImagesService) {}

  @Post()
  @TakesUploads()
  @ApiOperation({
    summary:
      'Upload an image (multipart/form-data: file, optional alt); decoded, stripped of metadata, re-encoded',
  })
  @ApiBody({ type: UploadImageDto })
  @ApiResponse({ status: 201, type: ImageDto })
  @ApiResponse({ status: 413, description: 'Over 10 MB or 40 megapixels' })
  @ApiResponse({
    status: 415,
    description: 'UNSUPPORTED_IMAGE: not a JPEG, PNG, WebP, AVIF or GIF (SVG included)',
  })
  upload(@Body() body: UploadForm): Promise<ImageDto> {
    return this.images.upload(body?.file, body?.alt);
  }

  @Get()
  @ApiOperation({ summary: 'The coach’s images, newest first' })
  @ApiResponse({ status: 200, type: [ImageDto] })
  list(): Promise<ImageDto[]> {
    return this.images.list();
  }

  @Get(':id')
  @ApiResponse({ status: 200, type: ImageDto })
  one(@IdParam() id: string): Promise<ImageDto> {
    return this.images.byId(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiResponse({ status: 409, description: 'IMAGE_IN_USE: a post or the site still uses it' })
  remove(@IdParam() id: string): Promise<void> {
    return this.images.remove(id);
  }
}

/** The image bytes: public, immutable (a new upload gets a new id), validated by ETag. */
@Controller('images')
export class ImageFilesController {
  constructor(private readonly images: ImagesService) {}

  @Get(':id/:file')
  @ApiExcludeEndpoint()
  async file(
    @IdParam() id: string,
    @Param('file') file: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const found = await this.images.file(id, file, ifNoneMatch);
    void reply
      .header('etag', found.etag)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff');
    if (!found.bytes) {
      await reply.status(304).send();
      return;
    }
    await reply.status(200).type(found.type).send(found.bytes);
  }
}
