"""nhsrank.report.parameters: a notebook's parameters checked, a misspelt one refused with the closest name."""
import nbformat
import pytest

from nhsrank.report.parameters import NOTEBOOK_EXTRA_PARAMETERS, check_before_run, check_parameters
from nhsrank.report.plan import COMMON_PARAMETERS, NOTEBOOKS

TAKES = ", ".join([*COMMON_PARAMETERS, "progress", "trust_type", "mc_n"])   # what sensitivity takes


def test_every_notebook_has_its_list():
    assert sorted(NOTEBOOK_EXTRA_PARAMETERS) == sorted(NOTEBOOKS)


def test_the_declared_parameters_and_the_kernel_names_pass():
    ns = {name: None for name in (*COMMON_PARAMETERS, "progress", "trust_type", "mc_n")}
    ns.update({"In": [], "Out": {}, "_": 1, "_private": "x", "pd": object(), "helper": print})
    assert check_parameters("sensitivity", ns) is None
    assert ns["_nhsrank_parameters_checked"] is True


def test_an_unknown_parameter_is_refused_with_the_closest_declared_name():
    with pytest.raises(ValueError) as err:
        check_parameters("sensitivity", {"seed": 1, "mc_m": 8})
    assert str(err.value) == f"sensitivity: unknown parameter mc_m (did you mean mc_n?); this notebook takes: {TAKES}"


def test_several_unknown_parameters_are_named_in_order_and_only_simple_values_count():
    # a module or function defined in the namespace is not a parameter; None, text, numbers, lists, dicts are
    ns = {"zzz": [1], "nboot": 10, "plot": print, "np": pytest, "colours": {"a": 1}}
    with pytest.raises(ValueError) as err:
        check_parameters("sensitivity", ns)
    assert str(err.value).startswith("sensitivity: unknown parameters colours, nboot (did you mean n_boot?), zzz; "
                                     "this notebook takes: ")


def test_checked_once_per_kernel():
    ns = {"trust_typ": "acute"}
    with pytest.raises(ValueError):
        check_parameters("rank_uncertainty", ns)
    assert check_parameters("rank_uncertainty", ns) is None          # re-running the cell in JupyterLab


def notebook(tmp_path, source):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell("x = 1")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "my_page.ipynb"
    nbformat.write(nb, str(path))
    return path


def test_check_before_run_reads_the_parameters_cell(tmp_path):
    path = notebook(tmp_path, "quarter = None\nn_boot = 100\n")
    assert check_before_run(path, {"quarter": "2025-26-Q1", "n_boot": 5}) is None
    assert check_before_run(path, {}) is None
    with pytest.raises(ValueError) as err:
        check_before_run(path, {"quater": "2025-26-Q1", "x": 1})
    assert str(err.value) == ("my_page: unknown parameters quater (did you mean quarter?), x; this notebook takes: "
                              "quarter, n_boot")
