"""sarkit batch --cluster: the same per-case function on a Dask LocalCluster (skipped without distributed)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")


def test_batch_on_a_local_dask_cluster(demo_template: tuple[Path, dict], tmp_path: Path) -> None:
    from sarkit.batch import run_batch

    root = tmp_path / "backlog"
    for name in ("a-case", "b-case"):
        shutil.copytree(demo_template[0], root / name, ignore=shutil.ignore_patterns(".sarkit", "bundle"))
    bad = root / "c-bad"
    (bad / "documents").mkdir(parents=True)
    (bad / "case.yaml").write_text("sarkit: 1\nreference: X\nreceived: not-a-date\npeople: []\n")
    seen: list[tuple[int, int]] = []
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, memory_limit="1GiB"
    ) as cluster:
        out = run_batch(
            root,
            accept=False,
            actor="t",
            cluster=cluster.scheduler_address,
            on_done=lambda o, d, t: seen.append((d, t)),
        )
    status = {o.case: o.status for o in out}
    assert status == {"a-case": "proposed", "b-case": "proposed", "c-bad": "failed"}
    assert sorted(seen) == [(1, 3), (2, 3), (3, 3)]
    assert all(o.pages > 0 and o.proposals > 0 for o in out if o.status == "proposed")
    report = json.loads((root / "batch-report.json").read_text())
    assert [c["status"] for c in report["cases"]] == ["proposed", "proposed", "failed"]


def test_unreachable_scheduler_is_one_sentence(tmp_path: Path) -> None:
    from sarkit.cluster import _client
    from sarkit.errors import SarkitError

    with pytest.raises(SarkitError) as exc:
        _client("tcp://127.0.0.1:1", timeout="1s")
    assert "\n" not in exc.value.message
