"""Write the tiny stand-in notebooks the report runner's tests execute.

They follow the real notebooks' parameter contract (see docs/reports.md) but
do little: load the data, print a small table, write ``params.json``, a CSV
table and an SVG chart to ``output_dir`` and display the chart inline. They
start in about a second each, so the runner's tests stay quick.

Run ``python tests/data/notebooks/make_notebooks.py`` after changing this file.
"""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

COMMON = '''data_path = None
attributes_path = None
quarter = None
methodology = None
n_boot = 200
seed = 1
output_dir = None
'''
EXTRA = {
    "league_table": 'trust_types = None\n',
    "reconcile": '',
    "rank_uncertainty": 'trust_type = "acute"\n',
    "sensitivity": 'trust_type = "acute"\n',
    "quarter_movement": 'trust_type = "acute"\nquarter_from = None\n',
    "trust_profile": 'trust_type = "acute"\ntrust_code = None\n',
}

BODY = '''import json
from pathlib import Path

import nhsrank
from IPython.display import SVG, Markdown, display
from nhsrank.report.manifest import build_manifest, report_header

TINY_NOTEBOOK_CODE_MARKER = "this line must never appear in an HTML report"
name = "{name}"
params = {{k: v for k, v in dict(globals()).items()
          if k in ("data_path", "attributes_path", "quarter", "trust_type", "trust_types", "methodology",
                   "n_boot", "seed", "output_dir", "trust_code", "quarter_from")}}
display(Markdown(report_header(build_manifest(data_path, methodology or "nof-2025-26", seed, params,
                                              attributes_path))))
if data_path is None:
    metrics, attributes = nhsrank.load_bundled()
else:
    metrics = nhsrank.read_metrics(data_path)
    attributes = nhsrank.read_attributes(attributes_path) if attributes_path else None
types = trust_types if name == "league_table" else [trust_type]
table = nhsrank.league_tables(metrics, quarter, types or None, methodology or "nof-2025-26", attributes).table
if name == "trust_profile":
    table = table[table["trust_code"] == trust_code]
    assert len(table) == 1, f"trust {{trust_code}} not in the table"
table = table[["trust_code", "trust_name", "trust_type", "average_metric_score", "segment", "league_position"]]
print(table.head(5).to_string(index=False))
top = table.head(5)
bars = "".join(f'<rect x="10" y="{{10 + 22 * i}}" width="{{60 * s:.1f}}" height="18" fill="#005eb8"/>'
               f'<text x="{{20 + 60 * s:.1f}}" y="{{24 + 22 * i}}" font-size="12">{{c}}</text>'
               for i, (c, s) in enumerate(zip(top["trust_code"], top["average_metric_score"])))
svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="130">{{bars}}</svg>'
display(SVG(svg))
if output_dir is not None:
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "params.json").write_text(json.dumps(params, sort_keys=True))
    table.to_csv(out / f"{{name}}-table.csv", index=False, lineterminator="\\n", float_format="%.6g")
    (out / f"{{name}}-chart.svg").write_text(svg)
'''


def notebook(name: str, body: str) -> nbformat.NotebookNode:
    nb = new_notebook(metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    params = new_code_cell(COMMON + EXTRA[name])
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, new_markdown_cell(f"# Tiny {name} (test notebook)"), new_code_cell(body)]
    return nb


if __name__ == "__main__":
    for name in EXTRA:
        nbformat.write(notebook(name, BODY.format(name=name)), HERE / f"{name}.ipynb")
    broken = notebook("league_table", 'x = 1\nraise ValueError("deliberate failure for the runner test")')
    nbformat.write(broken, HERE / "broken" / "league_table.ipynb")
