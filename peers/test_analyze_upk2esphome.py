"""upk2esphome (1.16.2, PyPI, MIT) referees bkflash's ESPHome YAML: for each of the ~30 inputs its
wheel ships, bkflash must produce the same components (same pins, same platforms) as the expected
YAML, and the same LibreTiny board. TuyaMCU inputs whose expected YAML was made with the cloud's
data-point model are compared with upk2esphome run without that model, which a dump never holds.
"""

from pathlib import Path

import pytest
import upk2esphome
import yaml
from upk2esphome.generator import upk2esphome as convert
from upk2esphome.opts import Opts

from analyze_vectors import analyze, bkflash_bin  # noqa: F401

TESTS = Path(upk2esphome.__file__).parent / "tests"
INPUTS = sorted(p.name for p in TESTS.glob("*.txt"))
OPTS = dict(common=False, web_server=False, restart=False, uptime=False, lt_version=False)


class EsphomeLoader(yaml.SafeLoader):
    """Reads ESPHome's local tags (`!lambda`, `!secret`) as tagged text."""


EsphomeLoader.add_multi_constructor("!", lambda loader, tag, node: f"!{tag} {loader.construct_scalar(node)}")


def load(text: str):
    return yaml.load(text, Loader=EsphomeLoader)


def test_the_wheel_ships_its_inputs():
    assert len(INPUTS) >= 30


@pytest.mark.parametrize("name", INPUTS)
def test_same_components_and_board(name, bkflash_bin):  # noqa: F811
    source = TESTS / name
    text = source.read_text().strip()
    reference = convert(text, Opts(esphome_block=False, **OPTS))
    ours = analyze(bkflash_bin, source).get("esphome")
    if reference.errors:
        assert ours is None or ours["yaml"] is None, f"upk2esphome refuses {name}: {reference.errors}"
        return
    components = ours["components"]
    model = source.with_suffix(".json")
    expected = (TESTS / "expected_output" / source.with_suffix(".yaml").name).read_text()
    if model.exists():
        assert load(components) == load(reference.text)
        shipped = load(expected)
        assert load(components)["uart"] == shipped["uart"] and "tuya" in shipped
    else:
        assert load(components) == load(expected)
        assert components == expected, "same text as upk2esphome prints it"
    board = convert(text, Opts(esphome_block=True, **OPTS)).data["bk72xx"]["board"]
    assert ours["board"] == board
