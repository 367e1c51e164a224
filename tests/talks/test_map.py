"""The world map of the speaking page: projection, markers, coastlines and their converter."""

import datetime
import re
import runpy
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from talks import maps
from talks.maps import build_world_path
from tests.factories import TalkFactory

SVG = "{http://www.w3.org/2000/svg}"


def world_map(content: str) -> ET.Element:
    [svg] = re.findall(r'<svg class="chart world-map".*?</svg>', content, re.S)
    return ET.fromstring(svg)


def markers(content: str) -> list[ET.Element]:
    return world_map(content).findall(f"{SVG}circle")


# --- Projection -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latitude", "longitude", "expected"),
    [
        (0, 0, (180, 90)),  # the centre of the map
        (90, -180, (0, 0)),  # top-left corner
        (-90, 180, (360, 180)),  # bottom-right corner
        (53.349137, -6.24775, (173.75, 36.65)),  # Dublin
        (-33.8688, 151.2093, (331.21, 123.87)),  # Sydney
    ],
)
def test_projection_is_equirectangular_with_the_origin_top_left(latitude, longitude, expected):
    assert maps.project(latitude, longitude) == pytest.approx(expected)


# --- Coastlines -----------------------------------------------------------------------


def test_land_outline_is_a_small_svg_path_inside_the_map():
    path = maps.land_path()
    assert maps.LAND_PATH_FILE.stat().st_size < 150_000
    assert re.fullmatch(r"(M[-\d. L]+Z)+", path)
    rings = path.removeprefix("M").removesuffix("Z").split("ZM")
    assert len(rings) > 100
    for ring in rings:
        points = [tuple(map(float, point.split())) for point in ring.split("L")]
        # Rings that cross the antimeridian are drawn on both edges, partly off the map.
        assert any(0 <= x <= 360 for x, _ in points), ring[:40]
        assert all(0 <= y <= 180 for _, y in points)


def test_map_data_credits_natural_earth_and_world_atlas():
    credits = (Path(maps.__file__).parent / "LICENSE.md").read_text()
    assert "Natural Earth" in credits and "public domain" in credits
    assert "world-atlas" in credits and "ISC" in credits


def quantized_topology() -> dict:
    """Two arcs in delta-encoded integers; the ring uses the second one reversed."""
    return {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [-10, -5]},
        "arcs": [
            [[20, 20], [20, 0], [0, 40]],  # (0,0) -> (10,0) -> (10,10)
            [[20, 20], [0, 40], [20, 0]],  # (0,0) -> (0,10) -> (10,10)
        ],
        "objects": {
            "land": {
                "type": "GeometryCollection",
                "geometries": [{"type": "Polygon", "arcs": [[0, ~1]]}],
            }
        },
    }


def test_converter_decodes_delta_encoded_arcs_with_the_transform():
    arcs = build_world_path.decode_arcs(quantized_topology())
    assert arcs[0] == [(0, 0), (10, 0), (10, 10)]
    assert arcs[1] == [(0, 0), (0, 10), (10, 10)]


def test_converter_joins_arcs_and_reverses_negative_indexes():
    topology = quantized_topology()
    ring = build_world_path.ring_points([0, ~1], build_world_path.decode_arcs(topology))
    assert ring == [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]


def test_converter_writes_an_equirectangular_path_rounded_to_a_tenth():
    assert build_world_path.svg_path(quantized_topology()) == "M180 90L190 90L190 80L180 80Z"
    assert build_world_path.number(12.345) == "12.3"
    assert build_world_path.number(-0.04) == "0"


def test_converter_draws_a_ring_across_the_antimeridian_on_both_edges():
    # An island from 179 to -179 degrees, as spherical data stores it.
    ring = [(179, 1), (-179, 1), (-179, -1), (179, -1), (179, 1)]
    rings = build_world_path.flat_rings(ring)
    assert rings[0] == [(179, 1), (181, 1), (181, -1), (179, -1), (179, 1)]
    assert rings[1] == [(-181, 1), (-179, 1), (-179, -1), (-181, -1), (-181, 1)]


def test_converter_closes_a_ring_around_a_pole_along_the_pole():
    ring = [(-180, -80), (0, -70), (179, -80), (-180, -80)]
    [flat] = build_world_path.flat_rings(ring)
    assert flat[-2:] == [(180, -90), (-180, -90)]


def test_converter_script_runs_on_a_topojson_file(tmp_path, capsys, monkeypatch):
    source = tmp_path / "land.json"
    source.write_text(__import__("json").dumps(quantized_topology()))
    output = tmp_path / "land.svgpath"
    monkeypatch.setattr("sys.argv", ["build_world_path.py", str(source), "--output", str(output)])
    runpy.run_path(build_world_path.__file__, run_name="__main__")
    assert output.read_text() == "M180 90L190 90L190 80L180 80Z\n"
    assert "wrote" in capsys.readouterr().out


# --- Markers on the speaking page -----------------------------------------------------


@pytest.mark.django_db
def test_map_has_a_marker_per_talk_with_coordinates(client, now):
    TalkFactory(latitude=53.35, longitude=-6.26)
    TalkFactory(latitude=53.35, longitude=-6.26)  # the same venue twice: two talks
    TalkFactory(latitude=45.46, longitude=9.19, date=now + datetime.timedelta(days=20))
    TalkFactory(event_city="remote", latitude=None, longitude=None)
    content = client.get("/speaking/").content.decode()
    assert len(markers(content)) == 3


@pytest.mark.django_db
def test_map_marker_for_latitude_0_longitude_0_is_at_the_centre(client):
    TalkFactory(latitude=0, longitude=0)
    svg = world_map(client.get("/speaking/").content.decode())
    assert svg.get("viewBox") == "0 0 360 180"
    [marker] = svg.findall(f"{SVG}circle")
    assert (float(marker.get("cx")), float(marker.get("cy"))) == (180, 90)


@pytest.mark.django_db
def test_map_markers_are_placed_with_the_projection(client):
    TalkFactory(latitude=-33.8688, longitude=151.2093)
    [marker] = markers(client.get("/speaking/").content.decode())
    assert float(marker.get("cx")) == pytest.approx(331.21)
    assert float(marker.get("cy")) == pytest.approx(123.87)


@pytest.mark.django_db
def test_map_marker_tooltips_name_the_event_and_the_talk(client):
    TalkFactory(
        title="Streams & <backpressure>", event_name="NodeConf EU", latitude=52.1, longitude=-7.1
    )
    [marker] = markers(client.get("/speaking/").content.decode())
    tooltip = marker.find(f"{SVG}title").text
    assert "NodeConf EU" in tooltip
    assert "Streams & <backpressure>" in tooltip


@pytest.mark.django_db
def test_upcoming_talks_have_markers_of_their_own_colour(client, now):
    TalkFactory(latitude=10, longitude=10)
    TalkFactory(latitude=20, longitude=20, date=now + datetime.timedelta(days=3))
    classes = [
        marker.get("class") for marker in markers(client.get("/speaking/").content.decode())
    ]
    assert classes == ["marker", "marker marker-upcoming"]


@pytest.mark.django_db
def test_map_is_an_image_with_a_name_a_description_and_a_list_of_places(client):
    TalkFactory(title="Talk in Dublin", event_city="Dublin, Ireland", latitude=53, longitude=-6)
    TalkFactory(title="Talk in Milan", event_city="Milan, Italy", latitude=45, longitude=9)
    content = client.get("/speaking/").content.decode()
    svg = world_map(content)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "map-title map-desc"
    assert svg.find(f"{SVG}title").get("id") == "map-title"
    assert svg.find(f"{SVG}desc").text == "World map with 2 talks in 2 places."
    places = content[content.index("Places as a list") :]
    assert "Dublin, Ireland" in places and "Talk in Dublin" in places
    assert "Milan, Italy" in places and "Talk in Milan" in places


@pytest.mark.django_db
def test_map_draws_the_coastlines_inline(client):
    TalkFactory(latitude=1, longitude=1)
    svg = world_map(client.get("/speaking/").content.decode())
    assert svg.find(f"{SVG}path[@class='land']").get("d") == maps.land_path()


@pytest.mark.django_db
def test_remote_only_talks_give_no_map_but_say_so(client):
    TalkFactory(event_city="remote", latitude=None, longitude=None)
    content = client.get("/speaking/").content.decode()
    assert 'class="chart world-map"' not in content
    assert "None of these talks has a place on the map." in content
