"""The world map of the speaking page: coastlines and the projection that places markers.

The coastlines are one SVG path, built once by ``build_world_path.py`` from Natural Earth
data (see ``LICENSE.md``) and drawn inline, so the page makes no request for map tiles.
"""

from functools import cache
from pathlib import Path

# The map's coordinate system: an equirectangular projection, one unit per degree.
WIDTH = 360
HEIGHT = 180

LAND_PATH_FILE = Path(__file__).resolve().with_name("world_land.svgpath")


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """Map coordinates (x, y) of a point: x = longitude + 180, y = 90 - latitude."""
    return round(longitude + 180, 2), round(90 - latitude, 2)


@cache
def land_path() -> str:
    """The `d` attribute of the land outlines, read once per process."""
    return LAND_PATH_FILE.read_text(encoding="ascii").strip()
