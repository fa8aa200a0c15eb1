"""Great-circle distances (haversine), scalar and vectorised, in kilometres."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_KM / 180.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def haversine_many(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> NDArray[np.float64]:
    """Element-wise (broadcasting) haversine, the same formula as :func:`haversine_km`."""
    p1 = np.radians(np.asarray(lat1, dtype=np.float64))
    p2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dlon = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, a)))


def within_radius(
    lat: float,
    lon: float,
    people_lat: NDArray[np.float64],
    people_lon: NDArray[np.float64],
    radius_km: NDArray[np.float64],
    lat_order: NDArray[np.intp],
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """People whose own radius reaches ``(lat, lon)``: their indices and distances.

    The order is deterministic (by latitude) but otherwise unspecified.

    ``lat_order`` sorts ``people_lat``; a latitude band cut first keeps this sub-linear, because
    a degree of latitude is at least :data:`KM_PER_DEGREE_LAT` km anywhere on the sphere.
    ``radius_km`` may hold ``inf`` for people without a limit.
    """
    finite = radius_km[np.isfinite(radius_km)]
    if finite.size == radius_km.size:
        reach = float(finite.max(initial=0.0))
        band = reach / KM_PER_DEGREE_LAT + 1e-9
        sorted_lat = people_lat[lat_order]
        lo = np.searchsorted(sorted_lat, lat - band, side="left")
        hi = np.searchsorted(sorted_lat, lat + band, side="right")
        idx = lat_order[lo:hi]
        # A degree of longitude spans at least cos(highest latitude in the band) degrees' worth.
        cos_min = math.cos(math.radians(min(90.0, abs(lat) + band)))
        if cos_min > 0.05:
            lon_band = band / cos_min
            dlon = np.abs((people_lon[idx] - lon + 180.0) % 360.0 - 180.0)
            idx = idx[dlon <= lon_band]
    else:
        idx = lat_order
    dist = haversine_many(lat, lon, people_lat[idx], people_lon[idx])
    keep = dist <= radius_km[idx]
    return idx[keep], dist[keep]
