"""A notebook's parameters checked: a misspelt name is refused (papermill would set it and run on silently)."""
from __future__ import annotations


#: every notebook's parameters beyond :data:`nhsrank.report.plan.COMMON_PARAMETERS` (one name, ``trust_type``,
#: everywhere; league_table still accepts its old ``trust_types``)
NOTEBOOK_EXTRA_PARAMETERS = {
    "league_table": ("progress", "trust_type", "trust_types"),
    "reconcile": ("progress",),
    "rank_uncertainty": ("progress", "trust_type"),
    "sensitivity": ("progress", "trust_type", "mc_n"),
    "quarter_movement": ("progress", "trust_type", "quarter_from"),
    "trust_profile": ("progress", "trust_type", "trust_code"),
}


_KERNEL_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}


def check_parameters(notebook_name: str, namespace: dict) -> None:
    """Refuse a parameter the notebook does not take (papermill would set it and run on silently).

    Called once, first thing after the parameters cell: the names then defined are the kernel's,
    the declared parameters and any injected by papermill. Later calls (re-running the cell in
    JupyterLab) do nothing.

    Parameters
    ----------
    notebook_name : str
        The notebook's name without ``.ipynb`` (a key of :data:`NOTEBOOK_EXTRA_PARAMETERS`).
    namespace : dict
        The kernel's globals (``globals()``); a flag is set in it so later calls do nothing.

    Returns
    -------
    None
        Nothing; an unknown parameter raises.

    Raises
    ------
    ValueError
        Naming each unknown parameter, the closest declared name and the parameters the notebook takes.

    Examples
    --------
    >>> ns = {"data_path": None, "trust_typ": "acute", "In": []}
    >>> check_parameters("rank_uncertainty", ns)
    Traceback (most recent call last):
    ...
    ValueError: rank_uncertainty: unknown parameter trust_typ (did you mean trust_type?); this notebook takes: data_path, attributes_path, quarter, methodology, n_boot, seed, output_dir, progress, trust_type
    >>> check_parameters("rank_uncertainty", ns) is None     # checked once per kernel
    True
    """  # noqa: E501 (doctest output / markup kept on one line)
    import difflib

    from .plan import COMMON_PARAMETERS

    if namespace.get("_nhsrank_parameters_checked"):
        return None
    namespace["_nhsrank_parameters_checked"] = True
    declared = list(COMMON_PARAMETERS) + list(NOTEBOOK_EXTRA_PARAMETERS[notebook_name])
    unknown = sorted(k for k, v in namespace.items()
                     if not k.startswith("_") and k not in declared and k not in _KERNEL_NAMES
                     and (v is None or isinstance(v, (str, int, float, bool, list, tuple, dict))))
    if unknown:
        hints = []
        for k in unknown:
            close = difflib.get_close_matches(k, declared, n=1)
            hints.append(k + (f" (did you mean {close[0]}?)" if close else ""))
        raise ValueError(f"{notebook_name}: unknown parameter{'s' if len(unknown) > 1 else ''} {', '.join(hints)}; "
                         f"this notebook takes: {', '.join(declared)}")
    return None



def check_before_run(notebook_path, parameters: dict) -> None:
    """Refuse, before any kernel starts, a parameter the notebook's ``parameters`` cell does not declare
    (read with :func:`papermill.inspect_notebook`): one line naming it and the closest declared name.

    Parameters
    ----------
    notebook_path : str or path-like
        The notebook (``.ipynb``).
    parameters : dict
        The parameters papermill would inject, by name.

    Returns
    -------
    None
        Nothing; an undeclared parameter raises.

    Raises
    ------
    ValueError
        Naming each undeclared parameter and the closest declared name.

    Examples
    --------
    >>> from nhsrank.report.plan import NOTEBOOKS_DIR
    >>> check_before_run(NOTEBOOKS_DIR / "rank_uncertainty.ipynb", {"n_boot": 10})
    >>> check_before_run(NOTEBOOKS_DIR / "rank_uncertainty.ipynb", {"trust_typ": "acute"})
    Traceback (most recent call last):
    ...
    ValueError: rank_uncertainty: unknown parameter trust_typ (did you mean trust_type?); this notebook takes: data_path, attributes_path, quarter, methodology, n_boot, seed, output_dir, progress, trust_type
    """  # noqa: E501 (doctest output / markup kept on one line)
    import difflib
    from pathlib import Path

    import papermill

    declared = list(papermill.inspect_notebook(str(notebook_path)))
    unknown = [k for k in parameters if k not in declared]
    if unknown:
        hints = [k + (f" (did you mean {c[0]}?)" if (c := difflib.get_close_matches(k, declared, n=1)) else "")
                 for k in unknown]
        raise ValueError(f"{Path(notebook_path).stem}: unknown parameter{'s' if len(unknown) > 1 else ''} "
                         f"{', '.join(hints)}; this notebook takes: {', '.join(declared)}")


__all__ = ["NOTEBOOK_EXTRA_PARAMETERS", "check_parameters", "check_before_run"]
