#!/usr/bin/env python3
"""Draw the app icons once: omkijken/static/icons/*.png, favicon.ico and the SVG they come from.

    .venv/bin/python scripts/make-icons.py

Two rings that overlap, white and yellow on the site's blue (--brand and --accent in omkijken.css):
two people who look out for each other. The PNGs are committed; run this again only when the
drawing changes. Pillow is already installed with matplotlib, so no new dependency. The shapes are
drawn from one list, written as SVG (the source a designer can open) and drawn with Pillow at four
times the size, then scaled down for smooth edges.

A "maskable" icon may be cut to a circle by Android: everything that matters stays inside the
middle 80% (the safe zone), so its rings are drawn smaller on a background without round corners.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parent.parent / "omkijken" / "static" / "icons"
BLUE = "#1d5c8f"
WHITE = "#ffffff"
YELLOW = "#f2b705"
SIZE = 512
# (centre x, centre y, radius, stroke width, colour) on a 512 grid.
RINGS = [(200, 256, 108, 40, WHITE), (312, 256, 108, 40, YELLOW)]
CORNER = 96


def rings(scale: float) -> list[tuple[float, float, float, float, str]]:
    """The rings shrunk around the centre by ``scale`` (1 for the plain icon)."""
    middle = SIZE / 2
    return [(middle + (x - middle) * scale, middle + (y - middle) * scale, r * scale, w * scale, colour)
            for x, y, r, w, colour in RINGS]


def svg(scale: float, corner: int) -> str:
    shapes = "".join(
        f'<circle cx="{x:g}" cy="{y:g}" r="{r:g}" fill="none" stroke="{colour}" stroke-width="{w:g}"/>'
        for x, y, r, w, colour in rings(scale)
    )
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}">'
            f'<rect width="{SIZE}" height="{SIZE}" rx="{corner}" fill="{BLUE}"/>{shapes}</svg>\n')


def draw(size: int, *, scale: float = 1.0, corner: int = CORNER) -> Image.Image:
    big = SIZE * 4
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=corner * 4, fill=BLUE)
    for x, y, r, w, colour in rings(scale):
        x, y, r, w = x * 4, y * 4, r * 4, w * 4
        outer = r + w / 2
        pen.ellipse((x - outer, y - outer, x + outer, y + outer), outline=colour, width=round(w))
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    (ICONS / "icon.svg").write_text(svg(1.0, CORNER))
    (ICONS / "maskable.svg").write_text(svg(0.8, 0))
    for size in (192, 512):
        draw(size).save(ICONS / f"icon-{size}.png", optimize=True)
        draw(size, scale=0.8, corner=0).save(ICONS / f"maskable-{size}.png", optimize=True)
    # iOS puts its own round corners on the apple-touch-icon and shows transparency as black.
    draw(180, scale=0.9, corner=0).convert("RGB").save(ICONS / "apple-touch-icon.png", optimize=True)
    draw(256).save(ICONS / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    print("\n".join(sorted(p.name for p in ICONS.iterdir())))


if __name__ == "__main__":
    main()
