import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth } from '../accounts/auth.decorators';
import { SiteDto, UpdateSiteDto } from './dto/site.dto';
import { SiteService } from './site.service';

@ApiTags('site')
@Controller('api/site')
export class SiteController {
  constructor(private readonly site: SiteService) {}

  @Get()
  @ApiOperation({
    summary: 'The practice’s name, tagline, coach, bio, photo, footer, contact and links (public)',
  })
  @ApiResponse({ status: 200, type: SiteDto })
  get(): Promise<SiteDto> {
    return this.site.get();
  }

  @Put()
  @Auth('coach')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Replace the site settings (fields left out become empty; the footer falls back to the crisis note)',
  })
  @ApiResponse({ status: 200, type: SiteDto })
  put(@Body() dto: UpdateSiteDto): Promise<SiteDto> {
    return this.site.update(dto);
  }
}
