import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentUser, Viewer } from '../../accounts/auth.decorators';
import { User } from '../../accounts/user.entity';
import { RateDto } from '../dto/rating.dto';
import {
  CreatePostDto,
  ListPostsQueryDto,
  PostDto,
  PostListDto,
  PublishPostDto,
  RatingResultDto,
  UpdatePostDto,
} from '../dto/post.dto';
import { RatingsService } from '../ratings/ratings.service';
import { ApiPostParam, PostIdPipe, PostSlugPipe } from './post-ref.pipe';
import { PostsService } from './posts.service';

@ApiTags('content')
@Controller('api/posts')
export class PostsController {
  constructor(
    private readonly posts: PostsService,
    private readonly ratings: RatingsService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Published posts, newest first, 10 a page (the coach may ask for status=draft|all)',
  })
  @ApiResponse({ status: 200, type: PostListDto })
  list(@Query() query: ListPostsQueryDto, @Viewer() viewer: User | null): Promise<PostListDto> {
    return this.posts.list(query, viewer);
  }

  @Get(':post')
  @ApiPostParam()
  @ApiOperation({ summary: 'One post (a draft is 404 except to the coach)' })
  @ApiResponse({ status: 200, type: PostDto })
  one(@Param('post', PostSlugPipe) slug: string, @Viewer() viewer: User | null): Promise<PostDto> {
    return this.posts.bySlug(slug, viewer);
  }

  @Post()
  @Auth('coach')
  @ApiResponse({ status: 201, type: PostDto })
  create(@Body() dto: CreatePostDto, @CurrentUser() coach: User): Promise<PostDto> {
    return this.posts.create(dto, coach);
  }

  @Patch(':post')
  @ApiPostParam()
  @Auth('coach')
  @ApiResponse({ status: 200, type: PostDto })
  update(@Param('post', PostIdPipe) id: string, @Body() dto: UpdatePostDto): Promise<PostDto> {
    return this.posts.update(id, dto);
  }

  @Post(':post/publish')
  @ApiPostParam()
  @HttpCode(200)
  @Auth('coach')
  @ApiOperation({
    summary:
      'Publish now, or at publishAt (a draft is scheduled: published once, across instances); notifySubscribers mails confirmed subscribers once per post, ever. A cover needs coverAlt first.',
  })
  @ApiResponse({ status: 200, type: PostDto })
  publish(@Param('post', PostIdPipe) id: string, @Body() dto: PublishPostDto): Promise<PostDto> {
    return this.posts.publish(id, dto.notifySubscribers ?? false, dto.publishAt);
  }

  @Post(':post/unpublish')
  @ApiPostParam()
  @HttpCode(200)
  @Auth('coach')
  @ApiResponse({ status: 200, type: PostDto })
  unpublish(@Param('post', PostIdPipe) id: string): Promise<PostDto> {
    return this.posts.unpublish(id);
  }

  @Delete(':post')
  @ApiPostParam()
  @HttpCode(204)
  @Auth('coach')
  remove(@Param('post', PostIdPipe) id: string): Promise<void> {
    return this.posts.remove(id);
  }

  @Put(':post/rating')
  @ApiPostParam()
  @Auth()
  @ApiOperation({
    summary: 'Rate a post 1–5 stars (one rating per person; rating again changes it)',
  })
  @ApiResponse({ status: 200, type: RatingResultDto })
  rate(
    @Param('post', PostSlugPipe) slug: string,
    @Body() dto: RateDto,
    @CurrentUser() user: User,
  ): Promise<RatingResultDto> {
    return this.ratings.rate(slug, dto.stars, user);
  }
}
