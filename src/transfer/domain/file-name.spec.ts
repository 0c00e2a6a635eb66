import { attachmentHeader } from './file-name';

describe(attachmentHeader.name, () => {
  it('should keep a line break, a path or a quote out of the header', () => {
    expect(attachmentHeader('../../etc/passwd"\r\nSet-Cookie: x=1', 'md')).toBe(
      `attachment; filename="etc_passwd_ Set-Cookie_ x=1.md"; filename*=UTF-8''_.._etc_passwd_%20Set-Cookie_%20x%3D1.md`,
    );
  });

  it('should fall back to a plain name when nothing of the chat name is left', () => {
    expect(attachmentHeader(' ... ', 'json')).toBe(`attachment; filename="conversation.json"; filename*=UTF-8''conversation.json`);
    expect(attachmentHeader('東京', 'pdf')).toBe(`attachment; filename="conversation.pdf"; filename*=UTF-8''${encodeURIComponent('東京')}.pdf`);
  });

  it('should cut a long name at 80 characters, never inside an emoji', () => {
    const header = attachmentHeader('😀'.repeat(100), 'md');
    expect(header).toContain(`filename*=UTF-8''${encodeURIComponent('😀'.repeat(80))}.md`);
  });
});
