"""Badge colours that stay readable: text black or white, whichever contrasts more with the
status colour, and the colour darkened when neither reaches WCAG AA (4.5:1)."""
from __future__ import annotations

AA = 4.5


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255.0
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(color: str) -> tuple[float, float, float]:
    text = color.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    return tuple(float(int(text[i:i + 2], 16)) for i in (0, 2, 4))  # type: ignore[return-value]


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """The WCAG contrast ratio of two colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def badge_colors(color: str) -> tuple[str, str]:
    """(background, text) for a badge of ``color``: the colour itself when black or white text reads on it."""
    try:
        rgb = _rgb(color)
    except ValueError:
        return color, "#fff"
    white, black = (255.0, 255.0, 255.0), (0.0, 0.0, 0.0)
    if contrast(rgb, black) >= AA and contrast(rgb, black) >= contrast(rgb, white):
        return color, "#000"
    while contrast(rgb, white) < AA:
        rgb = tuple(c * 0.92 for c in rgb)  # type: ignore[assignment]
    return "#" + "".join(f"{int(round(c)):02x}" for c in rgb), "#fff"


def badge_style(color: str) -> str:
    """The inline style of a badge of ``color``."""
    background, ink = badge_colors(color)
    return f"background: {background}; color: {ink}"
