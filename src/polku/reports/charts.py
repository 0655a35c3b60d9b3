"""Server-side SVG charts (matplotlib, STACK.md's one chart engine).

The same SVG goes inline into pages and into WeasyPrint PDFs, with no JavaScript. Every chart is
an image with a title and a text description (`role="img"`, `<title>`, `<desc>`); pages must
also show the numbers as a table, which is what a screen reader user reads (WCAG 1.1.1).
Output is deterministic for the same data, so it can be compared in tests and cached.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

import matplotlib

matplotlib.use("svg")  # no display, no Agg rasteriser needed

from django.utils import formats
from matplotlib import pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

# Colours with at least 3:1 contrast against white (WCAG 1.4.11), told apart also by marker and
# line style, so the chart does not rely on colour alone (WCAG 1.4.1).
PALETTE = ("#1f4e79", "#b3541e", "#2e7d32", "#6a1b9a", "#5d4037", "#00695c")
MARKERS = ("o", "s", "^", "D", "v", "P")
LINESTYLES = ("-", "--", "-.", ":", "-", "--")
# A target line: dark enough for 3:1 contrast against white (WCAG 1.4.11).
REFERENCE_COLOUR = "#424242"
# Named x ticks (months) beyond this many are thinned out so that the labels stay readable.
MAX_X_TICKS = 8

matplotlib.rcParams.update(
    {
        "svg.hashsalt": "polku",  # stable element ids
        "svg.fonttype": "none",  # text stays text: searchable, translatable, small
        "font.family": "DejaVu Sans",
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[float, float]]


def _svg(figure: Figure, *, title: str, description: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML prolog and doctype: the SVG goes inline
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    svg = _without_inline_styles(svg)
    head, rest = svg.split(">", 1)
    title_id = _id(title)
    opening = head.replace("<svg", f'<svg role="img" aria-labelledby="{title_id}"', 1)
    return (
        f'{opening}><title id="{title_id}">{escape(title)}</title>'
        f"<desc>{escape(description)}</desc>{rest}"
    )


_STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')


def _without_inline_styles(svg: str) -> str:
    """Turn matplotlib's `style` attributes into SVG presentation attributes and drop its
    `<style>` element: the page's Content-Security-Policy (style-src 'self') would block both
    inside inline SVG, while presentation attributes are not styles and always apply."""
    svg = re.sub(r"<style[^>]*>.*?</style>", "", svg, flags=re.DOTALL)

    def attributes(match: re.Match[str]) -> str:
        pairs = (part.split(":", 1) for part in match.group(1).split(";") if ":" in part)
        return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)

    return _STYLE_ATTRIBUTE.sub(attributes, svg)


def _id(text: str) -> str:
    return "chart-" + (re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "x")


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    x_label: str,
    y_label: str,
    y_limits: tuple[float, float] | None = None,
    percent: bool = False,
    integer_x: bool = True,
    width: float = 7.0,
    height: float = 3.6,
    y_format: Callable[[float], str] | None = None,
    x_tick_labels: Mapping[float, str] | None = None,
) -> str:
    """Lines with markers, one per series; returns inline SVG markup. With `integer_x` (months
    since entry, say) the x axis has whole-number ticks only; `y_format`, when given, writes the
    y axis's tick labels (a page's own percentage formatter, say); `x_tick_labels` names the x
    positions (calendar months, say), at most `MAX_X_TICKS` of them, evenly spaced."""
    figure, axes = plt.subplots(figsize=(width, height))
    for index, item in enumerate(series):
        if not item.points:
            continue
        xs, ys = zip(*item.points, strict=True)
        axes.plot(
            xs,
            ys,
            label=item.label,
            color=PALETTE[index % len(PALETTE)],
            marker=MARKERS[index % len(MARKERS)],
            linestyle=LINESTYLES[index % len(LINESTYLES)],
            linewidth=2,
            markersize=5,
        )
    _finish(
        axes,
        x_label=x_label,
        y_label=y_label,
        y_limits=y_limits,
        percent=percent,
        integer_x=integer_x,
        y_format=y_format,
    )
    if x_tick_labels:
        positions = sorted(x_tick_labels)
        step = -(-len(positions) // MAX_X_TICKS)
        shown = positions[::step]
        axes.set_xticks(shown, [x_tick_labels[x] for x in shown])
    if len(series) > 1:
        axes.legend(frameon=False, loc="best")
    figure.tight_layout()
    return _svg(figure, title=title, description=description)


def bar_chart(
    values: Mapping[str, float],
    *,
    title: str,
    description: str,
    x_label: str,
    y_label: str,
    y_limits: tuple[float, float] | None = None,
    percent: bool = False,
    width: float = 7.0,
    height: float = 3.6,
    reference: float | None = None,
) -> str:
    """Vertical bars, one per label; returns inline SVG markup. `reference` draws a dashed
    horizontal line at that value (a target, say)."""
    figure, axes = plt.subplots(figsize=(width, height))
    labels = list(values)
    axes.bar(labels, [values[label] for label in labels], color=PALETTE[0])
    if reference is not None:
        axes.axhline(reference, color=REFERENCE_COLOUR, linestyle="--", linewidth=1.5)
    if len(labels) > MAX_X_TICKS + 4:
        # Many bars (months, say): name every n-th so that the labels do not overlap.
        step = -(-len(labels) // MAX_X_TICKS)
        axes.set_xticks(range(0, len(labels), step), labels[::step])
    _finish(
        axes,
        x_label=x_label,
        y_label=y_label,
        y_limits=y_limits,
        percent=percent,
        categorical_x=True,
    )
    figure.tight_layout()
    return _svg(figure, title=title, description=description)


def _decimals(value: float) -> int:
    return 0 if float(value).is_integer() else 1


def _finish(
    axes: Axes,
    *,
    x_label: str,
    y_label: str,
    y_limits: tuple[float, float] | None,
    percent: bool,
    integer_x: bool = False,
    categorical_x: bool = False,
    y_format: Callable[[float], str] | None = None,
) -> None:
    axes.set_xlabel(x_label)
    axes.set_ylabel(y_label)
    if y_limits is not None:
        axes.set_ylim(*y_limits)
    # Tick labels in the page's language: "40 %" and "2,5" in Finnish and Swedish.
    if y_format is not None:
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: y_format(value)))
    elif percent:
        axes.yaxis.set_major_formatter(
            FuncFormatter(lambda value, _pos: f"{formats.number_format(value * 100, 0)} %")
        )
    else:
        axes.yaxis.set_major_formatter(
            FuncFormatter(lambda value, _pos: formats.number_format(value, _decimals(value)))
        )
    if categorical_x:
        pass
    elif integer_x:
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        axes.xaxis.set_major_formatter(
            FuncFormatter(lambda value, _pos: formats.number_format(value, _decimals(value)))
        )
    axes.grid(axis="y", color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)


@dataclass(frozen=True)
class StepSeries:
    """A step curve with a confidence band: (x, y, lower, upper) points, the value holding
    from each x until the next (a Kaplan–Meier curve, say)."""

    label: str
    points: Sequence[tuple[float, float, float, float]]


def survival_chart(
    series: Sequence[StepSeries],
    *,
    title: str,
    description: str,
    x_label: str,
    y_label: str,
    y_limits: tuple[float, float] | None = (0.0, 1.0),
    percent: bool = True,
    y_format: Callable[[float], str] | None = None,
    width: float = 7.0,
    height: float = 3.8,
) -> str:
    """Step curves, one per series, each with its confidence band shaded lightly in the line's
    colour; returns inline SVG markup. The lines differ by style as well as colour (WCAG
    1.4.1); the band is a reading aid, its bounds belong in the page's table too."""
    figure, axes = plt.subplots(figsize=(width, height))
    for index, item in enumerate(series):
        if not item.points:
            continue
        xs, ys, lows, highs = (list(values) for values in zip(*item.points, strict=True))
        colour = PALETTE[index % len(PALETTE)]
        axes.fill_between(xs, lows, highs, step="post", color=colour, alpha=0.15, linewidth=0)
        axes.step(
            xs,
            ys,
            where="post",
            label=item.label,
            color=colour,
            linestyle=LINESTYLES[index % len(LINESTYLES)],
            linewidth=2,
        )
    _finish(
        axes,
        x_label=x_label,
        y_label=y_label,
        y_limits=y_limits,
        percent=percent,
        integer_x=True,
        y_format=y_format,
    )
    axes.set_xlim(left=0)
    if len(series) > 1:
        axes.legend(frameon=False, loc="best")
    figure.tight_layout()
    return _svg(figure, title=title, description=description)


@dataclass(frozen=True)
class IntervalSeries:
    """One measure over the chart's categories: (value, lower, upper) per category, in the
    categories' order, None where it is not shown."""

    label: str
    values: Sequence[tuple[float, float, float] | None]


def interval_chart(
    categories: Sequence[str],
    series: Sequence[IntervalSeries],
    *,
    title: str,
    description: str,
    x_label: str,
    x_limits: tuple[float, float] | None = (0.0, 1.0),
    percent: bool = True,
    x_format: Callable[[float], str] | None = None,
    width: float = 7.0,
) -> str:
    """Dots with horizontal interval bars: a row of categories down the side, one dot per
    series in each (set a little apart, by marker as well as colour); returns inline SVG."""
    height = max(2.4, 0.9 + 0.35 * len(categories) * max(1, len(series)))
    figure, axes = plt.subplots(figsize=(width, height))
    spread = 0.7 / max(1, len(series))
    for index, item in enumerate(series):
        offset = (index - (len(series) - 1) / 2) * spread
        rows = [
            (position + offset, value)
            for position, value in enumerate(item.values)
            if value is not None
        ]
        if not rows:
            continue
        ys = [row[0] for row in rows]
        xs = [row[1][0] for row in rows]
        errors = [
            [row[1][0] - row[1][1] for row in rows],
            [row[1][2] - row[1][0] for row in rows],
        ]
        axes.errorbar(
            xs,
            ys,
            xerr=errors,
            label=item.label,
            color=PALETTE[index % len(PALETTE)],
            marker=MARKERS[index % len(MARKERS)],
            linestyle="none",
            capsize=3,
            markersize=6,
            linewidth=1.5,
        )
    axes.set_yticks(range(len(categories)), list(categories))
    axes.set_ylim(len(categories) - 0.5, -0.5)  # the first category at the top, as in the table
    axes.set_xlabel(x_label)
    if x_limits is not None:
        axes.set_xlim(*x_limits)
    if x_format is not None:
        axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: x_format(value)))
    elif percent:
        axes.xaxis.set_major_formatter(
            FuncFormatter(lambda value, _pos: f"{formats.number_format(value * 100, 0)} %")
        )
    axes.grid(axis="x", color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)
    if len(series) > 1:
        axes.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=2)
    figure.tight_layout()
    return _svg(figure, title=title, description=description)
