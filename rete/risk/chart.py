"""The risk history chart: a subject's signed assessments as points on a band-by-time grid.
Pure geometry (no queries, no request): `band_chart` returns coordinates that the template
`risk/includes/history_chart.html` draws as inline SVG with presentation attributes only (the
Content-Security-Policy forbids style attributes), and the same data appears as a table."""
from dataclasses import dataclass

WIDTH = 720
HEIGHT = 300
LEFT = 180  # room for the band labels
RIGHT = 30
TOP = 24
BOTTOM = 56  # room for the dates
POINT_RADIUS = 6
DAY = 86400  # seconds: dates are written by the day

# Colours with at least 4.5:1 against white (text) and 3:1 (graphics), never the only cue:
# the band is written on the axis and in the table, an override is a diamond, not a circle.
INK = "#1b1b1b"
GRID = "#767676"
LINE = "#1f4e79"
POINT = "#1f4e79"
POINT_TOP = "#a4262c"


@dataclass(frozen=True)
class Point:
    at: object  # a datetime
    rank: int
    label: str
    overridden: bool = False
    top: bool = False


def band_chart(points, bands, *, width=WIDTH, height=HEIGHT) -> dict | None:
    """Coordinates for points (in time order) on a grid whose rows are `bands` (labels, lowest
    first). A point above the last band (an older version with more bands) widens the grid.
    None when there is nothing to draw."""
    points = sorted(points, key=lambda p: p.at)
    if not points:
        return None
    labels = list(bands)
    highest = max(p.rank for p in points)
    while len(labels) <= highest:
        labels.append(str(len(labels)))
    left, right, top, bottom = LEFT, width - RIGHT, TOP, height - BOTTOM
    rows = len(labels)

    def y_of(rank):
        if rows == 1:
            return round((top + bottom) / 2, 1)
        return round(bottom - rank * (bottom - top) / (rows - 1), 1)

    first, last = points[0].at, points[-1].at
    span = (last - first).total_seconds()

    def x_of(at):
        if span <= 0:
            return round((left + right) / 2, 1)
        return round(left + (at - first).total_seconds() * (right - left) / span, 1)

    drawn = []
    for p in points:
        x, y = x_of(p.at), y_of(p.rank)
        r = POINT_RADIUS
        drawn.append({
            "x": x, "y": y, "at": p.at, "label": p.label, "overridden": p.overridden, "top": p.top,
            "fill": POINT_TOP if p.top else POINT,
            "diamond": f"{x},{round(y - r - 1, 1)} {round(x + r + 1, 1)},{y} {x},{round(y + r + 1, 1)} {round(x - r - 1, 1)},{y}",
        })
    y_ticks = [{"y": y_of(rank), "label": label, "text_y": round(y_of(rank) + 4, 1)} for rank, label in enumerate(labels)]
    if span < DAY:  # one date would be written twice
        x_ticks = [{"x": round((left + right) / 2, 1), "at": first, "anchor": "middle"}]
    else:
        x_ticks = [{"x": left, "at": first, "anchor": "start"}]
        if len(points) > 2 and span >= 2 * DAY:
            middle = first + (last - first) / 2
            x_ticks.append({"x": x_of(middle), "at": middle, "anchor": "middle"})
        x_ticks.append({"x": right, "at": last, "anchor": "end"})
    return {
        "width": width, "height": height, "left": left, "right": right, "top": top, "bottom": bottom,
        "date_y": bottom + 22, "label_x": left - 12,
        "points": drawn, "line": " ".join(f"{p['x']},{p['y']}" for p in drawn),
        "y_ticks": y_ticks, "x_ticks": x_ticks, "has_override": any(p.overridden for p in points),
        "ink": INK, "grid": GRID, "line_colour": LINE, "radius": POINT_RADIUS,
    }
