"""The text of information pages, written by editors in a small Markdown: paragraphs, headings,
lists, emphasis and links. Raw HTML and images are switched off, so a page can neither carry a
script nor load anything from another host; links never send a referrer."""
from functools import lru_cache

from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def _parser():
    md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "table"])

    def link_open(self, tokens, idx, options, env):
        token = tokens[idx]
        token.attrSet("rel", "noreferrer")
        return self.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", link_open)
    return md


def render(text: str) -> str:
    """Safe HTML for a text shown under a page title (h1); escaped by the parser: no raw HTML
    passes. The text's highest heading becomes an h2, whether the editor wrote "# Heading" or
    "## Heading", so heading levels never skip one (screen readers navigate by them)."""
    parser = _parser()
    tokens = parser.parse(text or "")
    levels = [int(token.tag[1]) for token in tokens if token.type == "heading_open"]
    if levels:
        shift = min(levels) - 2
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(max(int(token.tag[1]) - shift, 2), 6)}"
    return mark_safe(parser.renderer.render(tokens, parser.options, {}))  # noqa: S308 (html is off: all escaped)


def plain_text(text: str) -> str:
    """The text without its mark-up, e.g. for a search index or a social media post."""
    tokens = _parser().parse(text or "")
    parts = []
    for token in tokens:
        if token.type == "inline":
            parts.append("".join(child.content for child in token.children or [] if child.type in ("text", "code_inline")))
    return "\n".join(part for part in parts if part)
