"""REFI-QDA projects (``.qdpx``): the archive, the ``project.qde`` XML, and the positions of
selections in other programs' texts.

- ``archive``: a ``.qdpx`` written member by member, and read only after every member has been
  checked (paths that escape, links, sizes, counts);
- ``writer``: ``project.qde`` streamed from ``core.refi_records``, valid against
  Project-mrt2019.xsd;
- ``reader``: ``project.qde`` parsed as a stream, without DTDs or entities, into the plain
  records of ``model``, lenient where real tools are (see tests/data/PROVENANCE.md);
- ``positions``: a source's text file decoded into the stored text, and each selection put on
  the characters the other program meant;
- ``extra``: what kzcoder keeps beside the XML (``kzcoder.json``): originals' names, encodings,
  shortcut keys.

docs/refi-qda.md says what goes where.
"""
