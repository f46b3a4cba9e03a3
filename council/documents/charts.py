"""Charts drawn on the server as plain SVG: bars per council for one force, and a force's small
trend line. Readable printed in black and white: each force has its own fill pattern, and every
value is written beside its bar or point as text. All text is escaped (council names are typed by
facilitators)."""
from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

# A black-and-white fill per force: the bars of two forces never rely on colour to differ.
PATTERNS = {
    "deliberation": '<path d="M0,6 L6,0" stroke="#000" stroke-width="1.2"/>',  # diagonal hatch
    "cultivation": '<circle cx="3" cy="3" r="1.3" fill="#000"/>',  # dots
    "action": '<rect width="6" height="6" fill="#444"/>',  # dark, nearly solid
    "innovation": '<path d="M0,3 H6 M3,0 V6" stroke="#000" stroke-width="1"/>',  # grid
    "cooperation": '<path d="M0,1.5 H6 M0,4.5 H6" stroke="#000" stroke-width="1"/>',  # horizontal lines
}
# A marker shape per force on the trend lines.
MARKERS = {"deliberation": "circle", "cultivation": "square", "action": "diamond", "innovation": "triangle",
           "cooperation": "cross"}

NAME_W, BAR_W, ROW_H = 150, 230, 20
FONT = "Noto Sans CJK SC"  # the documents' face (config.toml pdf_font); a page may pass its own


def number(value: float | None) -> str:
    return "—" if value is None else str(round(value))


def _pattern(force: str, uid: str) -> str:
    return (f'<defs><pattern id="{uid}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="#fff"/>{PATTERNS[force]}</pattern></defs>')


def bars(force: str, title: str, rows: Sequence[tuple[str, int, float | None]], uid: str,
         font: str = FONT) -> Markup:
    """One force, one bar per council: `rows` are (name, depth, value 0–100 or None)."""
    height = 26 + ROW_H * len(rows) + 6
    width = NAME_W + BAR_W + 44
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart bars" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
           f'font-family="{escape(font)}">',
           _pattern(force, uid),
           f'<text x="0" y="16" font-size="14" font-weight="bold" fill="#000">{escape(title)}</text>',
           f'<line x1="{NAME_W}" y1="22" x2="{NAME_W}" y2="{height - 4}" stroke="#000" stroke-width="1"/>']
    for i, (name, depth, value) in enumerate(rows):
        y = 26 + i * ROW_H
        label = _clip(("› " * depth) + name, 11)
        out.append(f'<text x="{NAME_W - 6}" y="{y + 14}" font-size="12" text-anchor="end" fill="#000">'
                   f'{escape(label)}</text>')
        w = 0.0 if value is None else BAR_W * max(0.0, min(100.0, value)) / 100
        if w:
            out.append(f'<rect x="{NAME_W}" y="{y + 3}" width="{w:.1f}" height="{ROW_H - 6}" fill="url(#{uid})" '
                       f'stroke="#000" stroke-width="1"/>')
        out.append(f'<text x="{NAME_W + w + 5:.1f}" y="{y + 14}" font-size="12" fill="#000">{number(value)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def trend(force: str, title: str, values: Sequence[float | None], labels: Sequence[str], font: str = FONT,
          heading: bool = True) -> Markup:
    """A force over the periods (oldest first): a line on a 0–100 scale, each point marked and
    its value written above it; the first and last period named below. Without `heading` the
    title is only the chart's accessible name (a card above it names the force)."""
    width, left, top, plot_h = 230, 26, 32 if heading else 16, 56
    height = top + plot_h + 22
    step = (width - left - 14) / max(len(values) - 1, 1)
    xs = [left + 6 + i * step for i in range(len(values))]
    ys = [None if v is None else top + plot_h * (1 - max(0.0, min(100.0, v)) / 100) for v in values]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart trend" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
           f'font-family="{escape(font)}">']
    if heading:
        out.append(f'<text x="0" y="14" font-size="13" font-weight="bold" fill="#000">{escape(title)}</text>')
    for level in (0, 50, 100):
        y = top + plot_h * (1 - level / 100)
        dash = "" if level == 0 else ' stroke-dasharray="2,2"'
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 4}" y2="{y:.1f}" stroke="#999" stroke-width="0.6"{dash}/>'
                   f'<text x="{left - 3}" y="{y + 3:.1f}" font-size="9" text-anchor="end" fill="#000">{level}</text>')
    points = [(x, y) for x, y in zip(xs, ys) if y is not None]
    if len(points) > 1:
        out.append('<polyline fill="none" stroke="#000" stroke-width="1.6" points="'
                   + " ".join(f"{x:.1f},{y:.1f}" for x, y in points) + '"/>')
    for x, y, v in zip(xs, ys, values):
        if y is None:
            out.append(f'<text x="{x:.1f}" y="{top + plot_h - 3}" font-size="10" text-anchor="middle" '
                       f'fill="#000">—</text>')
            continue
        out.append(_marker(MARKERS[force], x, y))
        out.append(f'<text x="{x:.1f}" y="{y - 6:.1f}" font-size="10" text-anchor="middle" fill="#000">'
                   f'{number(v)}</text>')
    if labels:
        base = top + plot_h + 16
        out.append(f'<text x="{xs[0]:.1f}" y="{base}" font-size="9" text-anchor="start" fill="#000">'
                   f'{escape(labels[0])}</text>')
        if len(labels) > 1:
            out.append(f'<text x="{xs[-1]:.1f}" y="{base}" font-size="9" text-anchor="end" fill="#000">'
                       f'{escape(labels[-1])}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def _marker(shape: str, x: float, y: float) -> str:
    """A point's mark, a different shape per force; filled white where two lines could cross."""
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.2" fill="#000"/>'
    if shape == "square":
        return f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="#fff" stroke="#000" stroke-width="1.3"/>'
    if shape == "diamond":
        return (f'<path d="M{x:.1f},{y - 4:.1f} L{x + 4:.1f},{y:.1f} L{x:.1f},{y + 4:.1f} L{x - 4:.1f},{y:.1f} Z" '
                f'fill="#000"/>')
    if shape == "triangle":
        return (f'<path d="M{x:.1f},{y - 4:.1f} L{x + 4:.1f},{y + 3:.1f} L{x - 4:.1f},{y + 3:.1f} Z" fill="#fff" '
                f'stroke="#000" stroke-width="1.3"/>')
    return (f'<path d="M{x - 3.5:.1f},{y - 3.5:.1f} L{x + 3.5:.1f},{y + 3.5:.1f} M{x + 3.5:.1f},{y - 3.5:.1f} '
            f'L{x - 3.5:.1f},{y + 3.5:.1f}" stroke="#000" stroke-width="1.6"/>')


def _clip(text: str, most: int) -> str:
    """A name cut to `most` characters with an ellipsis (a chart's row has one line)."""
    return text if len(text) <= most else text[:most - 1] + "…"
