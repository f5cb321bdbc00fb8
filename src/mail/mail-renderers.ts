import { Injectable } from '@nestjs/common';
import { MailRenderer, RenderedMail } from './mail.types';

/** Where feature modules register how to write their mails (kinds stored with parameters). */
@Injectable()
export class MailRenderers {
  private readonly byKind = new Map<string, MailRenderer>();

  register(kind: string, renderer: MailRenderer): void {
    this.byKind.set(kind, renderer);
  }

  /**
   * Renders each mail by its kind's renderer, a kind's mails in one call. A mail whose kind has
   * no renderer (yet: e.g. an older instance claimed it) or whose renderer failed gets the error.
   */
  async renderAll(
    mails: { id: string; kind: string; params: unknown }[],
  ): Promise<Map<string, RenderedMail | Error>> {
    const out = new Map<string, RenderedMail | Error>();
    const groups = new Map<string, { id: string; params: unknown }[]>();
    for (const m of mails) {
      const group = groups.get(m.kind) ?? [];
      group.push(m);
      groups.set(m.kind, group);
    }
    for (const [kind, group] of groups) {
      const renderer = this.byKind.get(kind);
      try {
        if (!renderer) throw new Error(`no renderer for mail kind ${kind}`);
        const rendered = await renderer.render(group.map((g) => g.params));
        if (rendered.length !== group.length)
          throw new Error(`the ${kind} renderer returned ${rendered.length} of ${group.length}`);
        group.forEach((g, i) => out.set(g.id, rendered[i]));
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        for (const g of group) out.set(g.id, error);
      }
    }
    return out;
  }
}
