import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { PostsService } from '../content/posts/posts.service';
import { renderPage } from './page';

@ApiExcludeController()
@Controller()
export class HomePagesController {
  constructor(private readonly posts: PostsService) {}

  @Get()
  async home(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const posts = await this.posts.latest(3);
    await renderPage(req, reply, 'home', {
      title: 'Trauma-recovery coaching',
      posts,
      covers: await this.posts.coverPictures(posts),
    });
  }
}
