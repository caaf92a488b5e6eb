"""Results shared between the report's notebooks (nhsrank/shared_cache.py): computed once per folder,
read back the same, their warnings given again; nothing kept without a folder; the report's inputs and
rank-uncertainty summaries read through it equal those computed directly."""
import subprocess
import sys
import warnings

import pandas as pd
import pytest

import nhsrank
from nhsrank.shared_cache import CACHE_ENV, key_of, shared_result


class Noted(UserWarning):
    pass


def test_computed_once_and_read_back_with_its_warnings(tmp_path):
    calls = []

    def compute():
        calls.append(1)
        warnings.warn("a note for the reader", Noted, stacklevel=2)
        return pd.DataFrame({"x": [1, 2]})

    key = key_of("test", 1)
    with pytest.warns(Noted, match="a note for the reader"):
        first = shared_result(key, compute, folder=tmp_path, record_warnings=True)
    with pytest.warns(Noted, match="a note for the reader"):     # given again by the reader
        second = shared_result(key, compute, folder=tmp_path, record_warnings=True)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first, second)
    assert second is not first                                  # a copy: the reader may change it


def test_without_a_folder_nothing_is_kept(monkeypatch, tmp_path):
    monkeypatch.delenv(CACHE_ENV, raising=False)
    calls = []
    for _ in range(2):
        shared_result("k", lambda: calls.append(1) or 5)
    assert len(calls) == 2 and not any(tmp_path.iterdir())


def test_keys_differ_with_what_the_result_depends_on():
    assert key_of("a", 1) != key_of("a", 2) and key_of("a", 1) == key_of("a", 1)


@pytest.mark.filterwarnings("ignore:no trust attributes were given")
def test_rank_uncertainty_read_back_equals_the_one_computed(monkeypatch, tmp_path):
    ae = nhsrank.read_ae_attendances()
    monkeypatch.delenv(CACHE_ENV, raising=False)
    direct = nhsrank.rank_uncertainty(ae, "2018-19-Q4", "acute", "ae-4hr", n_boot=200, seed=4, progress=False)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    shared = [nhsrank.rank_uncertainty(ae, "2018-19-Q4", "acute", "ae-4hr", n_boot=200, seed=4, progress=False)
              for _ in range(2)]
    assert len(list(tmp_path.glob("*.result.pickle"))) == 1
    for r in shared:
        pd.testing.assert_frame_equal(r.table, direct.table)
        pd.testing.assert_frame_equal(r.rank_sets, direct.rank_sets)
        assert r.headline == direct.headline
    other = nhsrank.rank_uncertainty(ae, "2018-19-Q4", "acute", "ae-4hr", n_boot=200, seed=5, progress=False)
    assert len(list(tmp_path.glob("*.result.pickle"))) == 2 and not other.table.equals(direct.table)


def test_the_reports_inputs_read_back_with_the_files_notes(monkeypatch, tmp_path):
    from nhsrank.errors import InputWarning
    from nhsrank.report.inputs import read_inputs

    monkeypatch.delenv(CACHE_ENV, raising=False)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        direct = read_inputs()
    notes = sorted(str(w.message) for w in seen if issubclass(w.category, InputWarning))
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    for _ in range(2):
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            shared = read_inputs()
        assert sorted(str(w.message) for w in seen if issubclass(w.category, InputWarning)) == notes
        pd.testing.assert_frame_equal(shared[0], direct[0])
        assert shared[0].attrs == direct[0].attrs and shared[2:] == direct[2:]
    assert "no Quarter column" in direct[0].attrs["quarter_note"]   # NHS England's acute Q1 file, as read


def test_the_reports_processes_skip_the_unused_jsonschema_plugin_and_import_nhsrank_does_not():
    code = ("import sys; from nhsrank.report.plan import skip_unused_plugins; {call}"
            "import jsonschema; jsonschema.validate(1, {{'type': 'integer'}}); "
            "print(sys.modules.get('rfc3987_syntax', 'absent') is None)")
    skipped = subprocess.run([sys.executable, "-c", code.format(call="skip_unused_plugins(); ")],
                             capture_output=True, text=True, check=True)
    plain = subprocess.run([sys.executable, "-c", code.format(call="")], capture_output=True, text=True, check=True)
    assert skipped.stdout.strip() == "True" and plain.stdout.strip() == "False"
