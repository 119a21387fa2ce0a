"""``kzcoder --self-test``: prove that this installation works, end to end, in a few seconds.

It runs where a user's bug report starts: from a source checkout, an installed wheel or a
frozen bundle. In a temporary folder (never the user's projects or settings) it

1. checks that the files kzcoder reads at run time are there (migrations, sample corpus,
   resources, one document of every format the readers accept);
2. creates a project from the bundled sample corpus;
3. opens the main window offscreen, codes a span with the code's key as a keypress would,
   undoes and redoes it;
4. imports one file of every supported format into a new project;
5. writes every export format (segments as CSV/XLSX/JSON, the HTML report, the codebook as
   .qdc/CSV/Markdown, the project as .qdpx) and reads each back;
6. imports the ``.qdpx`` into a second project and compares it with the first.

It prints one line, ``kzcoder self-test: OK …`` with the time of each step, and returns 0;
or one line naming the step and what failed, and returns 1.
"""

from kzcoder.selftest.failure import SelfTestFailure
from kzcoder.selftest.runner import run_self_test

__all__ = ["SelfTestFailure", "run_self_test"]
