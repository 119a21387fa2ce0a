"""The service tests of tests/services, run again on a PostgreSQL server: the fixtures
``project`` and ``sample_project`` come from tests/server/conftest.py here, so each test below
works on a server database. Modules about the file itself (backups, SQLite locking, originals'
blob I/O on disk) stay file-only."""

from tests.services.test_agreement_service import *  # noqa: F403
from tests.services.test_code_tree import *  # noqa: F403
from tests.services.test_codebook_exchange import *  # noqa: F403
from tests.services.test_codings import *  # noqa: F403
from tests.services.test_documents import *  # noqa: F403
from tests.services.test_exports import *  # noqa: F403
from tests.services.test_import_commits import *  # noqa: F403
from tests.services.test_memos import *  # noqa: F403
from tests.services.test_merge import *  # noqa: F403
from tests.services.test_originals import *  # noqa: F403
from tests.services.test_references import *  # noqa: F403
from tests.services.test_refi_import import *  # noqa: F403
from tests.services.test_refi_roundtrip import *  # noqa: F403
from tests.services.test_removals import *  # noqa: F403
from tests.services.test_undo_state_machine import *  # noqa: F403
from tests.services.test_undoable import *  # noqa: F403

# These read the project file itself with sqlite3 (a dump, stored bytes, SQLite's trace of
# blob I/O); test_on_both_backends.py checks the same outcomes on both backends through SQL.
del test_a_refused_edit_changes_nothing  # noqa: F821
del test_a_long_text_is_staged_and_stored_exactly  # noqa: F821
del test_every_imported_file_is_kept_and_given_back_byte_for_byte  # noqa: F821
del test_the_originals_table_is_read_only_when_asked_for  # noqa: F821
del test_a_file_that_changes_while_imported_is_refused_and_nothing_is_kept  # noqa: F821
del test_refusals_are_one_line_and_write_nothing  # noqa: F821 - reads the file with sqlite3
# exports over the project file itself: a server project has no file to overwrite
del test_export_is_atomic_refuses_to_overwrite_and_stops_cleanly  # noqa: F821
