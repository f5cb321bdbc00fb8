import { IdParam } from '../../common/id-param';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, Viewer } from '../../accounts/auth.decorators';
import { User } from '../../accounts/user.entity';
import { clientIp } from '../../common/http';
import {
  CommentDto,
  CommentListQueryDto,
  CreateCommentDto,
  PublicCommentDto,
} from '../dto/comment.dto';
import { ApiPostParam, PostSlugPipe } from '../posts/post-ref.pipe';
import { CommentsService } from './comments.service';

@ApiTags('content')
@Controller('api')
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Post('posts/:post/comments')
  @ApiPostParam()
  @ApiOperation({
    summary:
      'Comment on a post: 202 {status:"pending"} (held for moderation); the coach’s own → 201',
  })
  @ApiResponse({ status: 202 })
  @ApiResponse({ status: 201, type: CommentDto })
  async create(
    @Param('post', PostSlugPipe) slug: string,
    @Body() dto: CreateCommentDto,
    @Viewer() viewer: User | null,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ status: 'pending' } | CommentDto> {
    const outcome = await this.comments.create(slug, dto, viewer, clientIp(req));
    if (outcome.status === 'pending') {
      reply.status(202);
      return { status: 'pending' };
    }
    reply.status(201);
    return outcome.comment;
  }

  @Get('posts/:post/comments')
  @ApiPostParam()
  @ApiOperation({ summary: 'Approved comments, oldest first' })
  @ApiResponse({ status: 200, type: [PublicCommentDto] })
  approved(
    @Param('post', PostSlugPipe) slug: string,
    @Viewer() viewer: User | null,
  ): Promise<PublicCommentDto[]> {
    return this.comments.approvedFor(slug, viewer);
  }

  @Get('comments')
  @Auth('coach')
  @ApiResponse({ status: 200, type: [CommentDto] })
  list(@Query() query: CommentListQueryDto): Promise<CommentDto[]> {
    return this.comments.list(query.status ?? 'pending');
  }

  @Post('comments/:id/approve')
  @HttpCode(200)
  @Auth('coach')
  @ApiResponse({ status: 200, type: CommentDto })
  approve(@IdParam() id: string): Promise<CommentDto> {
    return this.comments.moderate(id, 'approved');
  }

  @Post('comments/:id/reject')
  @HttpCode(200)
  @Auth('coach')
  @ApiResponse({ status: 200, type: CommentDto })
  reject(@IdParam() id: string): Promise<CommentDto> {
    return this.comments.moderate(id, 'rejected');
  }

  @Delete('comments/:id')
  @HttpCode(204)
  @Auth('coach')
  remove(@IdParam() id: string): Promise<void> {
    return this.comments.remove(id);
  }
}
