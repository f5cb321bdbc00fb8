import { excerptFrom, plainText, renderMarkdown } from './markdown';

/** What must never survive into a page, whatever the payload. */
function expectInert(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<style/i);
  expect(html).not.toMatch(/<iframe/i);
  expect(html).not.toMatch(/<svg/i);
  expect(html).not.toMatch(/<object|<embed|<form|<input|<meta|<link|<base/i);
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/(href|src)\s*=\s*"\s*(javascript|data|vbscript):/i);
  // No attribute value carries a script URL (as visible text it is harmless).
  expect(html).not.toMatch(/=\s*"[^"]*(javascript|vbscript|data):/i);
}

describe('renderMarkdown', () => {
  it('renders ordinary Markdown', () => {
    const html = renderMarkdown(
      '# Title\n\nSome *calm* **words** and a [link](https://example.com/a).\n\n- one\n- two\n\n`code`',
    );
    expect(html).toContain('<h2>Title</h2>');
    expect(html).toContain('<em>calm</em>');
    expect(html).toContain('<strong>words</strong>');
    expect(html).toContain('<a href="https://example.com/a" rel="noopener noreferrer">link</a>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<code>code</code>');
  });

  it('keeps relative and mailto links, without rel on internal ones', () => {
    const html = renderMarkdown('[book](/book) and [mail](mailto:hello@example.com)');
    expect(html).toContain('<a href="/book">book</a>');
    expect(html).toContain('<a href="mailto:hello@example.com">mail</a>');
  });

  const payloads: [string, string][] = [
    ['script tag', '<script>alert(1)</script>'],
    [
      'script in markdown paragraph',
      'Hello <script src="https://evil.example/x.js"></script> there',
    ],
    ['img onerror', '<img src=x onerror="alert(1)">'],
    ['img onerror unquoted', '<IMG SRC=/ onerror=alert(1)>'],
    ['svg onload', '<svg onload=alert(1)><circle r=5></circle></svg>'],
    ['svg with script', '<svg><script>alert(1)</script></svg>'],
    ['svg use href', '<svg><use href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=#x"></use></svg>'],
    ['javascript link (markdown)', '[click](javascript:alert(1))'],
    ['javascript link upper case', '[click](JaVaScRiPt:alert(1))'],
    ['javascript link entity-encoded', '[click](javascript&#58;alert(1))'],
    [
      'javascript link hex entities',
      '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    ],
    ['javascript link with tab', '<a href="java\tscript:alert(1)">x</a>'],
    ['javascript link with newline entity', '<a href="java&#10;script:alert(1)">x</a>'],
    ['javascript link leading spaces', '<a href="   javascript:alert(1)">x</a>'],
    ['vbscript link', '<a href="vbscript:msgbox(1)">x</a>'],
    ['data url link', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['data url image', '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)'],
    ['data url raw img', '<img src="data:image/png;base64,AAAA">'],
    ['iframe', '<iframe src="https://evil.example"></iframe>'],
    ['style tag', '<style>body{display:none}</style>'],
    ['inline style attribute', '<p style="background:url(javascript:alert(1))">x</p>'],
    [
      'event handler on allowed tag',
      '<a href="https://example.com" onclick="alert(1)" onmouseover=alert(1)>x</a>',
    ],
    ['object/embed', '<object data="x.swf"></object><embed src="x.swf">'],
    ['form', '<form action="https://evil.example"><input name=p><button>go</button></form>'],
    ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
    ['base tag', '<base href="javascript:alert(1)//">'],
    ['broken nesting', '<<script>script>alert(1)<</script>/script>'],
    ['comment trick', '<!--<img src="--><img src=x onerror=alert(1)//">'],
    [
      'math/mathml',
      '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    ],
    ['noscript mXSS', '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'],
    ['image javascript src', '<img src="javascript:alert(1)">'],
    ['link reference definition', '[x][evil]\n\n[evil]: javascript:alert(1)'],
    ['autolink javascript', '<javascript:alert(1)>'],
  ];

  it.each(payloads)('renders %s inert', (_name, payload) => {
    expectInert(renderMarkdown(payload));
  });

  it('keeps the harmless text around a payload', () => {
    const html = renderMarkdown('Before <script>alert(1)</script> after');
    expect(html).toContain('Before');
    expect(html).toContain('after');
    expect(html).not.toContain('alert(1)');
  });

  it('drops protocol-relative links, including backslash tricks browsers read as //', () => {
    const html = renderMarkdown(
      '[a](//evil.example) [b](/\\evil.example) <a href="/\\evil.example">c</a> <a href="\\/evil.example">d</a> <a href="//evil.example">e</a>',
    );
    expect(html).not.toMatch(/href="(\/\/|\/\\|\\)/);
  });

  it('allows http(s) images with alt text', () => {
    expect(renderMarkdown('![A quiet lake](https://example.com/lake.jpg)')).toContain(
      '<img src="https://example.com/lake.jpg" alt="A quiet lake" />',
    );
  });
});

describe('plainText and excerptFrom', () => {
  it('strips tags and decodes entities', () => {
    expect(plainText('<p>Tom &amp; Jerry &lt;3</p>')).toBe('Tom & Jerry <3');
  });
  it('cuts at a word boundary with an ellipsis', () => {
    const e = excerptFrom('word '.repeat(100), 50);
    expect(e.length).toBeLessThanOrEqual(51);
    expect(e.endsWith('word…')).toBe(true);
  });
  it('drops scripts from excerpts too', () => {
    expect(excerptFrom('Hi <script>alert(1)</script> there')).toBe('Hi there');
  });
});
