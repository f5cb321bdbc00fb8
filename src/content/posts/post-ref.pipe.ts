import { applyDecorators, Injectable, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { PostsRepository } from './posts.repository';

/**
 * Under /api/posts/ one path parameter, `post`, names a post by its id or its slug (an id wins),
 * for every method, so that the OpenAPI document has one unambiguous path per resource. These
 * pipes turn it into what the service works with; an unknown reference passes through unchanged
 * and the service answers 404 as before.
 */
@Injectable()
export class PostIdPipe implements PipeTransform<string, Promise<string>> {
  constructor(private readonly posts: PostsRepository) {}
  async transform(ref: string): Promise<string> {
    return (await this.posts.findRef(ref))?.id ?? ref;
  }
}

@Injectable()
export class PostSlugPipe implements PipeTransform<string, Promise<string>> {
  constructor(private readonly posts: PostsRepository) {}
  async transform(ref: string): Promise<string> {
    return (await this.posts.findRef(ref))?.slug ?? ref;
  }
}

export const ApiPostParam = () =>
  applyDecorators(
    ApiParam({
      name: 'post',
      description: "The post's id or its slug (an id wins)",
      schema: { type: 'string' },
    }),
  );
