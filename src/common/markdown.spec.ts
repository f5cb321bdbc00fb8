import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders Markdown', () => {
    expect(renderMarkdown('# Hi\n\nSome **bold** [link](https://example.com).')).toBe(
      '<h2>Hi</h2>\n<p>Some <strong>bold</strong> <a href="https://example.com" rel="noopener noreferrer">link</a>.</p>\n',
    );
  });

  it.each([
    ['<script>alert(1)</script>hello'],
    ['<img src=x onerror="alert(1)">'],
    ['[x](javascript:alert(1))'],
    ['<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>'],
    ['<p onclick="alert(1)">x</p>'],
    ['<iframe src="https://evil.example"></iframe>'],
  ])('strips dangerous content: %s', (src) => {
    const html = renderMarkdown(src);
    expect(html).not.toMatch(/<script|onerror|onclick|javascript:|data:|<iframe|<img/i);
  });
});
