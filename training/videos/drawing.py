"""Geometry of a drawing on a frame: points are fractions of the picture's width and height."""

import math

Point = list[float]


def angle_at_vertex(points: list[Point], *, aspect: float = 1.0) -> float:
    """The angle in degrees at the middle of three points (e.g. the knee of hip-knee-ankle).

    `aspect` is width / height of the picture, so fractions become true proportions.
    """
    (ax, ay), (bx, by), (cx, cy) = points
    v1 = ((ax - bx) * aspect, ay - by)
    v2 = ((cx - bx) * aspect, cy - by)
    norm = math.hypot(*v1) * math.hypot(*v2)
    if norm == 0:
        return 0.0
    cosine = max(-1.0, min(1.0, (v1[0] * v2[0] + v1[1] * v2[1]) / norm))
    return round(math.degrees(math.acos(cosine)), 1)
