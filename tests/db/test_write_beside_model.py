"""write_beside against a model (issue 20): whatever sequence of writes, with or without
overwrite, each file holds what the model says, a refused write changes nothing, and no
temporary file is ever left."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzcoder.core.errors import KzError
from kzcoder.db.snapshot import DestinationExists, write_beside

WRITES = st.lists(st.tuples(st.sampled_from(["a.csv", "b.md", "c.qdc"]), st.binary(max_size=64),
                            st.booleans(), st.booleans()), max_size=25)


@settings(max_examples=60, deadline=None)
@given(WRITES)
def test_writes_follow_the_model(writes):
    with tempfile.TemporaryDirectory() as folder:
        model: dict[str, bytes] = {}
        for name, content, overwrite, fails in writes:
            path = Path(folder) / name

            def write(temporary: Path, content=content, fails=fails) -> int:  # noqa: ANN001
                temporary.write_bytes(content)
                if fails:
                    raise OSError(28, "No space left on device")
                return len(content)

            if name in model and not overwrite:
                with pytest.raises(DestinationExists):
                    write_beside(path, write, overwrite=overwrite)
            elif fails:
                with pytest.raises(KzError, match="No space left on device"):
                    write_beside(path, write, overwrite=overwrite)
            else:
                assert write_beside(path, write, overwrite=overwrite) == len(content)
                model[name] = content
            assert {p.name: p.read_bytes() for p in Path(folder).iterdir()} == model
