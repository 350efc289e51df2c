#!/usr/bin/env python3
"""plot_latency.py — draws, as an SVG, caller latency over time across token
refreshes from the samples gobench writes ("<who> <ms> <µs>" lines: the
slowest call started in each 10 ms, for "floor", "ours", "x_oauth2" and
"x_oauth2_1s"). A series with few points (calls that each take longer than
10 ms) is drawn with markers.

Usage: plot_latency.py SAMPLES OUT.svg [TITLE]

Standard library only; the y axis is logarithmic so that microsecond calls
and a 200 ms stall show on one chart.
"""

import math
import sys

SERIES = [("floor", "empty call (scheduler noise)", "#aaaaaa"),
          ("x_oauth2", "x/oauth2 ReuseTokenSource (10 s early expiry)", "#d62728"),
          ("x_oauth2_1s", "ReuseTokenSource, 1 s early expiry", "#ff7f0e"),
          ("ours", "mcp-oauth (Go core TokenManager)", "#1f77b4")]
W, H = 900, 440
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 40, 90
Y_MIN_US, Y_MAX_US = 1.0, 1e7  # 1 µs .. 10 s


def read(path):
    data = {who: [] for who, _, _ in SERIES}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[0] in data:
                data[parts[0]].append((int(parts[1]), max(int(parts[2]), 1)))
    return data


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    data = read(sys.argv[1])
    title = sys.argv[3] if len(sys.argv) == 4 else "Slowest call per 10 ms across token refreshes"
    t_max = max((ms for pts in data.values() for ms, _ in pts), default=1000)
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(ms):
        return LEFT + pw * ms / t_max

    def y(us):
        us = min(max(us, Y_MIN_US), Y_MAX_US)
        return TOP + ph * (1 - math.log10(us / Y_MIN_US) / math.log10(Y_MAX_US / Y_MIN_US))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{W / 2}" y="22" text-anchor="middle" font-size="14">{title}</text>']
    for exp, label in [(0, "1 µs"), (1, "10 µs"), (2, "100 µs"), (3, "1 ms"), (4, "10 ms"), (5, "100 ms"), (6, "1 s"),
                       (7, "10 s")]:
        yy = y(10 ** exp)
        out.append(f'<line x1="{LEFT}" y1="{yy:.1f}" x2="{W - RIGHT}" y2="{yy:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{yy + 4:.1f}" text-anchor="end">{label}</text>')
    for s in range(0, t_max // 1000 + 1):
        xx = x(s * 1000)
        out.append(f'<line x1="{xx:.1f}" y1="{TOP}" x2="{xx:.1f}" y2="{H - BOTTOM}" stroke="#eee"/>')
        out.append(f'<text x="{xx:.1f}" y="{H - BOTTOM + 16}" text-anchor="middle">{s} s</text>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#888"/>')
    for who, label, colour in SERIES:
        pts = " ".join(f"{x(ms):.1f},{y(us):.1f}" for ms, us in data[who])
        if pts:
            out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1" points="{pts}"/>')
        if 0 < len(data[who]) < 200:
            out.extend(f'<circle cx="{x(ms):.1f}" cy="{y(us):.1f}" r="2.5" fill="{colour}"/>' for ms, us in data[who])
    for i, (who, label, colour) in enumerate(SERIES):
        lx, ly = LEFT + 10 + (i % 2) * 420, H - 30 + (i // 2) * 18
        out.append(f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 24}" y2="{ly - 4}" stroke="{colour}" stroke-width="3"/>')
        out.append(f'<text x="{lx + 30}" y="{ly}">{label}</text>')
    out.append(f'<text x="{LEFT + pw / 2}" y="{H - BOTTOM + 34}" text-anchor="middle" fill="#555">'
               'time since the callers started; each point: the slowest call started in those 10 ms</text>')
    out.append("</svg>")
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
